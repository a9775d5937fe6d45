/// Decodes an OpenAI-compatible `/chat/completions` SSE stream.
///
/// Reads `choices[index 0].delta`: `content` (and `refusal`, shown as text) as text,
/// `reasoning_content` or `reasoning` (vLLM, llama.cpp, OpenRouter, LM Studio) as reasoning;
/// `null`s are skipped. `finish_reason` and the `usage` object (sent in a final chunk whose
/// `choices` is empty when `include_usage` was asked) are remembered for the end. `data:
/// [DONE]` ends the stream; `data: {"error": ...}` or `event: error` is a server error. A body
/// that ends with neither `[DONE]` nor a finish reason was cut short.
struct OpenAIChatDecoder: SSEChatStreamDecoder {
    let provider: String
    private(set) var summary = ChatStreamSummary()
    var events: SSEDecoder

    init(provider: String, maxLineLength: Int = SSEDecoder.defaultMaxLineLength) {
        self.provider = provider
        events = SSEDecoder(maxLineLength: maxLineLength)
    }

    /// What ``decode(_:into:)`` reads of a chunk: the rest (`id`, `object`, `created`, `model`,
    /// `system_fingerprint`, `logprobs`...) is validated but not built, which was most of
    /// what parsing a chunk cost.
    static let chunkSelection: JSONSelection = {
        let delta = JSONSelection.members(["reasoning_content", "reasoning", "content", "refusal"].map { .init($0) })
        let choice = JSONSelection.members([.init("index"), .init("delta", delta), .init("message", delta), .init("finish_reason")])
        return .members([.init("error"), .init("usage"), .init("choices", choice)])
    }()

    /// The delta members read as reasoning, then as text (kept once, not built per chunk).
    private static let reasoningKeys = ["reasoning_content", "reasoning"]
    private static let textKeys = ["content", "refusal"]

    /// Decodes one server-sent event.
    mutating func decode(_ event: SSEEvent, into output: inout [ChatEvent]) throws(ProviderError) {
        // The usual chunk, an object with nothing around it, is parsed from the event's own
        // bytes. When it parses they are valid UTF-8 with nothing to trim, so they are the
        // bytes the general path below would parse (after a text round trip); anything else,
        // a chunk that does not parse included, takes that path, as before.
        let bytes = event.dataBytes
        if bytes.first == UInt8(ascii: "{"), bytes.last == UInt8(ascii: "}"), event.event != "error",
            let json = try? JSONParser.parse(bytes, selecting: Self.chunkSelection)
        {
            return try decode(chunk: json, document: bytes, into: &output)
        }
        let data = event.data.trimmingWhitespace()
        if data == "[DONE]" {
            summary.ended = true
            return
        }
        let document = Array(data.utf8)
        if event.event == "error" {
            let json = data.isEmpty ? nil : try? JSONValue(parsing: document)
            let message = json.flatMap(ServerMessage.extract(from:)) ?? (data.isEmpty ? "unknown error" : data.excerpt())
            throw .streamError(provider: provider, message: message)
        }
        if data.isEmpty { return }
        guard let json = try? JSONParser.parse(document, selecting: Self.chunkSelection), json.isObject else {
            throw .malformed(provider, document)
        }
        try decode(chunk: json, document: document, into: &output)
    }

    /// Decodes a chunk object parsed from `document` with ``chunkSelection``. A server
    /// error's message is read from a full parse of `document`: ``ServerMessage`` looks at
    /// members the selection leaves out.
    private mutating func decode(chunk json: JSONSelected, document: [UInt8], into output: inout [ChatEvent]) throws(ProviderError) {
        summary.recognised = true
        if let error = json["error"], !error.isNull {
            let message = (try? JSONValue(parsing: document)).flatMap(ServerMessage.extract(from:))
            throw .streamError(provider: provider, message: message ?? "unknown error")
        }
        if let usage = json["usage"]?.whole, usage.isObject {
            summary.inputTokens = usage["prompt_tokens"]?.int ?? summary.inputTokens
            summary.outputTokens = usage["completion_tokens"]?.int ?? summary.outputTokens
        }
        guard let choice = json["choices"]?.array?.first(where: { ($0["index"]?.int ?? 0) == 0 }) else {
            return
        }
        // `message` instead of `delta`: a server that answered a streaming request with
        // whole-message chunks. Use what is there rather than lose the text.
        if let delta = choice["delta"] ?? choice["message"] {
            for key in Self.reasoningKeys {
                if let text = delta[key]?.string, !text.isEmpty { output.append(.reasoningDelta(text)) }
            }
            for key in Self.textKeys {
                if let text = delta[key]?.string, !text.isEmpty { output.append(.textDelta(text)) }
            }
        }
        if let reason = choice["finish_reason"]?.string {
            summary.finishReason = reason
            summary.ended = true
        }
    }
}
