/// An HTTP request handed to the pool.
public struct HTTPRequest: Sendable {
    /// `GET`, `POST`, `HEAD`, ...
    public var method: String
    /// The absolute `http` or `https` URL.
    public var url: String
    /// Header fields to send, in order.
    public var headers: [HTTPHeader]
    /// The request body, or nil for none.
    public var body: [UInt8]?
    /// Which clocks apply.
    public var timeouts: RequestTimeouts
    /// What changes the connection itself; part of the pool's key.
    public var connectionOptions: ConnectionOptions
    /// Open a new connection for this request and close it afterwards, bypassing reuse.
    /// Used by the benchmark's no-pooling baseline; an application never needs it.
    public var freshConnection: Bool
    /// Why the request is sent: counted per pool; `.monitor` bypasses the concurrency limit.
    public var purpose: RequestPurpose
    /// Told when the request has to wait in the pool's queue (`true`, at most once) and when
    /// it leaves the queue for a connection (`false`); a request admitted at once hears
    /// nothing. Called on the network thread: it must only hand the fact on (post a message).
    /// This is how a pane knows to say "queued": the pool is the only place that knows, and
    /// telling costs nothing for requests that never wait.
    public var queueObserver: (@Sendable (_ waiting: Bool) -> Void)?

    /// Creates a request.
    public init(
        method: String = "GET",
        url: String,
        headers: [HTTPHeader] = [],
        body: [UInt8]? = nil,
        timeouts: RequestTimeouts = .default,
        connectionOptions: ConnectionOptions = .standard,
        freshConnection: Bool = false,
        purpose: RequestPurpose = .chat
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeouts = timeouts
        self.connectionOptions = connectionOptions
        self.freshConnection = freshConnection
        self.purpose = purpose
    }
}
