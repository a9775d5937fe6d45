import Foundation

/// What the simulator needs from a chat request, whichever wire format it came in.
struct SimChatRequest: Sendable, Equatable {
    /// The model name as sent (tag included).
    var model: String
    /// The last user message's text: the answer's seed comes from it.
    var prompt: String
    /// Rough token count of every message (for usage numbers).
    var promptTokens: Int
    var stream: Bool
    /// Whether the client asked for reasoning to be shown (Ollama `think`, Anthropic `thinking`).
    var thinkingRequested: Bool
    /// `max_tokens`, `max_completion_tokens` or `options.num_predict`, if given.
    var maxTokens: Int?
    /// OpenAI `stream_options.include_usage`.
    var includeUsage: Bool

    /// Why a body could not be read, with a message for the client.
    enum ParseError: Error, Equatable {
        case invalidJSON(String)
        case missingField(String)
    }

    /// Parses a chat body of the given format.
    static func parse(_ body: [UInt8], format: SimWireFormat) throws(ParseError) -> SimChatRequest {
        let object: [String: Any]
        do {
            guard let parsed = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
                throw ParseError.invalidJSON("the request body must be a JSON object")
            }
            object = parsed
        } catch let error as ParseError {
            throw error
        } catch {
            throw .invalidJSON("the request body is not valid JSON")
        }
        guard let model = object["model"] as? String, !model.isEmpty else {
            throw .missingField("model")
        }
        let messages = object["messages"] as? [[String: Any]] ?? []
        var texts: [String] = []
        var lastUser = ""
        if let system = object["system"] { texts.append(text(of: system)) }
        for message in messages {
            let content = text(of: message["content"] ?? "")
            texts.append(content)
            if (message["role"] as? String) == "user" { lastUser = content }
        }
        let promptTokens = texts.reduce(0) { $0 + SimTextGenerator.tokenize($1).count } + 3 * max(1, messages.count)

        let stream: Bool
        let thinking: Bool
        var maxTokens: Int?
        var includeUsage = false
        switch format {
        case .ollama:
            stream = object["stream"] as? Bool ?? true
            if let think = object["think"] as? Bool {
                thinking = think
            } else if let level = object["think"] as? String {
                thinking = !level.isEmpty
            } else {
                thinking = false
            }
            maxTokens = (object["options"] as? [String: Any])?["num_predict"] as? Int
        case .openAI:
            stream = object["stream"] as? Bool ?? false
            thinking = true
            maxTokens = object["max_completion_tokens"] as? Int ?? object["max_tokens"] as? Int
            includeUsage = ((object["stream_options"] as? [String: Any])?["include_usage"] as? Bool) ?? false
        case .anthropic:
            stream = object["stream"] as? Bool ?? false
            thinking = ((object["thinking"] as? [String: Any])?["type"] as? String) == "enabled"
            maxTokens = object["max_tokens"] as? Int
        }
        if let limit = maxTokens, limit < 0 { maxTokens = 0 }
        return SimChatRequest(
            model: model, prompt: lastUser, promptTokens: promptTokens, stream: stream,
            thinkingRequested: thinking, maxTokens: maxTokens, includeUsage: includeUsage)
    }

    /// The text of a message's content: a string, or the `text` of each part in an array.
    private static func text(of content: Any) -> String {
        if let string = content as? String { return string }
        if let parts = content as? [[String: Any]] {
            return parts.compactMap { $0["text"] as? String }.joined(separator: "\n")
        }
        return ""
    }
}
