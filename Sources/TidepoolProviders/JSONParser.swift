/// A strict JSON parser straight from UTF-8 bytes into ``JSONValue`` (RFC 8259).
///
/// Every streamed chunk of an answer is one small JSON document, so this sits on the hot path
/// of a stream: going through `JSONSerialization` cost a `Data` copy, Foundation objects and a
/// dynamic cast per value, more CPU than drawing the screen. Numbers without a fraction or
/// exponent that fit an `Int` are `.int`, others `.double`, as before. Nesting is bounded
/// (``maximumDepth``) so hostile input cannot exhaust the stack. A ``JSONSelection`` leaves
/// out the members a decoder never reads: they are validated, not built. Reads the caller's
/// bytes in place (no copy when they are contiguous). Not thread-safe: one per parse.
struct JSONParser {
    /// Why a text is not JSON (the position is a byte offset).
    struct Failure: Error, Equatable {
        var offset: Int
    }

    static let maximumDepth = 512

    /// Valid only inside ``withBuffer(_:_:)``, which holds the storage alive.
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var depth = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Parses one JSON value (any type at the top) surrounded by optional whitespace.
    static func parse(_ bytes: some Collection<UInt8>) throws(Failure) -> JSONValue {
        try withBuffer(bytes) { parser throws(Failure) in try parser.parseValue() }
    }

    /// The same, building of its objects only the members `selection` keeps (the others are
    /// validated alike): it fails exactly when ``parse(_:)`` does.
    static func parse(_ bytes: some Collection<UInt8>, selecting selection: JSONSelection) throws(Failure) -> JSONSelected {
        try withBuffer(bytes) { parser throws(Failure) in try parser.parseSelected(selection) }
    }

