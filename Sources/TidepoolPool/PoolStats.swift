/// A snapshot of one pool (or of all pools added up), counted rather than estimated: sockets
/// come from libcurl's open/close socket callbacks, reuse from its connect count, timings from
/// its per-transfer clocks and the pool's own queue clock.
public struct PoolStats: Sendable, Equatable {
    /// The pool's display name (origin plus connection markers, never credentials); "total"
    /// for the sum over pools.
    public var name: String
    /// The origin, or nil for the total.
    public var origin: Origin?
    /// The pool's limits (the defaults for the total).
    public var limits: PoolLimits
    /// The HTTP version of the most recent response, `.unknown` before any.
    public var httpVersion: HTTPVersion
    /// True when the pool's origin is `https`.
    public var usesTLS: Bool
    /// True once the pool was closed.
    public var isClosed: Bool

    /// Sockets opened since the pool was created.
    public var socketsOpened: Int
    /// Sockets closed since the pool was created.
    public var socketsClosed: Int
    /// Connections open now (`socketsOpened - socketsClosed`).
    public var open: Int
    /// Open connections carrying at least one request now.
    public var active: Int
    /// Open connections waiting for reuse now.
    public var idle: Int

    /// Requests handed to the pool.
    public var requestsStarted: Int
    /// Requests that completed with a response.
    public var requestsFinished: Int
    /// Requests that ended in an error (cancellations included).
    public var requestsFailed: Int
    /// Requests in flight now (admitted, not finished).
    public var inFlight: Int
    /// Finished requests that went over an already open connection.
    public var reusedConnections: Int
    /// Finished requests that opened a new connection.
    public var newConnections: Int
    /// TLS handshakes done (one per new TLS connection).
    public var tlsHandshakes: Int
    /// Requests waiting in the queue now.
    public var queuedNow: Int
    /// Requests that had to wait because the pool was at its limit.
    public var queueExhaustionEvents: Int
    /// The longest the queue has been.
    public var maxQueued: Int
    /// Body bytes received.
    public var bytesIn: Int
    /// Body bytes sent.
    public var bytesOut: Int
    /// Requests handed to the pool, by purpose (their sum is ``requestsStarted``).
    public var requestsByPurpose: [RequestPurpose: Int]
    /// The counters per purpose (outcomes, connections, TLS, reuse, queueing), for the
    /// `purpose` label of the exported metrics.
    public var byPurpose: [RequestPurpose: PurposeCounts]
    /// The concurrency limit set at run time (``PoolManager/setConcurrencyLimit(_:for:options:)``),
    /// a real number so that a multiplicative decrease always takes effect; nil when only the
    /// connection limits apply.
    public var concurrencyLimit: Double?
    /// Requests (HTTP/2: streams) admitted at once now: the connection limits and
    /// `max(1, floor(concurrencyLimit))`, whichever is smaller. Monitoring requests bypass it.
    public var admissionLimit: Int
    /// True while the pool sizes its own concurrency limit (``PoolManager/setAutoSizing(_:for:options:)``).
    public var autoSized: Bool
    /// The most recent move of the auto-sized limit, nil before any.
    public var lastLimitChange: LimitChange?
    /// Moves of the auto-sized limit since the pool was created, by direction and reason.
    public var limitChanges: [LimitChange.Key: Int]
    /// Errors by kind (``PoolError/kind``).
    public var errors: [PoolError.Kind: Int]
    /// Monitoring requests (``RequestPurpose/monitor``) that completed with a response, and
    /// that failed (cancellations included): included in ``requestsFinished`` /
    /// ``requestsFailed``, so a panel can leave them out. Read from ``byPurpose``.
    public var monitorFinished: Int { byPurpose[.monitor]?.ok ?? 0 }
    public var monitorFailed: Int { (byPurpose[.monitor]?.failed ?? 0) + (byPurpose[.monitor]?.cancelled ?? 0) }
    /// Of ``reusedConnections`` and ``newConnections``, the monitoring requests'.
    public var monitorReused: Int { byPurpose[.monitor]?.reused ?? 0 }
    public var monitorNew: Int { byPurpose[.monitor]?.newConnections ?? 0 }
    /// The last minute: windowed percentiles and rates, monitoring requests left out.
    public var recent: RecentStats

