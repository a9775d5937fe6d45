/// Finds the line and column where each key and table header of a TOML document is written.
///
/// TOMLKit reports positions only for syntax errors, yet a good message about a key says
/// which line it is on. This scanner walks the source the way a TOML lexer does (strings,
/// multi-line strings, comments, arrays, inline tables, dotted and quoted keys) and records
/// the position of every key path. It runs only on documents TOMLKit already accepted, so it
/// never has to report errors itself; on anything unexpected it skips to the next line.
struct TOMLKeyLocator {
    /// A 1-based position in the source.
    struct Location: Equatable {
        var line: Int
        var column: Int
    }

    private let locations: [[String]: Location]
    private let lines: [Substring]

    init(source: String) {
        var scanner = Scanner(bytes: Array(source.utf8))
        scanner.scanDocument()
        locations = scanner.found
        lines = source.split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// Where `path` (table names then key, e.g. `["providers", "lab", "base_url"]`) is written.
    func location(of path: [String]) -> Location? { locations[path] }

    /// The first line at or after `line` that contains `text`; used to point at one element of
    /// a multi-line array.
    func line(containing text: String, from line: Int) -> Int? {
        guard line >= 1 else { return nil }
        for index in (line - 1)..<lines.count where lines[index].contains(text) {
            return index + 1
        }
        return nil
    }
}

extension TOMLKeyLocator {
    /// A byte-level walk over the document. Positions count bytes, which equals characters for
    /// the ASCII keys a config holds.
    fileprivate struct Scanner {
        let bytes: [UInt8]
        var index = 0
        var line = 1
        var lineStart = 0
        var found: [[String]: Location] = [:]

        init(bytes: [UInt8]) { self.bytes = bytes }

        private var current: UInt8? { index < bytes.count ? bytes[index] : nil }
        private func peek(_ offset: Int) -> UInt8? {
            index + offset < bytes.count ? bytes[index + offset] : nil
        }
        private var here: Location { Location(line: line, column: index - lineStart + 1) }

        private mutating func advance() {
            if bytes[index] == UInt8(ascii: "\n") {
                line += 1
                lineStart = index + 1
            }
            index += 1
        }

        private mutating func record(_ path: [String], at location: Location) {
            // Dotted keys and headers also define their parents; the first mention wins.
            for length in 1...max(1, path.count) where length <= path.count {
                let prefix = Array(path.prefix(length))
                if found[prefix] == nil { found[prefix] = location }
            }
        }

        mutating func scanDocument() {
            var table: [String] = []
            while true {
                skipBlank(newlines: true)
                guard let byte = current else { return }
                if byte == UInt8(ascii: "[") {
                    let start = here
                    advance()
                    if current == UInt8(ascii: "[") { advance() }
                    if let keys = scanKey() {
                        record(keys, at: start)
                        table = keys
                    }
                } else {
                    scanKeyValue(prefix: table)
                }
                skipToEndOfLine()
            }
        }

        private mutating func scanKeyValue(prefix: [String]?) {
            let start = here
            guard let keys = scanKey() else { return }
            skipBlank(newlines: false)
            guard current == UInt8(ascii: "=") else { return }
            advance()
            let path = prefix.map { $0 + keys }
            if let path { record(path, at: start) }
            skipBlank(newlines: false)
            scanValue(path: path)
        }

        /// Reads `a.b."c d".'e'` and returns its parts; nil if no key starts here.
        private mutating func scanKey() -> [String]? {
            var parts: [String] = []
            while true {
                skipBlank(newlines: false)
                guard let part = scanSimpleKey() else { return nil }
                parts.append(part)
                skipBlank(newlines: false)
                guard current == UInt8(ascii: ".") else { return parts }
                advance()
            }
        }

        private mutating func scanSimpleKey() -> String? {
            guard let byte = current else { return nil }
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                return scanSingleLineString(quote: byte)
            }
            let start = index
            while let byte = current, Self.isBareKeyByte(byte) { advance() }
            guard index > start else { return nil }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        private static func isBareKeyByte(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
                true
            default: false
            }
        }

