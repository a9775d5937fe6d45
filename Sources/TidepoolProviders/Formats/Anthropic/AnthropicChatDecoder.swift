/// Decodes an Anthropic Messages SSE stream.
///
/// `message_start` carries `usage.input_tokens`; `content_block_delta` carries `text_delta`
/// (text) or `thinking_delta` (reasoning), while `signature_delta`, `input_json_delta`,
/// `ping` and unknown event types are ignored; `message_delta` carries `stop_reason` and
/// `usage.output_tokens`; `event: error` (for example `overloaded_error`) is a server error.
/// The JSON `type` field is trusted over the SSE event name, which proxies sometimes drop.
/// Only `message_stop` ends the answer: a body that ends before it was cut short.
struct AnthropicChatDecoder: SSEChatStreamDecoder {
    let provider: String
    private(set) var summary = ChatStreamSummary()
    var events: SSEDecoder

    init(provider: String, maxLineLength: Int = SSEDecoder.defaultMaxLineLength) {
        self.provider = provider
        events = SSEDecoder(maxLineLength: maxLineLength)
    }

    /// Decodes one server-sent event.
    mutating func decode(_ event: SSEEvent, into output: inout [ChatEvent]) throws(ProviderError) {
        // The bytes as they arrived when they are ASCII (decoding them as text and back gave
        // the same bytes); otherwise through `data`, repaired as before.
        let data = event.dataBytes.allSatisfy { $0 < 0x80 } ? event.dataBytes : Array(event.data.utf8)
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x09 }) {
            if event.event == "error" { throw .streamError(provider: provider, message: "unknown error") }
            return
        }
        guard let json = try? JSONValue(parsing: data), json.isObject else {
            if event.event == "error" {
                throw .streamError(provider: provider, message: event.data.excerpt())
            }
            throw .malformed(provider, data)
        }
        summary.recognised = true
        switch json["type"]?.string ?? event.event {
        case "message_start":
            let usage = json["message"]?["usage"]
            summary.inputTokens = usage?["input_tokens"]?.int ?? summary.inputTokens
            summary.outputTokens = usage?["output_tokens"]?.int ?? summary.outputTokens
        case "content_block_start":
            // A block may start with text already in it; keep it rather than lose it.
            if let block = json["content_block"] {
                if let text = block["text"]?.string, !text.isEmpty {
                    output.append(.textDelta(text))
                    return
                }
                if let text = block["thinking"]?.string, !text.isEmpty {
                    output.append(.reasoningDelta(text))
                    return
                }
            }
        case "content_block_delta":
            guard let delta = json["delta"] else { return }
            switch delta["type"]?.string {
            case "text_delta":
                if let text = delta["text"]?.string, !text.isEmpty {
                    output.append(.textDelta(text))
                    return
                }
            case "thinking_delta":
                if let text = delta["thinking"]?.string, !text.isEmpty {
                    output.append(.reasoningDelta(text))
                    return
                }
            default:
                break
            }
        case "message_delta":
            if let reason = json["delta"]?["stop_reason"]?.string { summary.finishReason = reason }
            let usage = json["usage"]
            summary.outputTokens = usage?["output_tokens"]?.int ?? summary.outputTokens
            summary.inputTokens = usage?["input_tokens"]?.int ?? summary.inputTokens
        case "message_stop":
            summary.ended = true
        case "error":
            throw .streamError(provider: provider, message: ServerMessage.extract(from: json) ?? "unknown error")
        default:
            break
        }
    }
}
