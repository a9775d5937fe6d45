/// One sample of a Prometheus text exposition: `name{label="value",...} 1.5`.
public struct PrometheusSample: Sendable, Equatable {
    /// The metric name, with any `_bucket`/`_sum`/`_count` suffix as written.
    public let name: String
    /// The labels, in the order written.
    public let labels: [String: String]
    /// The value; `NaN` and the infinities are kept as written.
    public let value: Double
}

/// The samples of one `/metrics` body (the Prometheus text format 0.0.4, which vLLM and
/// llama-server write), read by a small parser that never trusts the server.
///
/// Why our own: both `/metrics` readers need three or four gauges out of a body that may be
/// 57 KB (vLLM), and the maintained Prometheus libraries in the mirror write the format rather
/// than read it. The parser is pure and bounded: a body over ``maximumBodyBytes`` is refused
/// before any work, a line it cannot read (garbage, an unknown syntax such as the newer quoted
/// UTF-8 names, a broken escape) is skipped and counted, and nothing in the input can trap.
public struct PrometheusText: Sendable, Equatable {
    /// The largest body accepted by default: 1 MiB, about 18 times vLLM's.
    public static let maximumBodyBytes = 1 << 20
    /// Labels read per sample at most; a line with more is skipped.
    static let maximumLabels = 64

    /// Every sample read, in body order.
    public let samples: [PrometheusSample]
    /// Lines that were neither blank, a comment, nor a readable sample.
    public let skippedLines: Int

    /// Parses `body`.
    /// - Throws: ``ServerMonitorError/bodyTooLarge(endpoint:bytes:limit:)`` when `body` is
    ///   longer than `limit`.
    public init(
        parsing body: [UInt8], endpoint: String = "/metrics", limit: Int = PrometheusText.maximumBodyBytes
    ) throws(ServerMonitorError) {
        guard body.count <= limit else {
            throw .bodyTooLarge(endpoint: endpoint, bytes: body.count, limit: limit)
        }
        var samples: [PrometheusSample] = []
        var skipped = 0
        var lineStart = 0
        while lineStart < body.count {
            var lineEnd = lineStart
            while lineEnd < body.count, body[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            var line = body[lineStart..<lineEnd]
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            lineStart = lineEnd + 1
            let trimmed = line.drop { $0 == 0x20 || $0 == 0x09 }
            if trimmed.isEmpty || trimmed.first == UInt8(ascii: "#") { continue }
            if let sample = Self.sample(trimmed) {
                samples.append(sample)
            } else {
                skipped += 1
            }
        }
        self.samples = samples
        self.skippedLines = skipped
    }

    /// Every sample called `name`.
    public func samples(named name: String) -> [PrometheusSample] {
        samples.filter { $0.name == name }
    }

    /// The sum of the finite values of every series called `name` (several engines or models
    /// each have their own series), or nil when there is none.
    public func sum(_ name: String) -> Double? {
        let values = samples(named: name).map(\.value).filter(\.isFinite)
        return values.isEmpty ? nil : values.reduce(0, +)
    }

    /// The largest finite value of the series called `name`, or nil when there is none.
    public func maximum(_ name: String) -> Double? {
        samples(named: name).map(\.value).filter(\.isFinite).max()
    }

    // MARK: - One line

    private static func isNameStart(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || byte == 0x5F || byte == 0x3A
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        isNameStart(byte) || (byte >= 0x30 && byte <= 0x39)
    }

    /// Reads `name[{labels}] value [timestamp]`, or nil when the line is not that.
    private static func sample(_ line: ArraySlice<UInt8>) -> PrometheusSample? {
        var index = line.startIndex
        guard index < line.endIndex, isNameStart(line[index]) else { return nil }
        while index < line.endIndex, isNameByte(line[index]) { index += 1 }
        let name = String(decoding: line[line.startIndex..<index], as: UTF8.self)
        var labels: [String: String] = [:]
        if index < line.endIndex, line[index] == UInt8(ascii: "{") {
            index += 1
            guard let end = readLabels(line, from: index, into: &labels) else { return nil }
            index = end
        }
        // The value, then an optional timestamp, separated by blanks.
        let rest = line[index...]
        guard let first = rest.first, first == 0x20 || first == 0x09 else { return nil }
        let fields = rest.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 })
        guard fields.count == 1 || fields.count == 2, let value = number(fields[0]) else { return nil }
        if fields.count == 2, Int64(String(decoding: fields[1], as: UTF8.self)) == nil { return nil }
        return PrometheusSample(name: name, labels: labels, value: value)
    }

    /// Reads `name="value",...}` starting after the `{`; returns the index after the `}`.
    private static func readLabels(
        _ line: ArraySlice<UInt8>, from start: Int, into labels: inout [String: String]
    ) -> Int? {
        var index = start
        while true {
            guard index < line.endIndex else { return nil }
            if line[index] == UInt8(ascii: "}") { return index + 1 }
            guard isNameStart(line[index]) else { return nil }
            let nameStart = index
            while index < line.endIndex, isNameByte(line[index]) { index += 1 }
            let labelName = String(decoding: line[nameStart..<index], as: UTF8.self)
            guard index + 1 < line.endIndex, line[index] == UInt8(ascii: "="),
                line[index + 1] == UInt8(ascii: "\"")
            else { return nil }
            index += 2
            var value: [UInt8] = []
            while true {
                guard index < line.endIndex else { return nil }
                let byte = line[index]
                index += 1
                if byte == UInt8(ascii: "\"") { break }
                if byte == UInt8(ascii: "\\") {
                    guard index < line.endIndex else { return nil }
                    switch line[index] {
                    case UInt8(ascii: "n"): value.append(0x0A)
                    case UInt8(ascii: "\\"): value.append(0x5C)
                    case UInt8(ascii: "\""): value.append(0x22)
                    default: return nil
                    }
                    index += 1
                } else {
                    value.append(byte)
                }
            }
            labels[labelName] = String(decoding: value, as: UTF8.self)
            guard labels.count <= maximumLabels, index < line.endIndex else { return nil }
            if line[index] == UInt8(ascii: ",") {
                index += 1
            } else if line[index] != UInt8(ascii: "}") {
                return nil
            }
        }
    }

    /// A Prometheus float: Go's `ParseFloat` syntax plus `NaN`, `+Inf`, `-Inf`.
    private static func number(_ field: ArraySlice<UInt8>) -> Double? {
        guard field.count <= 64 else { return nil }
        let text = String(decoding: field, as: UTF8.self)
        switch text {
        case "NaN": return .nan
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        default: break
        }
        // `Double("nan")`, `Double("inf")` and hexadecimal forms are not Prometheus numbers.
        guard text.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || "+-.eE".utf8.contains($0) }) else {
            return nil
        }
        return Double(text)
    }
}
