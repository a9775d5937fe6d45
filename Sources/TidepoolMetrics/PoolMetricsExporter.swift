import Prometheus
import Synchronization
import TidepoolPool
import TidepoolProviders

/// The pool's numbers in the Prometheus text format: one `PrometheusCollectorRegistry`, every
/// family from ``MetricFamily/all`` with its fixed labels, filled from three sources:
///
/// - counters and gauges from ``PoolManager/stats()`` at each scrape. The pool counts them
///   cumulatively (sockets in libcurl's open/close callbacks, outcomes at each transfer's end);
///   a counter series is moved up by exactly what the pool counted since the last scrape.
/// - histograms from the pool's ``PoolObserver`` calls, one observation per request (network
///   thread) and per chat that ended, completed or not (the provider's task).
/// - the servers' own numbers from ``record(server:for:)``.
///
/// Series are grouped by origin (`pool` label): the origin's scheme, host and port, never a
/// key, a path or a query. Pools to one origin with different connection options add up.
/// Sendable: the registry locks itself; the exporter's own bookkeeping is behind one `Mutex`.
public final class PoolMetricsExporter: PoolObserver, Sendable {
    /// The registry every family lives in (exposed for tests and other exporters).
    public let registry = PrometheusCollectorRegistry()
    private let stats: @Sendable () -> PoolManagerStats?
    /// Other pool managers included with ``include(_:)``, held strongly: a short-lived one
    /// (the discovery probe's) still counts after it shut down.
    private let others = Mutex<[PoolManager]>([])
    private let state = Mutex(State())

    /// One series: its family's name and its label values in the family's order.
    private struct SeriesKey: Hashable {
        let family: String
        let values: [String]
    }

    /// What picks a request's histogram series, hashed without building label strings: the
    /// observer runs on the network thread once per request.
    private struct RequestKey: Hashable {
        let origin: Origin
        let method: String
        let status: Int?
        let error: PoolError.Kind?
    }

    /// What picks a chat's histogram series.
    private struct ChatKey: Hashable {
        let origin: Origin
        let provider: String
        let model: String
    }

    private struct RequestSeries {
        let duration: ValueHistogram
        let queueWait: ValueHistogram
    }

    /// A chat's duration series: its chat's, and how it ended ("" completed, else the
    /// record's `errorType`).
    private struct ChatDurationKey: Hashable {
        let chat: ChatKey
        let errorType: String
    }

    private struct ChatSeries {
        let firstChunk: ValueHistogram
        let inputTokens: ValueHistogram
        let outputTokens: ValueHistogram
    }

    private struct State {
        var counters: [SeriesKey: (counter: Counter, exported: Int)] = [:]
        var gauges: [SeriesKey: Gauge] = [:]
        var histograms: [SeriesKey: ValueHistogram] = [:]
        var requestSeries: [RequestKey: RequestSeries] = [:]
        var chatSeries: [ChatKey: ChatSeries] = [:]
        var chatDurations: [ChatDurationKey: ValueHistogram] = [:]
    }

    /// An exporter of `pool`'s numbers (held weakly: the pool keeps its observer, not the
    /// other way round). Requests are observed once ``attach(to:)`` made it the observer.
    public convenience init(pool: PoolManager) {
        self.init(stats: { [weak pool] in pool?.stats() })
    }

    /// An exporter reading snapshots from `stats` (nil: nothing to read; tests give made-up
    /// ones).
    public init(stats: @escaping @Sendable () -> PoolManagerStats?) {
        self.stats = stats
    }

    /// Makes this exporter `pool`'s observer, so its requests and chats are observed from now.
    public func attach(to pool: PoolManager) {
        pool.setObserver(self)
    }

    /// Adds `pool`'s numbers to the export and observes its requests: every connection the
    /// process opens is counted, wherever it was opened. Its pools add up with the others of
    /// the same origin.
    public func include(_ pool: PoolManager) {
        others.withLock { $0.append(pool) }
        pool.setObserver(self)
    }

    /// The exposition for one scrape: the counters and gauges brought up to the pool's
    /// counts now, then every series, in the text format 0.0.4.
    public func scrape() -> [UInt8] {
        var pools = stats()?.pools ?? []
        for other in others.withLock({ $0 }) { pools += other.stats().pools }
        update(from: pools)
        return registry.emitToBuffer()
    }

