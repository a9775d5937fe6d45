/// Told about every request's end, for exporters that need one observation per request
/// (histograms by method, status and error; the GenAI operation histograms). The counters and
/// gauges need no observer: ``PoolManager/stats()`` has them, counted.
///
/// ``requestEnded(_:)`` runs on the pool's network thread, once per request (never per chunk):
/// an implementation must be quick and must not block or call back into the pool.
/// ``chatOperationEnded(_:)`` runs on whatever task finished the chat stream.
public protocol PoolObserver: Sendable {
    /// One request left the pool: completed, failed, cancelled, timed out in the queue.
    func requestEnded(_ record: PoolRequestRecord)
    /// One chat (a model's whole answer, retries included) ended: completed, failed or
    /// cancelled (``ChatOperationRecord/errorType``).
    func chatOperationEnded(_ record: ChatOperationRecord)
}

/// What the pool knows about one finished request. Never holds a URL path, a query, a header
/// or a key: only the origin.
public struct PoolRequestRecord: Sendable, Equatable {
    /// Where the request went.
    public var origin: Origin
    /// The HTTP method.
    public var method: String
    /// The final HTTP status, or nil when no response head arrived.
    public var status: Int?
    /// Why the request failed, nil when it completed (whatever its status).
    public var error: PoolError.Kind?
    /// Why the request was sent.
    public var purpose: RequestPurpose
    /// Time spent in the pool's queue, or nil when it never left the queue.
    public var queueWait: Double?
    /// From the request reaching the pool to its end, in seconds (queue wait included: what
    /// the caller waited).
    public var duration: Double

    /// Creates a record.
    public init(
        origin: Origin, method: String, status: Int?, error: PoolError.Kind?, purpose: RequestPurpose,
        queueWait: Double?, duration: Double
    ) {
        self.origin = origin
        self.method = method
        self.status = status
        self.error = error
        self.purpose = purpose
        self.queueWait = queueWait
        self.duration = duration
    }
}

/// One chat that ended (completed, failed or cancelled), as the provider layer measured it.
public struct ChatOperationRecord: Sendable, Equatable {
    /// The server's origin.
    public var origin: Origin
    /// The provider preset's id (`ollama`, `openai`, `sim`, a config provider's name).
    public var provider: String
    /// The model asked for.
    public var model: String
    /// From the request starting to the first text or reasoning delta, nil when none came.
    public var timeToFirstChunk: Double?
    /// From the request starting (retries included) to the end of the stream.
    public var duration: Double
    /// Prompt tokens, when the server reported them.
    public var inputTokens: Int?
    /// Generated tokens, when the server reported them.
    public var outputTokens: Int?
    /// Why the chat did not complete (OpenTelemetry's `error.type`: a status code, the pool's
    /// error kind, `cancelled`, ...), nil when it completed.
    public var errorType: String?

    /// Creates a record.
    public init(
        origin: Origin, provider: String, model: String, timeToFirstChunk: Double?, duration: Double,
        inputTokens: Int?, outputTokens: Int?, errorType: String? = nil
    ) {
        self.origin = origin
        self.provider = provider
        self.model = model
        self.timeToFirstChunk = timeToFirstChunk
        self.duration = duration
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.errorType = errorType
    }
}
