import TidepoolPool

/// Ollama's native API as the server speaks it: `POST /api/chat` with `stream: true`
/// (NDJSON back), and `GET /api/tags` for the installed models.
enum OllamaWire: WireFormat {
    /// The streaming chat request. Options go under `options` (`temperature`,
    /// `num_predict`); reasoning is the top-level `think`.
    static func chatRequest(
        _ request: ChatRequest, baseURL: String, apiKey: String?, includeStreamOptions: Bool = false
    ) -> HTTPRequest {
        var body: [String: JSONValue] = [
            "model": .string(request.model), "messages": .array(request.roleContentMessages), "stream": .bool(true),
        ]
        var options: [String: JSONValue] = [:]
        if let temperature = request.temperature { options["temperature"] = .double(temperature) }
        if let maxTokens = request.maxTokens { options["num_predict"] = .int(maxTokens) }
        if !options.isEmpty { body["options"] = .object(options) }
        if let reasoning = request.reasoning { body["think"] = .bool(reasoning) }
        return HTTPRequest(
            method: "POST", url: baseURL + "/api/chat",
            headers: WireHeaders.json(accept: "application/x-ndjson") + WireHeaders.bearer(apiKey),
            body: JSONValue.object(body).serialized())
    }

    /// `GET /api/tags`.
    static func modelsRequest(baseURL: String, apiKey: String?) -> HTTPRequest {
        HTTPRequest(method: "GET", url: baseURL + "/api/tags",
                    headers: [HTTPHeader("Accept", "application/json")] + WireHeaders.bearer(apiKey))
    }

    /// The model names (`qwen3:4b`, ...) in a `/api/tags` body, or nil if it is not one.
    static func models(from body: [UInt8]) -> [String]? {
        guard let list = (try? JSONValue(parsing: body))?["models"]?.array else { return nil }
        return list.compactMap { $0["name"]?.string ?? $0["model"]?.string }
    }

    static func mayBeginStream(_ prefix: [UInt8]) -> Bool {
        StreamStart.mayBeginNDJSON(prefix)
    }

    static func makeDecoder(provider: String) -> any ChatStreamDecoder {
        OllamaChatDecoder(provider: provider)
    }
}
