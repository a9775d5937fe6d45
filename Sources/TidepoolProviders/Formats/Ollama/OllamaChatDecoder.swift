/// Decodes Ollama's `/api/chat` (and `/api/generate`) NDJSON stream.
///
/// Each line is an object with `message.content` / `message.thinking` (or `response` /
/// `thinking` for `/api/generate`); the last has `done: true`, `done_reason`, the token
/// counts and `eval_duration` in nanoseconds. A line `{"error": "..."}` is an error reported
/// after the HTTP 200. A body that ends before the `done: true` line was cut short.
struct OllamaChatDecoder: ChatStreamDecoder {
    let provider: String
    private(set) var summary = ChatStreamSummary()
    private var lines: NDJSONDecoder

    init(provider: String, maxLineLength: Int = NDJSONDecoder.defaultMaxLineLength) {
        self.provider = provider
        lines = NDJSONDecoder(maxLineLength: maxLineLength)
    }

    mutating func feed(_ bytes: [UInt8], into events: inout [ChatEvent]) throws(ProviderError) {
        let complete: [[UInt8]]
        do { complete = try lines.feed(bytes) } catch { throw .framing(provider, error) }
        for line in complete { events += try decode(line: line) }
    }

    mutating func finish(into events: inout [ChatEvent]) throws(ProviderError) {
        let rest: [[UInt8]]
        do { rest = try lines.finish() } catch { throw .framing(provider, error) }
        for line in rest {
            do {
                events += try decode(line: line)
            } catch {
                // A last line cut in the middle is the cut, not a malformed server.
                if case .malformedStream = error, !summary.ended {
                    throw .interrupted(provider: provider)
                }
                throw error
            }
        }
        guard summary.ended else { throw .interrupted(provider: provider) }
        events += summary.closingEvents
    }

    /// What ``decode(line:)`` reads of a line: the rest (`model`, `created_at`, `role`, the
    /// other durations, `/api/generate`'s `context` array) is validated but not built.
    static let lineSelection = JSONSelection.members(
        [.init("error"), .init("message", .members([.init("thinking"), .init("content")]))]
            + ["thinking", "response", "done", "done_reason", "prompt_eval_count", "eval_count", "eval_duration"].map { .init($0) }
    )

    /// Decodes one complete line.
    mutating func decode(line: [UInt8]) throws(ProviderError) -> [ChatEvent] {
        guard let json = try? JSONParser.parse(line, selecting: Self.lineSelection), json.isObject else {
            throw .malformed(provider, line)
        }
        summary.recognised = true
        if let error = json["error"], !error.isNull {
            // The message may sit in members the selection leaves out.
            let message = (try? JSONValue(parsing: line)).flatMap(ServerMessage.extract(from:))
            throw .streamError(provider: provider, message: message ?? "unknown error")
        }
        var events: [ChatEvent] = []
        let message = json["message"]
        for thinking in [message?["thinking"], json["thinking"]] {
            if let text = thinking?.string, !text.isEmpty { events.append(.reasoningDelta(text)) }
        }
        for content in [message?["content"], json["response"]] {
            if let text = content?.string, !text.isEmpty { events.append(.textDelta(text)) }
        }
        if json["done"]?.bool == true {
            summary.ended = true
            summary.finishReason = json["done_reason"]?.string ?? summary.finishReason ?? "stop"
            summary.inputTokens = json["prompt_eval_count"]?.int ?? summary.inputTokens
            summary.outputTokens = json["eval_count"]?.int ?? summary.outputTokens
            if let count = json["eval_count"]?.double, let nanoseconds = json["eval_duration"]?.double,
                nanoseconds > 0
            {
                let rate = count / (nanoseconds / 1e9)
                if rate.isFinite, rate > 0 { summary.exactTokensPerSecond = rate }
            }
        }
        return events
    }
}
