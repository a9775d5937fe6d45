import TidepoolPool

/// The Anthropic Messages protocol: `POST {base}/v1/messages` with `x-api-key` and
/// `anthropic-version`, SSE back; `GET {base}/v1/models`.
enum AnthropicWire: WireFormat {
    /// The API version this decoder was written against.
    static let version = "2023-06-01"
    /// `max_tokens` is required by the API; this is sent when the request leaves it open.
    static let defaultMaxTokens = 4096
    /// The smallest thinking budget the API accepts.
    static let minimumThinkingBudget = 1024

    /// The streaming chat request. The system text is the top-level `system` field (system
    /// messages in the conversation are folded into it, as the API has no system role). With
    /// reasoning on, thinking gets half the token budget (at least 1024, the API minimum),
    /// `max_tokens` grows to leave room for the answer, and temperature is left out because
    /// the API only allows its default with thinking.
    static func chatRequest(
        _ request: ChatRequest, baseURL: String, apiKey: String?, includeStreamOptions: Bool = false
    ) -> HTTPRequest {
        let messages: [JSONValue] = request.messages.filter { $0.role != .system }.map {
            .object(["role": .string($0.role.rawValue), "content": .string($0.text)])
        }
        var maxTokens = request.maxTokens ?? defaultMaxTokens
        var body: [String: JSONValue] = [
            "model": .string(request.model), "messages": .array(messages), "stream": .bool(true),
        ]
        if let system = request.combinedSystemText { body["system"] = .string(system) }
        if request.reasoning == true {
            let budget = max(minimumThinkingBudget, maxTokens / 2)
            maxTokens = max(maxTokens, budget + minimumThinkingBudget)
            body["thinking"] = .object(["type": .string("enabled"), "budget_tokens": .int(budget)])
        } else if let temperature = request.temperature {
            body["temperature"] = .double(temperature)
        }
        body["max_tokens"] = .int(maxTokens)
        return HTTPRequest(
            method: "POST", url: baseURL + "/v1/messages",
            headers: WireHeaders.json(accept: "text/event-stream") + headers(apiKey),
            body: JSONValue.object(body).serialized())
    }

    /// `GET {base}/v1/models`.
    static func modelsRequest(baseURL: String, apiKey: String?) -> HTTPRequest {
        HTTPRequest(method: "GET", url: baseURL + "/v1/models",
                    headers: [HTTPHeader("Accept", "application/json")] + headers(apiKey))
    }

    /// The model ids in a `/v1/models` body (`data[].id`), or nil if it is not one.
    static func models(from body: [UInt8]) -> [String]? {
        OpenAIWire.models(from: body)
    }

    static func mayBeginStream(_ prefix: [UInt8]) -> Bool {
        StreamStart.mayBeginSSE(prefix)
    }

    static func makeDecoder(provider: String) -> any ChatStreamDecoder {
        AnthropicChatDecoder(provider: provider)
    }

    private static func headers(_ apiKey: String?) -> [HTTPHeader] {
        var headers = [HTTPHeader("anthropic-version", version)]
        if let apiKey, !apiKey.isEmpty { headers.append(HTTPHeader("x-api-key", apiKey)) }
        return headers
    }
}
