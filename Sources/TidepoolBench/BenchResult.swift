/// One benchmark cell: a mode on a transport, measured in its own child process.
public struct BenchResult: Codable, Sendable, Equatable {
    /// Median latency per request, in microseconds.
    public var medianMicroseconds: Double
    /// 99th percentile latency per request, in microseconds.
    public var p99Microseconds: Double
    /// Connections opened during the run (socket callbacks; for `raw`, libcurl's connect count).
    public var connectionsOpened: Int
    /// The child process's peak resident memory, in KiB.
    public var peakRSSKilobytes: Int
    /// Peak resident memory minus the child's resident memory before its first request:
    /// what the pools themselves cost.
    public var poolRSSKilobytes: Int
    /// Requests that completed.
    public var requests: Int
    /// Requests that failed.
    public var failures: Int

    enum CodingKeys: String, CodingKey {
        case medianMicroseconds = "median_us"
        case p99Microseconds = "p99_us"
        case connectionsOpened = "connections_opened"
        case peakRSSKilobytes = "peak_rss_kb"
        case poolRSSKilobytes = "pool_rss_kb"
        case requests
        case failures
    }
}
