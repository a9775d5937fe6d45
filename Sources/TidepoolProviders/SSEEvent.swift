/// One dispatched server-sent event.
public struct SSEEvent: Sendable, Equatable {
    /// The event type from the `event:` field, or `"message"` when none was given.
    public var event: String
    /// The `data:` lines joined with `"\n"`; empty when the event had no data.
    public var data: String
    /// The last event ID seen so far (it persists across events, as the standard says).
    public var id: String?
    /// The reconnection time in milliseconds from this event's `retry:` field, if any.
    public var retry: Int?

    /// Creates an event.
    public init(event: String = "message", data: String, id: String? = nil, retry: Int? = nil) {
        self.event = event
        self.data = data
        self.id = id
        self.retry = retry
    }
}