    /// The `Content-Type` of ``scrape()``'s bytes.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    // MARK: Snapshots

    /// Brings counters and gauges to the values of `pools` (snapshots taken now).
    func update(from pools: [PoolStats]) {
        var byOrigin: [Origin: PoolStats] = [:]
        var order: [Origin] = []
        for pool in pools {
            guard let origin = pool.origin else { continue }
            if var sum = byOrigin[origin] {
                sum.add(pool)
                sum.limits.maxConnections += pool.limits.maxConnections
                byOrigin[origin] = sum
            } else {
                byOrigin[origin] = pool
                order.append(origin)
            }
        }
        state.withLock { state in
            for origin in order {
                guard let pool = byOrigin[origin] else { continue }
                update(&state, origin: origin, pool: pool)
            }
        }
    }

    private func update(_ state: inout State, origin: Origin, pool: PoolStats) {
        let server = Self.serverLabels(origin)
        let ours = server + [origin.description]
        set(&state, .openConnections, server + ["active"], pool.active)
        set(&state, .openConnections, server + ["idle"], pool.idle)
        set(&state, .activeRequests, server, pool.inFlight)
        set(&state, .queueLength, ours, pool.queuedNow)
        set(&state, .maxConnections, ours, pool.limits.maxConnections)
        set(&state, .concurrencyLimit, ours, pool.admissionLimit)
        for (purpose, counts) in pool.byPurpose.sorted(by: { $0.key < $1.key }) {
            let labels = ours + [purpose.rawValue]
            count(&state, .connectionsOpened, labels, counts.connectionsOpened)
            count(&state, .connectionsClosed, labels, counts.connectionsClosed)
            count(&state, .tlsHandshakes, labels, counts.tlsHandshakes)
            count(&state, .requestsReused, labels, counts.reused)
            count(&state, .queueExhausted, labels, counts.queueExhausted)
            count(&state, .requests, labels + ["ok"], counts.ok)
            count(&state, .requests, labels + ["error"], counts.failed)
            count(&state, .requests, labels + ["cancelled"], counts.cancelled)
        }
        for (key, total) in pool.limitChanges.sorted(by: { $0.key < $1.key }) {
            count(&state, .limitChanges, ours + [key.direction.rawValue, key.reason.rawValue], total)
        }
    }

    // MARK: Server numbers

    /// Sets the server gauges of `origin` from what the server said about itself. A field the
    /// server does not tell has no series (no data is not zero); one that stops being told is
    /// removed.
    public func record(server snapshot: ServerSnapshot, for origin: Origin) {
        let labels = Self.serverLabels(origin) + [origin.description]
        let values: [(MetricFamily, Double?)] = [
            (.serverRequestsRunning, snapshot.requestsRunning.map(Double.init)),
            (.serverRequestsWaiting, snapshot.requestsWaiting.map(Double.init)),
            (.serverSlotsTotal, snapshot.slotsTotal.map(Double.init)),
            (.serverKVCacheUsage, snapshot.kvCacheUsage),
        ]
        state.withLock { state in
            for (family, value) in values {
                if let value {
                    gauge(&state, family, labels).set(value)
                } else if let gone = state.gauges.removeValue(forKey: SeriesKey(family: family.name, values: labels)) {
                    registry.unregisterGauge(gone)
                }
            }
        }
    }

    // MARK: Observations (PoolObserver)

    /// One request ended (network thread): its duration, and its queue wait if it was sent.
    /// After a series' first request this is one dictionary look-up and two histogram records.
    public func requestEnded(_ record: PoolRequestRecord) {
        let key = RequestKey(origin: record.origin, method: record.method, status: record.status, error: record.error)
        let series = state.withLock { state in
            if let known = state.requestSeries[key] { return known }
            let made = makeRequestSeries(&state, key)
            state.requestSeries[key] = made
            return made
        }
        series.duration.record(record.duration)
        if let wait = record.queueWait { series.queueWait.record(wait) }
    }

