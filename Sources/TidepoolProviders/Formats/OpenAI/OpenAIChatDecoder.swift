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

    /// Decodes one server-sent event.
    mutating func decode(_ event: SSEEvent) throws(ProviderError) -> [ChatEvent] {
        let data = event.data.trimmingWhitespace()
        if data == "[DONE]" {
            summary.ended = true
            return []
        }
        let json = data.isEmpty ? nil : try? JSONValue(parsing: Array(data.utf8))
        if event.event == "error" {
            let message = json.flatMap(ServerMessage.extract(from:)) ?? (data.isEmpty ? "unknown error" : data.excerpt())
            throw .streamError(provider: provider, message: message)
        }
        if data.isEmpty { return [] }
        guard let json, json.isObject else { throw .malformed(provider, Array(data.utf8)) }
        summary.recognised = true
        if let error = json["error"], error != .null {
            throw .streamError(provider: provider, message: ServerMessage.extract(from: json) ?? "unknown error")
        }
        if let usage = json["usage"], usage.isObject {
            summary.inputTokens = usage["prompt_tokens"]?.int ?? summary.inputTokens
            summary.outputTokens = usage["completion_tokens"]?.int ?? summary.outputTokens
        }
        guard let choice = json["choices"]?.array?.first(where: { ($0["index"]?.int ?? 0) == 0 }) else {
            return []
        }
        var result: [ChatEvent] = []
        // `message` instead of `delta`: a server that answered a streaming request with
        // whole-message chunks. Use what is there rather than lose the text.
        if let delta = choice["delta"] ?? choice["message"] {
            for key in ["reasoning_content", "reasoning"] {
                if let text = delta[key]?.string, !text.isEmpty { result.append(.reasoningDelta(text)) }
            }
            for key in ["content", "refusal"] {
                if let text = delta[key]?.string, !text.isEmpty { result.append(.textDelta(text)) }
            }
        }
        if let reason = choice["finish_reason"]?.string {
            summary.finishReason = reason
            summary.ended = true
        }
        return result
    }
}