    /// Latency percentiles per measure; a measure with no samples has `count == 0`.
    public var latency: [LatencyMeasure: LatencySummary]
    /// Tokens per second of finished chat streams (reported by the chat layer).
    public var tokensPerSecond: LatencySummary
    /// Total latency of the most recent requests, oldest first, in seconds (for a sparkline).
    public var recentTotals: [Double]

    /// Share of finished requests that reused a connection, or nil before any finished.
    public var reuseRatio: Double? {
        let finished = reusedConnections + newConnections
        return finished == 0 ? nil : Double(reusedConnections) / Double(finished)
    }

    /// An empty snapshot.
    public init(name: String, origin: Origin?, limits: PoolLimits) {
        self.name = name
        self.origin = origin
        self.limits = limits
        httpVersion = .unknown
        usesTLS = origin?.usesTLS ?? false
        isClosed = false
        socketsOpened = 0
        socketsClosed = 0
        open = 0
        active = 0
        idle = 0
        requestsStarted = 0
        requestsFinished = 0
        requestsFailed = 0
        inFlight = 0
        reusedConnections = 0
        newConnections = 0
        tlsHandshakes = 0
        queuedNow = 0
        queueExhaustionEvents = 0
        maxQueued = 0
        bytesIn = 0
        bytesOut = 0
        errors = [:]
        recent = .empty
        requestsByPurpose = [:]
        byPurpose = [:]
        concurrencyLimit = nil
        admissionLimit = limits.maxConnections
        autoSized = false
        lastLimitChange = nil
        limitChanges = [:]
        latency = [:]
        tokensPerSecond = .empty
        recentTotals = []
    }

    /// Adds `other`'s counters and gauges to these (for the all-pools total). Names, limits,
    /// version, latency and sparkline are left alone: they do not add up.
    /// Every counter is listed here once (one place, instead of a field-by-field sum at each
    /// caller): a counter added to `PoolStats` is added here too.
    public mutating func add(_ other: PoolStats) {
        socketsOpened += other.socketsOpened
        socketsClosed += other.socketsClosed
        open += other.open
        active += other.active
        idle += other.idle
        requestsStarted += other.requestsStarted
        requestsFinished += other.requestsFinished
        requestsFailed += other.requestsFailed
        inFlight += other.inFlight
        reusedConnections += other.reusedConnections
        newConnections += other.newConnections
        tlsHandshakes += other.tlsHandshakes
        queuedNow += other.queuedNow
        queueExhaustionEvents += other.queueExhaustionEvents
        maxQueued = max(maxQueued, other.maxQueued)
        bytesIn += other.bytesIn
        bytesOut += other.bytesOut
        errors.merge(other.errors, uniquingKeysWith: +)
        requestsByPurpose.merge(other.requestsByPurpose, uniquingKeysWith: +)
        limitChanges.merge(other.limitChanges, uniquingKeysWith: +)
        for (purpose, counts) in other.byPurpose { byPurpose[purpose, default: PurposeCounts()].add(counts) }
        let (sum, overflow) = admissionLimit.addingReportingOverflow(other.admissionLimit)
        admissionLimit = overflow ? Int.max : sum
    }

    /// Sets the connection gauges.
    mutating func apply(_ gauges: PoolStatsRecorder.Gauges) {
        open = gauges.open
        active = gauges.active
        idle = gauges.idle
        inFlight = gauges.inFlight
    }

    /// The counters of `purpose`, zero when none of its requests came.
    public func counts(for purpose: RequestPurpose) -> PurposeCounts {
        byPurpose[purpose] ?? PurposeCounts()
    }

    /// The latency summary for `measure`, empty when nothing was recorded.
    public func latency(_ measure: LatencyMeasure) -> LatencySummary {
        latency[measure] ?? .empty
    }
}

/// Every pool's snapshot plus their sum, taken at one moment.
public struct PoolManagerStats: Sendable, Equatable {
    /// One snapshot per pool, in the order the pools were created.
    public var pools: [PoolStats]
    /// Counters added up over all pools. Latency percentiles here are over all samples.
    public var total: PoolStats

    /// The snapshot of the pool for `origin` (standard connection options first), if any.
    public func pool(for origin: Origin) -> PoolStats? {
        pools.first { $0.origin == origin }
    }
}