    /// Runs `parseDocument` over the bytes in place (copied only when not contiguous), with
    /// the whitespace around the value and nothing after it.
    private static func withBuffer<Value>(
        _ bytes: some Collection<UInt8>, _ parseDocument: (inout JSONParser) throws(Failure) -> Value
    ) throws(Failure) -> Value {
        func run(_ buffer: UnsafeBufferPointer<UInt8>) -> Result<Value, Failure> {
            var parser = JSONParser(buffer)
            do throws(Failure) {
                parser.skipWhitespace()
                let value = try parseDocument(&parser)
                parser.skipWhitespace()
                guard parser.index == parser.bytes.count else { throw Failure(offset: parser.index) }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        let outcome = bytes.withContiguousStorageIfAvailable(run) ?? Array(bytes).withUnsafeBufferPointer(run)
        return try outcome.get()
    }

    private var failure: Failure { Failure(offset: index) }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func parseValue() throws(Failure) -> JSONValue {
        guard index < bytes.count else { throw failure }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try expect("false"); return .bool(false)
        case UInt8(ascii: "n"): try expect("null"); return .null
        default: return try parseNumber()
        }
    }

    private mutating func expect(_ word: StaticString) throws(Failure) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw failure }
        let start = word.utf8Start
        for offset in 0..<count where bytes[index + offset] != start[offset] { throw Failure(offset: index + offset) }
        index += count
    }

    private mutating func parseObject() throws(Failure) -> JSONValue {
        // Room for a streamed chunk's fields at once, instead of growing 1, 2, 4, 8.
        var members = [String: JSONValue](minimumCapacity: 8)
        try walkObject(key: { parser throws(Failure) in try parser.parseString() },
                       value: { parser, key throws(Failure) in members[key] = try parser.parseValue() })
        return .object(members)
    }

    private mutating func parseArray() throws(Failure) -> JSONValue {
        var elements: [JSONValue] = []
        try walkArray { parser throws(Failure) in elements.append(try parser.parseValue()) }
        return .array(elements)
    }

    /// Reads the object at `{`: `key` reads each key from its opening quote, `value` each value
    /// from its first byte. The punctuation, the whitespace and the depth limit are checked
    /// here, so the plain, selective and skipping parses read objects by one grammar.
    @inline(__always)
    private mutating func walkObject<Key>(key: (inout JSONParser) throws(Failure) -> Key,
                                          value: (inout JSONParser, Key) throws(Failure) -> Void) throws(Failure) {
        depth += 1
        guard depth <= Self.maximumDepth else { throw failure }
        defer { depth -= 1 }
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw failure }
            let name = try key(&self)
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw failure }
            index += 1
            skipWhitespace()
            try value(&self, name)
            skipWhitespace()
            guard index < bytes.count else { throw failure }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "}") else { throw failure }
            index += 1
            return
        }
    }

    /// Reads the array at `[`, `element` reading each element from its first byte (see
    /// ``walkObject(key:value:)``).
    @inline(__always)
    private mutating func walkArray(_ element: (inout JSONParser) throws(Failure) -> Void) throws(Failure) {
        depth += 1
        guard depth <= Self.maximumDepth else { throw failure }
        defer { depth -= 1 }
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return
        }
        while true {
            skipWhitespace()
            try element(&self)
            skipWhitespace()
            guard index < bytes.count else { throw failure }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "]") else { throw failure }
            index += 1
            return
        }
    }

    /// A string starting at the opening quote; escapes decoded, invalid UTF-8 rejected.
    private mutating func parseString() throws(Failure) -> String {
        index += 1
        let start = index
        // Fast path: no escapes.
        while true {
            skipPlainASCII()
            guard index < bytes.count else { throw failure }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = try validated(UnsafeBufferPointer(rebasing: bytes[start..<index]))
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw failure }
            index += 1
        }
        var scalars: [UInt8] = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return try scalars.withUnsafeBufferPointer { buffer throws(Failure) in try validated(buffer) }
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { throw failure }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(escape)
                case UInt8(ascii: "b"): scalars.append(0x08)
                case UInt8(ascii: "f"): scalars.append(0x0C)
                case UInt8(ascii: "n"): scalars.append(0x0A)
                case UInt8(ascii: "r"): scalars.append(0x0D)
                case UInt8(ascii: "t"): scalars.append(0x09)
                case UInt8(ascii: "u"):
                    var value = try hex4()
                    if (0xD800...0xDBFF).contains(value) {
                        // A high surrogate must be followed by an escaped low one.
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                              bytes[index + 1] == UInt8(ascii: "u") else { throw failure }
                        index += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw failure }
                        value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(value) {
                        throw failure
                    }
                    guard let scalar = Unicode.Scalar(value) else { throw failure }
                    scalars.append(contentsOf: UTF8.encode(scalar)!)
                default:
                    throw failure
                }
            default:
                if byte < 0x20 { throw failure }
                scalars.append(byte)
                index += 1
            }
        }
        throw failure
    }

    /// Moves past bytes a string holds as they are: printable ASCII but `"` and `\`. Eight
    /// at a time: string scanning was most of a chunk's parse.
    private mutating func skipPlainASCII() {
        if let base = bytes.baseAddress {
            while index + 8 <= bytes.count {
                let special = Self.specialBytes(UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)))
                if special != 0 {
                    // Read little-endian: the lowest flag is the first of the bytes.
                    index += special.trailingZeroBitCount >> 3
                    return
                }
                index += 8
            }
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 { return }
            index += 1
        }
    }

    /// The high bit of each byte of `word` that is `"`, `\`, below 0x20 or above 0x7F, with
    /// the has-a-zero-byte and has-a-byte-less-than tests of "Bit Twiddling Hacks" (Anderson).
    /// Those may also flag a byte above a flagged one (a borrow), never one below it: the
    /// lowest flag is always exact, and it is the only one read.
    private static func specialBytes(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        func zeroBytes(_ value: UInt64) -> UInt64 { (value &- ones) & ~value & highBits }
        let quote = zeroBytes(word ^ (ones &* 0x22))
        let backslash = zeroBytes(word ^ (ones &* 0x5C))
        let control = (word &- ones &* 0x20) & ~word & highBits
        return quote | backslash | control | (word & highBits)
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// The bytes as a string, or a failure when they are not valid UTF-8.
    ///
    /// Not `String(validating:as:)`: that generic initialiser is not specialised here and
    /// looked its type metadata up on every call (7% of a stream's decoding thread). Decoding
    /// replaces invalid sequences, so the result spells its input byte for byte exactly when
    /// the input was valid; ASCII (nearly every key and token) needs no comparison.
    private func validated(_ utf8: UnsafeBufferPointer<UInt8>) throws(Failure) -> String {
        let text = String(decoding: utf8, as: UTF8.self)
        if utf8.contains(where: { $0 >= 0x80 }), !text.utf8.elementsEqual(utf8) { throw failure }
        return text
    }

    private mutating func parseNumber() throws(Failure) -> JSONValue {
        let start = index
        let integral = try scanNumber()
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        if integral, let value = Int(text) { return .int(value) }
        guard let value = Double(text) else { throw Failure(offset: start) }
        return .double(value)
    }

    /// Moves past a number's grammar, returning whether it had neither fraction nor exponent.
    private mutating func scanNumber() throws(Failure) -> Bool {
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else { throw failure }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else if (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(bytes[index]) {
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        } else {
            throw failure
        }
        var integral = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            integral = false
            index += 1
            let digits = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            guard index > digits else { throw failure }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            integral = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            let digits = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            guard index > digits else { throw failure }
        }
        return integral
    }

    // MARK: Selective parsing: left-out members validated exactly as above, nothing built

    private mutating func parseSelected(_ selection: JSONSelection) throws(Failure) -> JSONSelected {
        guard case .members(let members) = selection, index < bytes.count else { return .value(try parseValue()) }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseSelectedObject(members)
        case UInt8(ascii: "["): return try parseSelectedArray(selection)
        default: return .value(try parseValue())
        }
    }

    /// ``parseObject()`` keeping `members` (by position; a repeated key's last value wins,
    /// as in the dictionary) and validating the rest without building it.
    private mutating func parseSelectedObject(_ members: [JSONSelection.Member]) throws(Failure) -> JSONSelected {
        let values = JSONSelectedMembers.make(members)
        try walkObject(key: { parser throws(Failure) in try parser.selectedPosition(in: members) },
                       value: { parser, position throws(Failure) in
                           if let position {
                               values[position] = try parser.parseSelected(members[position].value)
                           } else {
                               try parser.skipValue()
                           }
                       })
        return .object(values)
    }

    /// ``parseArray()`` with each element selected by the array's own `selection`.
    private mutating func parseSelectedArray(_ selection: JSONSelection) throws(Failure) -> JSONSelected {
        var elements: [JSONSelected] = []
        try walkArray { parser throws(Failure) in elements.append(try parser.parseSelected(selection)) }
        return .array(elements)
    }

    /// Reads a key at its opening quote and returns the position of the kept member it
    /// names, or nil.
    ///
    /// A plain ASCII key is compared in place; any other (an escape, a non-ASCII or control
    /// byte) goes through ``parseString()`` (full validation) and its decoded UTF-8 is compared, so
    /// `"con\u0074ent"` is `content` as in the plain parse.
    private mutating func selectedPosition(in members: [JSONSelection.Member]) throws(Failure) -> Int? {
        let quote = index
        index += 1
        let start = index
        skipPlainASCII()
        if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
            let key = UnsafeBufferPointer(rebasing: bytes[start..<index])
            index += 1
            return JSONSelection.position(in: members, of: key)
        }
        index = quote
        var key = try parseString()
        return key.withUTF8 { JSONSelection.position(in: members, of: $0) }
    }

    private mutating func skipValue() throws(Failure) {
        guard index < bytes.count else { throw failure }
        switch bytes[index] {
        case UInt8(ascii: "{"): try skipObject()
        case UInt8(ascii: "["): try skipArray()
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "t"): try expect("true")
        case UInt8(ascii: "f"): try expect("false")
        case UInt8(ascii: "n"): try expect("null")
        default: try skipNumber()
        }
    }

    private mutating func skipObject() throws(Failure) {
        try walkObject(key: { parser throws(Failure) in try parser.skipString() },
                       value: { parser, _ throws(Failure) in try parser.skipValue() })
    }

    private mutating func skipArray() throws(Failure) {
        try walkArray { parser throws(Failure) in try parser.skipValue() }
    }

    /// Plain ASCII is scanned; anything else (an escape, a non-ASCII or control byte, the
    /// end) hands the whole string to ``parseString()``: its checks and failures, the same.
    private mutating func skipString() throws(Failure) {
        let quote = index
        index += 1
        skipPlainASCII()
        if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
            index += 1
            return
        }
        index = quote
        _ = try parseString()
    }

    /// A short integer needs no conversion to be valid; any other number is converted as
    /// ``parseNumber()`` does (and dropped), so the two accept exactly the same texts.
    private mutating func skipNumber() throws(Failure) {
        let start = index
        if try scanNumber(), index - start <= 18 { return }
        index = start
        _ = try parseNumber()
    }
}
