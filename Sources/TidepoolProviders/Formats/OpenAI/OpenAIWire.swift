import TidepoolPool

/// The OpenAI Chat Completions protocol as servers speak it: `POST {base}/chat/completions`
/// with `stream: true` (SSE back), and `GET {base}/models`.
enum OpenAIWire: WireFormat {
    static let acceptsStreamOptions = true

    /// The streaming chat request. `stream_options.include_usage` asks for the final usage
    /// chunk; some servers reject it with HTTP 400, so the provider can leave it out.
    static func chatRequest(
        _ request: ChatRequest, baseURL: String, apiKey: String?, includeStreamOptions: Bool
    ) -> HTTPRequest {
        var body: [String: JSONValue] = [
            "model": .string(request.model), "messages": .array(request.roleContentMessages), "stream": .bool(true),
        ]
        if includeStreamOptions { body["stream_options"] = .object(["include_usage": .bool(true)]) }
        if let temperature = request.temperature { body["temperature"] = .double(temperature) }
        if let maxTokens = request.maxTokens { body["max_tokens"] = .int(maxTokens) }
        return HTTPRequest(
            method: "POST", url: baseURL + "/chat/completions",
            headers: WireHeaders.json(accept: "text/event-stream") + WireHeaders.bearer(apiKey),
            body: JSONValue.object(body).serialized())
    }

    /// `GET {base}/models`.
    static func modelsRequest(baseURL: String, apiKey: String?) -> HTTPRequest {
        HTTPRequest(method: "GET", url: baseURL + "/models",
                    headers: [HTTPHeader("Accept", "application/json")] + WireHeaders.bearer(apiKey))
    }

    /// The model ids in a `/models` body (`data[].id`), or nil if it is not one.
    static func models(from body: [UInt8]) -> [String]? {
        guard let list = (try? JSONValue(parsing: body))?["data"]?.array else { return nil }
        return list.compactMap { $0["id"]?.string }
    }

    static func mayBeginStream(_ prefix: [UInt8]) -> Bool {
        StreamStart.mayBeginSSE(prefix)
    }

    static func makeDecoder(provider: String) -> any ChatStreamDecoder {
        OpenAIChatDecoder(provider: provider)
    }
}
