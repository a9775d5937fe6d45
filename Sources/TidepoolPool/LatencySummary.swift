/// Percentiles of one latency measure, in seconds. A summary with `count == 0` has no data:
/// callers show "no data" rather than zeros.
public struct LatencySummary: Sendable, Equatable {
    /// How many samples were recorded.
    public var count: Int
    /// Median.
    public var p50: Double
    /// 95th percentile.
    public var p95: Double
    /// 99th percentile.
    public var p99: Double
    /// Largest sample.
    public var max: Double

    /// Creates a summary.
    public init(count: Int = 0, p50: Double = 0, p95: Double = 0, p99: Double = 0, max: Double = 0) {
        self.count = count
        self.p50 = p50
        self.p95 = p95
        self.p99 = p99
        self.max = max
    }

    /// A summary with no samples.
    public static let empty = LatencySummary()
}

/// The latency measures the pool keeps a histogram of.
public enum LatencyMeasure: String, Sendable, CaseIterable, Hashable {
    /// Waiting in the pool's queue for a free connection.
    case queue
    /// DNS resolution on new connections.
    case dns
    /// TCP connect on new connections.
    case connect
    /// TLS handshake on new connections.
    case tls
    /// Request sent to first response byte.
    case firstByte = "first_byte"
    /// Whole request, after the queue.
    case total
    /// Request start to the first generated token (reported by the chat layer).
    case timeToFirstToken = "ttft"
}
