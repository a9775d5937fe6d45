/// An incremental, I/O-free decoder of `text/event-stream` bodies, following the WHATWG
/// event-stream interpretation rules.
///
/// Feed it bytes in any chunking; it returns the events each chunk completed. Lines end at
/// CR, LF or CRLF (also when the CR and LF arrive in different chunks); U+2028 and other
/// Unicode separators are ordinary characters. Lines starting with `:` are comments. One
/// leading space of a field value is stripped. An event is dispatched at a blank line when it
/// carried data or an event type; an unterminated event at the end of the stream is dropped.
///
/// Memory is bounded: a line longer than ``maxLineLength`` or an event whose data grows past
/// it throws ``StreamFramingError`` instead. After a thrown error, discard the decoder.
public struct SSEDecoder: Sendable {
    /// The default bound on one line and on one event's data: 4 MiB.
    public static let defaultMaxLineLength = 4 << 20

    /// The bound on one line and on one event's data, in bytes.
    public var maxLineLength: Int { lines.maxLineLength }
    /// The reconnection time last announced by the server, in milliseconds.
    public private(set) var retry: Int?
    /// The last event ID, which the standard keeps across events.
    public private(set) var lastEventID: String?

    private var lines: LineSplitter
    private var eventType: [UInt8] = []
    private var data: [UInt8] = []
    private var hasData = false
    private var eventRetry: Int?
    private var atStreamStart = true

    /// Creates a decoder bounding each line (and each event's data) to `maxLineLength` bytes.
    public init(maxLineLength: Int = SSEDecoder.defaultMaxLineLength) {
        lines = LineSplitter(acceptsBareCR: true, maxLineLength: maxLineLength)
    }

    /// Decodes the next chunk of the body, returning the events it completed.
    public mutating func feed(_ bytes: some Collection<UInt8>) throws -> [SSEEvent] {
        var events: [SSEEvent] = []
        var splitter = lines
        defer { lines = splitter }
        try splitter.feed(bytes) { line in
            if let event = try process(line) { events.append(event) }
        }
        return events
    }

    /// Ends the stream. An event not yet closed by a blank line is dropped, as the standard
    /// says; the result is returned as an array so callers treat both calls alike.
    public mutating func finish() throws -> [SSEEvent] {
        _ = lines.takeRemainder()
        resetEvent()
        return []
    }

    private mutating func process(_ rawLine: ArraySlice<UInt8>) throws -> SSEEvent? {
        var line = rawLine
        if atStreamStart {
            atStreamStart = false
            if line.starts(with: [0xEF, 0xBB, 0xBF]) { line = line.dropFirst(3) }
        }
        if line.isEmpty { return dispatch() }
        if line.first == UInt8(ascii: ":") { return nil }
        let name: ArraySlice<UInt8>
        var value: ArraySlice<UInt8>
        if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            name = line[..<colon]
            value = line[line.index(after: colon)...]
            if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
        } else {
            name = line
            value = []
        }
        switch Field(name) {
        case .event:
            eventType = Array(value)
        case .data:
            if hasData { data.append(UInt8(ascii: "\n")) }
            data.append(contentsOf: value)
            hasData = true
            guard data.count <= maxLineLength else {
                throw StreamFramingError.eventTooLarge(limit: maxLineLength)
            }
        case .id:
            if !value.contains(0) { lastEventID = String(decoding: value, as: UTF8.self) }
        case .retry:
            if !value.isEmpty, value.allSatisfy({ (0x30...0x39).contains($0) }),
                let milliseconds = Int(String(decoding: value, as: UTF8.self))
            {
                retry = milliseconds
                eventRetry = milliseconds
            }
        case nil:
            break
        }
        return nil
    }

    /// The fields the standard defines; others are ignored. Compared as bytes, not strings,
    /// because this runs for every line.
    private enum Field {
        case event, data, id, retry

        init?(_ name: ArraySlice<UInt8>) {
            // The length first: `data` is nearly every line, and comparing bytes with a
            // string's UTF-8 view goes element by element.
            if name.count == 4, name.elementsEqual("data".utf8) {
                self = .data
            } else if name.count == 5, name.elementsEqual("event".utf8) {
                self = .event
            } else if name.count == 2, name.elementsEqual("id".utf8) {
                self = .id
            } else if name.count == 5, name.elementsEqual("retry".utf8) {
                self = .retry
            } else {
                return nil
            }
        }
    }

    private mutating func dispatch() -> SSEEvent? {
        defer { resetEvent() }
        guard hasData || !eventType.isEmpty else { return nil }
        return SSEEvent(
            event: eventType.isEmpty ? "message" : String(decoding: eventType, as: UTF8.self),
            dataBytes: data,
            id: lastEventID,
            retry: eventRetry
        )
    }

    private mutating func resetEvent() {
        eventType.removeAll(keepingCapacity: true)
        data.removeAll(keepingCapacity: true)
        hasData = false
        eventRetry = nil
    }
}
