import Foundation

/// Splits bytes arriving in arbitrary chunks into lines, without decoding them.
///
/// Working on bytes (and decoding only whole lines) is what makes a UTF-8 character split
/// across two network chunks harmless. A CR at the end of one chunk followed by an LF at the
/// start of the next is one line ending, so the splitter remembers a pending CR.
struct LineSplitter: Sendable {
    /// Whether a lone CR ends a line (server-sent events) or only LF does (NDJSON, where a
    /// trailing CR before the LF is trimmed).
    let acceptsBareCR: Bool
    /// The longest line kept in memory, in bytes.
    let maxLineLength: Int

    private var line: [UInt8] = []
    private var skipNextLF = false

    init(acceptsBareCR: Bool, maxLineLength: Int) {
        self.acceptsBareCR = acceptsBareCR
        self.maxLineLength = max(1, maxLineLength)
    }

    /// Feeds bytes, calling `body` with each completed line (without its line ending).
    mutating func feed(
        _ bytes: some Collection<UInt8>, _ body: (ArraySlice<UInt8>) throws -> Void
    ) throws {
        let handled: Void? = try bytes.withContiguousStorageIfAvailable { try feed(buffer: $0, body) }
        if handled == nil {
            try Array(bytes).withUnsafeBufferPointer { try feed(buffer: $0, body) }
        }
    }

    /// Scans with `memchr` rather than byte by byte: long lines and every-offset tests stay
    /// fast even in debug builds.
    private mutating func feed(
        buffer: UnsafeBufferPointer<UInt8>, _ body: (ArraySlice<UInt8>) throws -> Void
    ) throws {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return }
        let count = buffer.count
        var start = 0
        if skipNextLF {
            skipNextLF = false
            if base[0] == Self.lf { start = 1 }
        }
        var nextCR = -1
        while start < count {
            var end = Self.find(Self.lf, in: base, from: start, count: count)
            var endsAtCR = false
            if acceptsBareCR {
                if nextCR < start { nextCR = Self.find(Self.cr, in: base, from: start, count: count) }
                if nextCR < end {
                    end = nextCR
                    endsAtCR = true
                }
            }
            try append(UnsafeBufferPointer(rebasing: buffer[start..<end]))
            if end == count { return }
            if !acceptsBareCR, line.last == Self.cr { line.removeLast() }
            try emit(body)
            start = end + 1
            if endsAtCR {
                if start == count {
                    skipNextLF = true
                } else if base[start] == Self.lf {
                    start += 1
                }
            }
        }
    }

    private static let lf = UInt8(ascii: "\n")
    private static let cr = UInt8(ascii: "\r")

    /// The index of the first `byte` at or after `from`, or `count` when there is none.
    private static func find(
        _ byte: UInt8, in base: UnsafePointer<UInt8>, from: Int, count: Int
    ) -> Int {
        guard let found = memchr(base + from, Int32(byte), count - from) else { return count }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        guard line.count + bytes.count <= maxLineLength else {
            throw StreamFramingError.lineTooLong(limit: maxLineLength)
        }
        line.append(contentsOf: bytes)
    }

    /// Returns the unterminated last line, if any, and forgets it.
    mutating func takeRemainder() -> [UInt8]? {
        defer {
            line.removeAll()
            skipNextLF = false
        }
        if !acceptsBareCR, line.last == UInt8(ascii: "\r") { line.removeLast() }
        return line.isEmpty ? nil : line
    }

    private mutating func emit(_ body: (ArraySlice<UInt8>) throws -> Void) throws {
        try body(line[...])
        line.removeAll(keepingCapacity: true)
    }
}
