/// The last minute of a pool, beside its since-start histograms: after an hour those no longer
/// say how things are now, a sliding window does (as vllm-top shows 5/15/60 s windows).
///
/// Kept as timestamped samples rather than a ring of per-second histograms: a histogram costs
/// about 26 KB, so sixty of them per measure would cost megabytes per pool, while a minute of
/// even a busy pool is a few hundred samples. Each measure keeps at most ``capacity`` samples
/// (the newest); percentiles sort the window's values when a snapshot is taken (a few times a
/// second at most). Monitoring requests are never recorded here (see ``PoolStatsRecorder``).
/// Not thread-safe: ``PoolStatsRecorder`` holds it under its lock.
struct RecentWindow {
    /// The window's length in seconds.
    static let span: Double = 60
    /// The most samples kept per measure; beyond it the oldest go first.
    static let capacity = 4096

    /// One measure's samples, oldest first: seconds on the monotonic clock and the value.
    private var samples: [LatencyMeasure: [(time: Double, value: Double)]] = [:]
    /// Requests that ended (ok or failed), oldest first.
    private var ended: [Double] = []
    /// Output tokens of finished chat streams, oldest first.
    private var tokens: [(time: Double, count: Int)] = []

    /// Records one latency sample taken at `time` (seconds on the monotonic clock).
    mutating func record(_ measure: LatencyMeasure, seconds: Double, at time: Double) {
        guard seconds.isFinite, seconds >= 0 else { return }
        Self.append((time, seconds), to: &samples[measure, default: []], now: time)
    }

    /// Counts a request that ended at `time`.
    mutating func recordEnd(at time: Double) {
        Self.append(time, to: &ended, now: time, time: { $0 })
    }

    /// Counts `count` output tokens of a stream that finished at `time`.
    mutating func recordTokens(_ count: Int, at time: Double) {
        guard count > 0 else { return }
        Self.append((time, count), to: &tokens, now: time, time: { $0.time })
    }

    /// The window ending at `now`; `age` is how long the pool has existed (rates divide by
    /// the shorter of the span and the age, so a young pool's rate is not diluted).
    func summary(now: Double, age: Double) -> RecentStats {
        let start = now - Self.span
        var latency: [LatencyMeasure: LatencySummary] = [:]
        for (measure, list) in samples {
            let values = list.lazy.filter { $0.time > start }.map(\.value)
            latency[measure] = Self.summary(Array(values))
        }
        let requests = ended.lazy.filter { $0 > start }.count
        let tokenCount = tokens.lazy.filter { $0.time > start }.reduce(0) { $0 + $1.count }
        return RecentStats(
            span: Self.span, elapsed: min(Self.span, max(0, age)), latency: latency, requests: requests,
            outputTokens: tokenCount)
    }

    /// Adds `other`'s samples (for the all-pools total; order within a measure does not matter
    /// for percentiles).
    mutating func merge(_ other: RecentWindow) {
        for (measure, list) in other.samples { samples[measure, default: []] += list }
        ended += other.ended
        tokens += other.tokens
    }

    /// Percentiles of `values` (nearest rank), or an empty summary.
    static func summary(_ values: [Double]) -> LatencySummary {
        guard !values.isEmpty else { return .empty }
        let sorted = values.sorted()
        func rank(_ percent: Double) -> Double {
            let index = Int((percent / 100 * Double(sorted.count)).rounded(.up)) - 1
            return sorted[min(max(0, index), sorted.count - 1)]
        }
        return LatencySummary(count: sorted.count, p50: rank(50), p95: rank(95), p99: rank(99), max: sorted.last!)
    }

    private static func append(_ sample: (time: Double, value: Double), to list: inout [(time: Double, value: Double)], now: Double) {
        append(sample, to: &list, now: now, time: { $0.time })
    }

    /// Appends, then drops what fell out of the window or beyond the capacity. Dropping is
    /// done in batches (when the oldest eighth is stale or over), so appends stay O(1) on average.
    private static func append<Element>(_ element: Element, to list: inout [Element], now: Double, time: (Element) -> Double) {
        list.append(element)
        let start = now - span
        guard let first = list.first, time(first) <= start || list.count > capacity else { return }
        var drop = 0
        while drop < list.count && time(list[drop]) <= start { drop += 1 }
        drop = max(drop, list.count - capacity)
        list.removeFirst(drop)
    }
}

/// A pool's last minute: latency percentiles and rates over a sliding window, beside the
/// since-start figures of ``PoolStats``. Monitoring requests are left out.
public struct RecentStats: Sendable, Equatable {
    /// The window's length in seconds (60).
    public var span: Double
    /// How much of the window the pool has existed for (at most ``span``): rates divide by it.
    public var elapsed: Double
    /// Percentiles over the window's samples, per measure (measures without samples absent).
    public var latency: [LatencyMeasure: LatencySummary]
    /// Requests that ended in the window (ok or failed).
    public var requests: Int
    /// Output tokens of chat streams that finished in the window.
    public var outputTokens: Int

    /// Creates a window's figures.
    public init(
        span: Double = 60, elapsed: Double = 0, latency: [LatencyMeasure: LatencySummary] = [:], requests: Int = 0,
        outputTokens: Int = 0
    ) {
        self.span = span
        self.elapsed = elapsed
        self.latency = latency
        self.requests = requests
        self.outputTokens = outputTokens
    }

    /// An empty window.
    public static let empty = RecentStats()

    /// The summary for `measure`, empty without samples.
    public func latency(_ measure: LatencyMeasure) -> LatencySummary {
        latency[measure] ?? .empty
    }

    /// Requests per second over the window, nil before a second has passed.
    public var requestsPerSecond: Double? {
        elapsed >= 1 ? Double(requests) / elapsed : nil
    }

    /// Output tokens per second over the window (all panes together), nil before a second
    /// has passed.
    public var tokensPerSecond: Double? {
        elapsed >= 1 ? Double(outputTokens) / elapsed : nil
    }
}
