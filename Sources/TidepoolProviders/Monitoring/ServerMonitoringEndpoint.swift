import Foundation

/// One monitoring endpoint of a server product and the parser for what it answers. A preset
/// names the ones its product has (``ProviderPreset/monitoringEndpoints``); paths are relative
/// to the server's origin, not to the API base URL (`/slots`, not `/v1/slots`).
///
/// Every parser is pure and treats the body as hostile: a size cap before parsing, numbers
/// clamped before conversion, unknown fields ignored, a missing field is "no data".
public enum ServerMonitoringEndpoint: String, Sendable, Hashable, CaseIterable {
    /// Ollama `GET /api/ps`: the models loaded, their size in VRAM and RAM, context, expiry.
    case ollamaProcesses
    /// llama-server `GET /slots` (on by default; `--no-slots` turns it off): busy of total
    /// slots, tokens decoded.
    case llamacppSlots
    /// llama-server `GET /props`: `total_slots`.
    case llamacppProps
    /// llama-server `GET /metrics` (only with `--metrics`): processing, deferred, tokens/s.
    case llamacppMetrics
    /// vLLM `GET /metrics`: running, waiting, KV cache use, time to first token.
    case vllmMetrics
    /// LM Studio `GET /api/v0/models` (0.3.6+): loaded or not, context lengths.
    case lmstudioModels

    /// The largest JSON body read: 1 MiB (a `/slots` of 64 busy slots is about 90 KB).
    public static let maximumJSONBytes = 1 << 20

    /// The request path on the server's origin.
    public var path: String {
        switch self {
        case .ollamaProcesses: return "/api/ps"
        case .llamacppSlots: return "/slots"
        case .llamacppProps: return "/props"
        case .llamacppMetrics, .vllmMetrics: return "/metrics"
        case .lmstudioModels: return "/api/v0/models"
        }
    }

    /// Reads one body of this endpoint.
    /// - Throws: ``ServerMonitorError`` when the body is too large, not JSON where JSON is
    ///   due, or of an unknown shape. A `/metrics` body never fails for its content: garbage
    ///   lines are skipped and missing series are no data.
    public func parse(_ body: [UInt8]) throws(ServerMonitorError) -> ServerSnapshot {
        switch self {
        case .llamacppMetrics:
            let metrics = try PrometheusText(parsing: body, endpoint: path)
            return ServerSnapshot(
                requestsRunning: ServerSnapshot.count(metrics.sum("llamacpp:requests_processing")),
                requestsWaiting: ServerSnapshot.count(metrics.sum("llamacpp:requests_deferred")),
                generationTokensPerSecond: ServerSnapshot.rate(metrics.maximum("llamacpp:predicted_tokens_seconds")))
        case .vllmMetrics:
            let metrics = try PrometheusText(parsing: body, endpoint: path)
            return ServerSnapshot(
                requestsRunning: ServerSnapshot.count(metrics.sum("vllm:num_requests_running")),
                requestsWaiting: ServerSnapshot.count(metrics.sum("vllm:num_requests_waiting")),
                kvCacheUsage: ServerSnapshot.ratio(
                    metrics.maximum("vllm:kv_cache_usage_perc") ?? metrics.maximum("vllm:gpu_cache_usage_perc")),
                timeToFirstTokenCount: ServerSnapshot.rate(metrics.sum("vllm:time_to_first_token_seconds_count")),
                timeToFirstTokenSecondsSum: ServerSnapshot.rate(metrics.sum("vllm:time_to_first_token_seconds_sum")))
        case .ollamaProcesses:
            return try Self.ollamaProcesses(json(body))
        case .llamacppSlots:
            return try Self.llamacppSlots(json(body))
        case .llamacppProps:
            let props = try json(body)
            guard props.isObject else { throw .unexpectedShape(endpoint: path, detail: "expected an object") }
            return ServerSnapshot(slotsTotal: ServerSnapshot.count(props["total_slots"]))
        case .lmstudioModels:
            return try Self.lmstudioModels(json(body))
        }
    }

    private func json(_ body: [UInt8]) throws(ServerMonitorError) -> JSONValue {
        guard body.count <= Self.maximumJSONBytes else {
            throw .bodyTooLarge(endpoint: path, bytes: body.count, limit: Self.maximumJSONBytes)
        }
        do {
            return try JSONValue(parsing: body)
        } catch {
            throw .notJSON(endpoint: path)
        }
    }

    private static func ollamaProcesses(_ json: JSONValue) throws(ServerMonitorError) -> ServerSnapshot {
        guard let entries = json["models"]?.array else {
            throw .unexpectedShape(endpoint: "/api/ps", detail: "expected {\"models\": [...]}")
        }
        let models = entries.compactMap { entry -> ServerSnapshot.Model? in
            guard let name = entry["name"]?.string ?? entry["model"]?.string else { return nil }
            return ServerSnapshot.Model(
                name: name, loaded: true, sizeBytes: ServerSnapshot.count(entry["size"]),
                vramBytes: ServerSnapshot.count(entry["size_vram"]),
                contextLength: ServerSnapshot.count(entry["context_length"]),
                expiresAt: entry["expires_at"]?.string.flatMap(parseTimestamp))
        }
        return ServerSnapshot(models: models)
    }

    private static func llamacppSlots(_ json: JSONValue) throws(ServerMonitorError) -> ServerSnapshot {
        guard let slots = json.array else {
            // `--no-slots` servers answer 501 with {"error": {...}}: not a slot list.
            throw .unexpectedShape(endpoint: "/slots", detail: "expected an array of slots")
        }
        var busy = 0
        var decoded = 0
        for slot in slots {
            guard slot["is_processing"]?.bool == true else { continue }
            busy += 1
            // b9014 writes `next_token` as an array of one object; older builds as an object.
            let next = slot["next_token"]?.array?.first ?? slot["next_token"]
            decoded = decoded.addingReportingOverflow(ServerSnapshot.count(next?["n_decoded"]) ?? 0).partialValue
        }
        return ServerSnapshot(
            requestsRunning: busy, slotsBusy: busy, slotsTotal: slots.count, tokensDecoded: max(decoded, 0))
    }

    private static func lmstudioModels(_ json: JSONValue) throws(ServerMonitorError) -> ServerSnapshot {
        guard let entries = json["data"]?.array else {
            throw .unexpectedShape(endpoint: "/api/v0/models", detail: "expected {\"data\": [...]}")
        }
        let models = entries.compactMap { entry -> ServerSnapshot.Model? in
            guard let name = entry["id"]?.string else { return nil }
            let loaded = entry["state"]?.string == "loaded"
            return ServerSnapshot.Model(
                name: name, loaded: loaded,
                contextLength: ServerSnapshot.count(
                    (loaded ? entry["loaded_context_length"] : nil) ?? entry["max_context_length"]))
        }
        return ServerSnapshot(models: models)
    }

    /// Ollama's `expires_at`: RFC 3339 with up to nanosecond fractions
    /// (`2024-06-04T14:38:31.83753-07:00`), which `ISO8601DateFormatter` reads only without
    /// the fraction: the fraction is cut off, parsed apart and added back.
    static func parseTimestamp(_ text: String) -> Date? {
        guard text.utf8.count <= 64 else { return nil }
        var whole = text
        var fraction = 0.0
        if let dot = text.firstIndex(of: ".") {
            let digits = text[text.index(after: dot)...].prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty else { return nil }
            fraction = Double("0." + digits) ?? 0
            whole = String(text[..<dot]) + String(text[text.index(after: dot)...].dropFirst(digits.count))
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: whole).map { $0.addingTimeInterval(fraction) }
    }
}