    /// One chat ended (the provider's task): its duration, under `error_type` "" when it
    /// completed and the record's error type when it failed or was cancelled (OpenTelemetry's
    /// `error.type`); time to first chunk and tokens only when the chat had them.
    public func chatOperationEnded(_ record: ChatOperationRecord) {
        let key = ChatKey(origin: record.origin, provider: record.provider, model: record.model)
        let durationKey = ChatDurationKey(chat: key, errorType: record.errorType ?? "")
        let (series, duration) = state.withLock { state in
            let series: ChatSeries
            if let known = state.chatSeries[key] {
                series = known
            } else {
                series = makeChatSeries(&state, key)
                state.chatSeries[key] = series
            }
            if let known = state.chatDurations[durationKey] { return (series, known) }
            let made = histogram(&state, .operationDuration, Self.chatLabels(key) + [durationKey.errorType])
            state.chatDurations[durationKey] = made
            return (series, made)
        }
        if let first = record.timeToFirstChunk, first.isFinite, first >= 0 { series.firstChunk.record(first) }
        if record.duration.isFinite, record.duration >= 0 { duration.record(record.duration) }
        if let input = record.inputTokens, input >= 0 { series.inputTokens.record(Double(input)) }
        if let output = record.outputTokens, output >= 0 { series.outputTokens.record(Double(output)) }
    }

    private func makeRequestSeries(_ state: inout State, _ key: RequestKey) -> RequestSeries {
        let server = Self.serverLabels(key.origin)
        let status = key.status.map(String.init) ?? ""
        let errorType: String
        if let error = key.error {
            errorType = error.rawValue
        } else if let code = key.status, code >= 400 {
            errorType = status
        } else {
            errorType = ""
        }
        return RequestSeries(
            duration: histogram(&state, .requestDuration, server + [key.method, status, errorType]),
            queueWait: histogram(&state, .queueWait, server + [key.origin.description]))
    }

    private func makeChatSeries(_ state: inout State, _ key: ChatKey) -> ChatSeries {
        let labels = Self.chatLabels(key)
        return ChatSeries(
            firstChunk: histogram(&state, .timeToFirstChunk, labels),
            inputTokens: histogram(&state, .tokenUsage, labels + ["input"]),
            outputTokens: histogram(&state, .tokenUsage, labels + ["output"]))
    }

    // MARK: Series

    /// The GenAI families' common label values: server, operation, provider, model.
    private static func chatLabels(_ key: ChatKey) -> [String] {
        serverLabels(key.origin) + ["chat", key.provider, key.model]
    }

    /// `server_address` (IPv6 without brackets) and `server_port`.
    static func serverLabels(_ origin: Origin) -> [String] {
        [origin.host, String(origin.port)]
    }

    private func set(_ state: inout State, _ family: MetricFamily, _ values: [String], _ value: Int) {
        gauge(&state, family, values).set(Double(value))
    }

    private func gauge(_ state: inout State, _ family: MetricFamily, _ values: [String]) -> Gauge {
        let key = SeriesKey(family: family.name, values: values)
        if let existing = state.gauges[key] { return existing }
        precondition(family.kind == .gauge)
        let made = registry.makeGauge(name: family.name, labels: family.labels(values), help: family.help)
        state.gauges[key] = made
        return made
    }

    /// Moves a counter series up to `total`, the pool's cumulative count.
    private func count(_ state: inout State, _ family: MetricFamily, _ values: [String], _ total: Int) {
        let key = SeriesKey(family: family.name, values: values)
        if let (counter, exported) = state.counters[key] {
            guard total > exported else { return }
            counter.increment(by: Int64(total - exported))
            state.counters[key] = (counter, total)
            return
        }
        precondition(family.kind == .counter)
        let counter = registry.makeCounter(name: family.name, labels: family.labels(values), help: family.help)
        let start = max(0, total)
        if start > 0 { counter.increment(by: Int64(start)) }
        state.counters[key] = (counter, start)
    }

    private func histogram(_ state: inout State, _ family: MetricFamily, _ values: [String]) -> ValueHistogram {
        let key = SeriesKey(family: family.name, values: values)
        if let existing = state.histograms[key] { return existing }
        guard case .histogram(let buckets) = family.kind else { preconditionFailure("\(family.name) is not a histogram") }
        let made = registry.makeValueHistogram(
            name: family.name, labels: family.labels(values), buckets: buckets, help: family.help)
        state.histograms[key] = made
        return made
    }
}
