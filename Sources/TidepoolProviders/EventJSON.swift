import Foundation

/// One chat event as a line of JSON, for `ask --json` and `compare --json`.
public enum EventJSON {
    /// `{"type":"text","text":"..."}`, `{"type":"timings",...}` and so on.
    public static func encode(_ event: ChatEvent) -> String {
        var object: [String: Any]
        switch event {
        case .textDelta(let text): object = ["type": "text", "text": text]
        case .reasoningDelta(let text): object = ["type": "reasoning", "text": text]
        case .usage(let input, let output):
            object = ["type": "usage"]
            if let input { object["input_tokens"] = input }
            if let output { object["output_tokens"] = output }
        case .finish(let reason): object = ["type": "finish", "reason": reason]
        case .timings(let timings): object = ["type": "timings"].merging(timingsObject(timings)) { $1 }
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// The timings as a JSON-ready dictionary (seconds; absent figures left out).
    public static func timingsObject(_ timings: ChatTimings) -> [String: Any] {
        var object: [String: Any] = [
            "queue_s": timings.queue, "dns_s": timings.dns, "connect_s": timings.connect, "tls_s": timings.tls,
            "first_byte_s": timings.firstByte, "total_s": timings.total,
            "reused_connection": timings.reusedConnection, "http_version": timings.httpVersion.rawValue,
        ]
        if let ttft = timings.timeToFirstToken { object["ttft_s"] = ttft }
        if let tps = timings.tokensPerSecond { object["tokens_per_second"] = tps }
        if let tokens = timings.outputTokens { object["output_tokens"] = tokens }
        return object
    }
}
