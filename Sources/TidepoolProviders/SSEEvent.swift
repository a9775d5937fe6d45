/// One dispatched server-sent event.
public struct SSEEvent: Sendable, Equatable {
    /// The event type from the `event:` field, or `"message"` when none was given.
    public var event: String
    /// The `data:` lines joined with `"\n"`; empty when the event had no data. Decoded from
    /// ``dataBytes`` on each read (invalid UTF-8 repaired).
    public var data: String {
        get { String(decoding: dataBytes, as: UTF8.self) }
        set { dataBytes = Array(newValue.utf8) }
    }
    /// The data as it arrived. The stream decoders parse these bytes directly: building a
    /// `String` only to turn it back into bytes cost a copy and a validation per chunk.
    var dataBytes: [UInt8]
    /// The last event ID seen so far (it persists across events, as the standard says).
    public var id: String?
    /// The reconnection time in milliseconds from this event's `retry:` field, if any.
    public var retry: Int?

    /// Creates an event.
    public init(event: String = "message", data: String, id: String? = nil, retry: Int? = nil) {
        self.init(event: event, dataBytes: Array(data.utf8), id: id, retry: retry)
    }

    init(event: String, dataBytes: [UInt8], id: String?, retry: Int?) {
        self.event = event
        self.dataBytes = dataBytes
        self.id = id
        self.retry = retry
    }

    /// Equal when the fields read equal, ``data`` as text (as when it was a stored string).
    public static func == (lhs: SSEEvent, rhs: SSEEvent) -> Bool {
        lhs.event == rhs.event && lhs.data == rhs.data && lhs.id == rhs.id && lhs.retry == rhs.retry
    }
}