        /// Reads a one-line quoted key, decoding the common escapes of basic strings.
        private mutating func scanSingleLineString(quote: UInt8) -> String? {
            advance()
            var decoded: [UInt8] = []
            while let byte = current, byte != UInt8(ascii: "\n") {
                advance()
                if byte == quote { return String(decoding: decoded, as: UTF8.self) }
                if quote == UInt8(ascii: "\""), byte == UInt8(ascii: "\\"), let escaped = current {
                    advance()
                    switch escaped {
                    case UInt8(ascii: "n"): decoded.append(UInt8(ascii: "\n"))
                    case UInt8(ascii: "t"): decoded.append(UInt8(ascii: "\t"))
                    case UInt8(ascii: "u"), UInt8(ascii: "U"):
                        decoded.append(contentsOf: scanUnicodeEscape(digits: escaped == UInt8(ascii: "u") ? 4 : 8))
                    default: decoded.append(escaped)
                    }
                } else {
                    decoded.append(byte)
                }
            }
            return nil
        }

        private mutating func scanUnicodeEscape(digits: Int) -> [UInt8] {
            var hex = ""
            for _ in 0..<digits {
                guard let byte = current else { break }
                hex.unicodeScalars.append(Unicode.Scalar(byte))
                advance()
            }
            guard let value = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(value) else { return [] }
            return Array(String(Character(scalar)).utf8)
        }

        /// Skips one value; keys inside inline tables are recorded under `path` when it is not
        /// nil (inside arrays they are not addressable by a path, so they are skipped).
        private mutating func scanValue(path: [String]?) {
            guard let byte = current else { return }
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                skipString(quote: byte)
            case UInt8(ascii: "{"):
                advance()
                scanInlineTable(path: path)
            case UInt8(ascii: "["):
                advance()
                skipArray()
            default:
                while let byte = current, !Self.endsBareValue(byte) { advance() }
            }
        }

        private static func endsBareValue(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}")
                || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "#")
        }

        private mutating func scanInlineTable(path: [String]?) {
            while true {
                skipBlank(newlines: true)
                guard let byte = current else { return }
                if byte == UInt8(ascii: "}") {
                    advance()
                    return
                }
                if byte == UInt8(ascii: ",") {
                    advance()
                    continue
                }
                let before = index
                scanKeyValue(prefix: path)
                if index == before { advance() }
            }
        }

        private mutating func skipArray() {
            while true {
                skipBlank(newlines: true)
                guard let byte = current else { return }
                if byte == UInt8(ascii: "]") {
                    advance()
                    return
                }
                if byte == UInt8(ascii: ",") {
                    advance()
                    continue
                }
                let before = index
                scanValue(path: nil)
                if index == before { advance() }
            }
        }

        private mutating func skipString(quote: UInt8) {
            let isMultiLine = peek(1) == quote && peek(2) == quote
            if !isMultiLine {
                _ = scanSingleLineString(quote: quote)
                return
            }
            advance()
            advance()
            advance()
            while let byte = current {
                if byte == UInt8(ascii: "\\"), quote == UInt8(ascii: "\"") {
                    advance()
                    if current != nil { advance() }
                    continue
                }
                if byte == quote, peek(1) == quote, peek(2) == quote {
                    advance()
                    advance()
                    advance()
                    // Up to two more quotes may belong to the content ("""a"""" is legal).
                    while current == quote { advance() }
                    return
                }
                advance()
            }
        }

        /// Skips spaces, tabs and comments, and newlines too when `newlines` is set.
        private mutating func skipBlank(newlines: Bool) {
            while let byte = current {
                if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") {
                    advance()
                } else if byte == UInt8(ascii: "\n"), newlines {
                    advance()
                } else if byte == UInt8(ascii: "#") {
                    while let byte = current, byte != UInt8(ascii: "\n") { advance() }
                } else {
                    return
                }
            }
        }

        private mutating func skipToEndOfLine() {
            while let byte = current {
                advance()
                if byte == UInt8(ascii: "\n") { return }
            }
        }
    }
}
