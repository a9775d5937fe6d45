import Foundation

/// Turns one provider's response body, fed in arbitrary chunks, into ``ChatEvent``s.
///
/// Implementations are pure (no I/O, no clock): deltas are appended as soon as their line or
/// event is complete; usage and the finish reason are held back and appended by
/// ``finish(into:)``, so every stream ends with the same shape whatever order the server used.
///
/// Events are appended to an `inout` array rather than returned so that when a chunk holds
/// some text and then an error line, the text decoded before the error is kept.
protocol ChatStreamDecoder: Sendable {
    /// Decodes the next chunk of the body, appending its events.
    /// - Throws: ``ProviderError`` for a mid-stream server error, a malformed line or an
    ///   oversized line; events appended before it remain valid.
    mutating func feed(_ bytes: [UInt8], into events: inout [ChatEvent]) throws(ProviderError)
    /// Ends the body, appending the usage (if reported) and the finish event.
    /// - Throws: ``ProviderError/interrupted(provider:)`` when the body ended before the
    ///   format's end of stream; the events decoded so far remain valid.
    mutating func finish(into events: inout [ChatEvent]) throws(ProviderError)
    /// What ``finish()`` will report, for timings.
    var summary: ChatStreamSummary { get }
}

/// What a stream said about itself besides the text: token counts, why it stopped, and the
/// server's own generation speed when it measures one (Ollama does).
struct ChatStreamSummary: Sendable, Equatable {
    var inputTokens: Int?
    var outputTokens: Int?
    var finishReason: String?
    var exactTokensPerSecond: Double?
    /// True once the stream said it was complete in its format's own way (`[DONE]` or a
    /// finish reason, `message_stop`, `"done": true`). A body that ends before that was cut
    /// short, and ``ChatStreamDecoder/finish(into:)`` reports it.
    var ended = false
    /// True once one line or event parsed as this format: a failure before that means the
    /// server is not speaking the format at all (a wrong base URL, a captive portal).
    var recognised = false

    /// The closing events: usage when any count is known, then the finish reason.
    var closingEvents: [ChatEvent] {
        var events: [ChatEvent] = []
        if inputTokens != nil || outputTokens != nil {
            events.append(.usage(inputTokens: inputTokens, outputTokens: outputTokens))
        }
        events.append(.finish(reason: finishReason ?? "end_of_stream"))
        return events
    }
}

extension ProviderError {
    /// A malformed-stream error quoting the start of the offending text.
    static func malformed(_ provider: String, _ bytes: some Collection<UInt8>) -> ProviderError {
        .malformedStream(provider: provider, excerpt: String(decoding: bytes.prefix(400), as: UTF8.self).excerpt())
    }

    /// The framing bound that was hit, in the provider's name.
    static func framing(_ provider: String, _ error: any Error) -> ProviderError {
        .streamTooLarge(provider: provider, detail: "\(error)")
    }
}

/// Reads the human message out of an error body, whatever shape the server uses:
/// `{"error": {"message": ...}}` (OpenAI, Anthropic), `{"error": "..."}` (Ollama),
/// `{"message": ...}`, `{"detail": ...}` (FastAPI servers such as vLLM), or plain text.
enum ServerMessage {
    /// The message, at most 300 characters, or nil for an empty body.
    static func extract(from body: [UInt8]) -> String? {
        if let json = try? JSONValue(parsing: body), let message = extract(from: json) {
            return message.excerpt(300)
        }
        var text = String(decoding: body.prefix(2000), as: UTF8.self)
            .trimmingWhitespace()
        if let page = htmlSummary(text) { text = page }
        return text.isEmpty ? nil : text.excerpt(300)
    }

    /// What an HTML page says in words (an nginx or proxy error page, a captive portal): its
    /// title, else its text without markup; nil when `text` is not HTML.
    static func htmlSummary(_ text: String) -> String? {
        let lower = text.lowercased()
        guard lower.hasPrefix("<"), lower.contains("<html") || lower.contains("<!doctype") || lower.contains("<body") else {
            return nil
        }
        if let open = text.range(of: "<title", options: .caseInsensitive),
            let close = text.range(of: "</title>", options: .caseInsensitive, range: open.upperBound..<text.endIndex),
            let start = text[open.upperBound..<close.lowerBound].firstIndex(of: ">")
        {
            let title = text[text.index(after: start)..<close.lowerBound]
                .split(whereSeparator: \.isWhitespace).joined(separator: " ")
            if !title.isEmpty { return title }
        }
        var words = ""
        var inTag = false
        for character in text {
            if character == "<" { inTag = true; words.append(" "); continue }
            if character == ">" { inTag = false; continue }
            if !inTag { words.append(character) }
        }
        return words.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The message inside a parsed error value, or nil.
    static func extract(from json: JSONValue) -> String? {
        if let error = json["error"] {
            if let text = error.string { return text }
            if let message = error["message"]?.string {
                if let type = error["type"]?.string, type != "error" { return "\(type): \(message)" }
                return message
            }
            if let type = error["type"]?.string { return type }
        }
        if let message = json["message"]?.string { return message }
        if let detail = json["detail"]?.string { return detail }
        if let detail = json["detail"], let first = detail.array?.first, let message = first["msg"]?.string {
            return message
        }
        return nil
    }
}

extension String {
    /// Without leading and trailing white space.
    func trimmingWhitespace() -> String {
        // Every streamed event's data goes through here: when it starts and ends with a
        // visible ASCII character (`{`...`}`) there is nothing to trim, and no copy is made.
        if let first = utf8.first, let last = utf8.last, (0x21...0x7E).contains(first), (0x21...0x7E).contains(last) {
            return self
        }
        var slice = self[...]
        while slice.first?.isWhitespace == true { slice = slice.dropFirst() }
        while slice.last?.isWhitespace == true { slice = slice.dropLast() }
        return String(slice)
    }
}
