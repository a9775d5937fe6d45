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
        let data = (try? JSONSerialization.data(withJSONObject: object, options: writingOptions)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// Sorted keys, and `/` written as itself (`"HTTP/1.1"`, not `"HTTP\/1.1"`: JSON allows
    /// both, people and `grep` read the first).
    public static let writingOptions: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]

    /// Seconds rounded to the microsecond, the clock's resolution, written in plain decimals
    /// (`0.000302`, not `0.00030199999999999997`; `0.000049`, not `4.9e-05`: a `Decimal`,
    /// which JSONSerialization writes as it prints); a non-finite value becomes null.
    public static func seconds(_ value: Double) -> Any {
        guard value.isFinite else { return NSNull() }
        var text = String(format: "%.6f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return Decimal(string: text) ?? NSNull()
    }

    /// The timings as a JSON-ready dictionary (seconds; absent figures left out).
    public static func timingsObject(_ timings: ChatTimings) -> [String: Any] {
        var object: [String: Any] = [
            "queue_s": seconds(timings.queue), "dns_s": seconds(timings.dns), "connect_s": seconds(timings.connect),
            "tls_s": seconds(timings.tls), "first_byte_s": seconds(timings.firstByte), "total_s": seconds(timings.total),
            "reused_connection": timings.reusedConnection, "http_version": timings.httpVersion.rawValue,
        ]
        if let ttft = timings.timeToFirstToken { object["ttft_s"] = seconds(ttft) }
        if let tps = timings.tokensPerSecond { object["tokens_per_second"] = tps }
        if let tokens = timings.outputTokens { object["output_tokens"] = tokens }
        return object
    }
}
