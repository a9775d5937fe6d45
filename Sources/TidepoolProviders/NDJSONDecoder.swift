/// An incremental, I/O-free splitter of newline-delimited JSON (`application/x-ndjson`).
///
/// It returns each non-blank line's bytes; parsing the JSON is the caller's business, so a
/// malformed line can be reported with its own text. LF ends a line and a CR before it is
/// dropped. A last line without a newline is delivered by ``finish()``. A line longer than
/// ``maxLineLength`` throws ``StreamFramingError/lineTooLong(limit:)``.
public struct NDJSONDecoder: Sendable {
    /// The default bound on one line: 4 MiB.
    public static let defaultMaxLineLength = 4 << 20

    /// The bound on one line, in bytes.
    public var maxLineLength: Int { lines.maxLineLength }

    private var lines: LineSplitter

    /// Creates a decoder bounding each line to `maxLineLength` bytes.
    public init(maxLineLength: Int = NDJSONDecoder.defaultMaxLineLength) {
        lines = LineSplitter(acceptsBareCR: false, maxLineLength: maxLineLength)
    }

    /// Decodes the next chunk, returning the non-blank lines it completed.
    public mutating func feed(_ bytes: some Collection<UInt8>) throws -> [[UInt8]] {
        var result: [[UInt8]] = []
        try lines.feed(bytes) { line in
            if !Self.isBlank(line) { result.append(Array(line)) }
        }
        return result
    }

    /// Ends the stream, returning the last line if it had no newline.
    public mutating func finish() throws -> [[UInt8]] {
        guard let rest = lines.takeRemainder(), !Self.isBlank(rest[...]) else { return [] }
        return [rest]
    }

    private static func isBlank(_ line: ArraySlice<UInt8>) -> Bool {
        line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }
}
