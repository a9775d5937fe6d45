/// One exported metric family: its name, help text and label names, fixed here once.
///
/// swift-prometheus 2.x stops the process (`fatalError`) when one name is registered with two
/// help texts, two types, or both with and without labels. Every series is therefore made
/// through a family from ``all``, whose label names are fixed and whose values are given in
/// that order, so no combination of events can register a family two ways.
struct MetricFamily: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case counter
        case gauge
        /// A histogram with these upper bounds.
        case histogram([Double])
    }

    let name: String
    let help: String
    let kind: Kind
    let labelNames: [String]

    /// The labels of one series: `values` in the order of ``labelNames``.
    func labels(_ values: [String]) -> [(String, String)] {
        precondition(values.count == labelNames.count, "\(name) takes labels \(labelNames)")
        return Array(zip(labelNames, values))
    }
}

extension MetricFamily {
    /// Durations from 5 ms to 10 minutes: a generation can run for minutes.
    static let durationBuckets: [Double] = [
        0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600,
    ]
    /// Token counts, the OpenTelemetry GenAI convention's advice (powers of four).
    static let tokenBuckets: [Double] = [
        1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262_144, 1_048_576, 4_194_304, 16_777_216, 67_108_864,
    ]

    private static let server = ["server_address", "server_port"]
    private static let pool = server + ["pool"]
    private static let genAI = server + ["gen_ai_operation_name", "gen_ai_provider_name", "gen_ai_request_model"]

    static let openConnections = MetricFamily(
        name: "http_client_open_connections",
        help: "Connections open to the server now, by state (active: carrying a request; idle: kept for reuse).",
        kind: .gauge, labelNames: server + ["http_connection_state"])
    static let activeRequests = MetricFamily(
        name: "http_client_active_requests", help: "Requests in flight to the server now (admitted, not finished).",
        kind: .gauge, labelNames: server)
    static let requestDuration = MetricFamily(
        name: "http_client_request_duration_seconds",
        help: "Time from a request reaching the pool to its end, queue wait included.",
        kind: .histogram(durationBuckets),
        labelNames: server + ["http_request_method", "http_response_status_code", "error_type"])
    static let timeToFirstChunk = MetricFamily(
        name: "gen_ai_client_operation_time_to_first_chunk_seconds",
        help: "Time from a chat starting (retries included) to its first text or reasoning chunk.",
        kind: .histogram(durationBuckets), labelNames: genAI)
    /// Every chat that ended, as OpenTelemetry's `gen_ai.client.operation.duration`: a failed
    /// or cancelled one carries `error_type` (a status code, the pool's error kind,
    /// `cancelled`, ...), a completed one `error_type=""`, which Prometheus reads as absent
    /// (the family's label names stay fixed, as swift-prometheus wants).
    static let operationDuration = MetricFamily(
        name: "gen_ai_client_operation_duration_seconds",
        help: "Time from a chat starting (retries included) to the end of its answer or its failure (error_type).",
        kind: .histogram(durationBuckets), labelNames: genAI + ["error_type"])
    static let tokenUsage = MetricFamily(
        name: "gen_ai_client_token_usage", help: "Tokens per chat, as the server reported them.",
        kind: .histogram(tokenBuckets), labelNames: genAI + ["gen_ai_token_type"])

    static let connectionsOpened = MetricFamily(
        name: "tidepool_pool_connections_opened_total",
        help: "Sockets the pool opened, by the purpose of the request that opened them.",
        kind: .counter, labelNames: pool + ["purpose"])
    static let connectionsClosed = MetricFamily(
        name: "tidepool_pool_connections_closed_total",
        help: "Sockets the pool closed, by the purpose of the request that opened them.",
        kind: .counter, labelNames: pool + ["purpose"])
    static let tlsHandshakes = MetricFamily(
        name: "tidepool_pool_tls_handshakes_total", help: "TLS handshakes done (one per new TLS connection).",
        kind: .counter, labelNames: pool + ["purpose"])
    static let requests = MetricFamily(
        name: "tidepool_pool_requests_total",
        help: "Requests that ended: ok (a response, any status), error, or cancelled by the caller.",
        kind: .counter, labelNames: pool + ["purpose", "outcome"])
    static let requestsReused = MetricFamily(
        name: "tidepool_pool_requests_reused_total", help: "Finished requests that went over an already open connection.",
        kind: .counter, labelNames: pool + ["purpose"])
    static let queueLength = MetricFamily(
        name: "tidepool_pool_queue_length", help: "Requests waiting in the pool's queue now.",
        kind: .gauge, labelNames: pool)
    static let queueWait = MetricFamily(
        name: "tidepool_pool_queue_wait_seconds", help: "Time requests waited in the pool's queue before being sent.",
        kind: .histogram(durationBuckets), labelNames: pool)
    static let queueExhausted = MetricFamily(
        name: "tidepool_pool_queue_exhausted_total", help: "Requests that had to wait because the pool was at its limit.",
        kind: .counter, labelNames: pool + ["purpose"])
    static let maxConnections = MetricFamily(
        name: "tidepool_pool_max_connections", help: "The pool's configured connection limit.",
        kind: .gauge, labelNames: pool)
    static let concurrencyLimit = MetricFamily(
        name: "tidepool_pool_concurrency_limit",
        help: "Requests (HTTP/2: streams) the pool admits at once now; auto sizing moves it.",
        kind: .gauge, labelNames: pool)
    /// Changes of the concurrency limit by auto sizing, from `PoolStats.limitChanges`
    /// (`direction` "up"/"down", `reason` "429", "503", "queue", "slots", "full" or "start"; see
    /// `LimitChange.Reason`). swift-prometheus cannot register a family with no series, so it
    /// appears with the first change.
    static let limitChanges = MetricFamily(
        name: "tidepool_pool_limit_changes_total",
        help: "Changes of the pool's concurrency limit by auto sizing, by direction and reason.",
        kind: .counter, labelNames: pool + ["direction", "reason"])

    static let serverRequestsRunning = MetricFamily(
        name: "tidepool_server_requests_running", help: "Requests the server says it is working on now.",
        kind: .gauge, labelNames: pool)
    static let serverRequestsWaiting = MetricFamily(
        name: "tidepool_server_requests_waiting", help: "Requests the server says are waiting there for a slot.",
        kind: .gauge, labelNames: pool)
    static let serverSlotsTotal = MetricFamily(
        name: "tidepool_server_slots_total", help: "Slots the server has: the most requests it runs at once.",
        kind: .gauge, labelNames: pool)
    static let serverKVCacheUsage = MetricFamily(
        name: "tidepool_server_kv_cache_usage_ratio", help: "Share of the server's KV cache in use, 0 to 1.",
        kind: .gauge, labelNames: pool)

    /// Every family, once.
    static let all: [MetricFamily] = [
        openConnections, activeRequests, requestDuration, timeToFirstChunk, operationDuration, tokenUsage,
        connectionsOpened, connectionsClosed, tlsHandshakes, requests, requestsReused, queueLength, queueWait,
        queueExhausted, maxConnections, concurrencyLimit, limitChanges,
        serverRequestsRunning, serverRequestsWaiting, serverSlotsTotal, serverKVCacheUsage,
    ]
}
