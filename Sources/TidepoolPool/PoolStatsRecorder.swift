import Histogram
import Synchronization

/// The live counters and latency histograms of one pool.
///
/// The network thread writes; any thread may take a ``snapshot()``. One `Mutex` guards it all,
/// held only for a few additions per event, so a panel can snapshot ten times a second.
final class PoolStatsRecorder: Sendable {
    /// Latencies are recorded in microseconds from 1 µs to one hour at two significant digits
    /// (1% resolution): plenty for p50/p95/p99 and about 26 KB per histogram.
    static func makeHistogram() -> Histogram<UInt32> {
        Histogram(lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000,
                  numberOfSignificantValueDigits: .two)
    }

    /// How many recent total latencies are kept for the sparkline.
    static let recentCapacity = 64

    struct State {
        var stats: PoolStats
        var histograms: [LatencyMeasure: Histogram<UInt32>] = [:]
        /// Tokens per second, recorded ×100 to keep two decimals in an integer histogram.
        var tokensPerSecond: Histogram<UInt32>?
        var recent: [Double] = []
        /// The last minute, for windowed percentiles and rates (monitoring requests left out).
        var window = RecentWindow()
        /// When the pool was created, seconds on the monotonic clock.
        var created = PoolStatsRecorder.now()

        /// Records one latency sample in seconds. The histogram is changed in place: copying
        /// it out of the dictionary and back (as this once did) copied its 26 KB of counts
        /// on every sample.
        mutating func record(_ measure: LatencyMeasure, seconds: Double) {
            let micros = UInt64(max(1, min(3_600_000_000, (seconds * 1e6).rounded())))
            _ = histograms[measure, default: PoolStatsRecorder.makeHistogram()].record(micros)
            if measure == .total {
                recent.append(seconds)
                if recent.count > PoolStatsRecorder.recentCapacity { recent.removeFirst() }
            }
        }
    }

    private let state: Mutex<State>

    init(name: String, origin: Origin?, limits: PoolLimits) {
        state = Mutex(State(stats: PoolStats(name: name, origin: origin, limits: limits)))
    }

    /// The connection gauges, published together.
    struct Gauges: Equatable {
        var open: Int
        var active: Int
        var idle: Int
        var inFlight: Int
    }

    /// Applies `change` to the counters under the lock.
    func update(_ change: (inout PoolStats) -> Void) {
        state.withLock { change(&$0.stats) }
    }

    /// Now on the monotonic clock, in seconds (the window's time base).
    static func now() -> Double { Double(MonotonicClock.now()) / 1e9 }

    /// Records one latency sample in seconds (in the since-start histogram and the window).
    func record(_ measure: LatencyMeasure, seconds: Double) {
        let now = Self.now()
        state.withLock {
            $0.record(measure, seconds: seconds)
            $0.window.record(measure, seconds: seconds, at: now)
        }
    }

    /// Counts the output tokens of a finished chat stream, for the window's tokens per second.
    func recordOutputTokens(_ count: Int) {
        let now = Self.now()
        state.withLock { $0.window.recordTokens(count, at: now) }
    }

    /// Counts a request that failed before it had a connection (queued, refused set-up).
    func recordFailure(_ kind: PoolError.Kind, purpose: RequestPurpose) {
        let now = Self.now()
        state.withLock {
            $0.stats.requestsFailed += 1
            $0.stats.errors[kind, default: 0] += 1
            Self.countOutcome(failed: kind, purpose: purpose, in: &$0.stats)
            if purpose != .monitor { $0.window.recordEnd(at: now) }
        }
    }

    /// Counts a request's outcome under its purpose: ok, cancelled or failed.
    private static func countOutcome(failed: PoolError.Kind?, purpose: RequestPurpose, in stats: inout PoolStats) {
        switch failed {
        case nil: stats.byPurpose[purpose, default: PurposeCounts()].ok += 1
        case .cancelled?: stats.byPurpose[purpose, default: PurposeCounts()].cancelled += 1
        case _?: stats.byPurpose[purpose, default: PurposeCounts()].failed += 1
        }
    }

    /// Counts a finished transfer (succeeded, or failed with `failed`) and its latencies, and
    /// publishes `gauges`: one lock for everything a transfer's end changes. A monitoring
    /// request is counted (requests, connections, bytes, errors) but its latencies are left
    /// out of the histograms, the sparkline and the window: a poll a second would otherwise
    /// pull every percentile towards a loopback round trip.
    func recordTransfer(
        _ metrics: TransferMetrics, failed: PoolError.Kind?, purpose: RequestPurpose, usesTLS: Bool, gauges: Gauges?
    ) {
        let opened = !metrics.reusedConnection && metrics.localPort != 0
        let now = Self.now()
        state.withLock { state in
            if let gauges { state.stats.apply(gauges) }
            if let failed {
                state.stats.requestsFailed += 1
                state.stats.errors[failed, default: 0] += 1
            } else {
                state.stats.requestsFinished += 1
            }
            Self.countOutcome(failed: failed, purpose: purpose, in: &state.stats)
            if metrics.localPort != 0 {
                if metrics.reusedConnection {
                    state.stats.reusedConnections += 1
                    state.stats.byPurpose[purpose, default: PurposeCounts()].reused += 1
                } else {
                    state.stats.newConnections += 1
                    state.stats.byPurpose[purpose, default: PurposeCounts()].newConnections += 1
                }
            }
            if opened && usesTLS {
                state.stats.tlsHandshakes += 1
                state.stats.byPurpose[purpose, default: PurposeCounts()].tlsHandshakes += 1
            }
            state.stats.bytesIn += metrics.bytesIn
            state.stats.bytesOut += metrics.bytesOut
            if metrics.httpVersion != .unknown { state.stats.httpVersion = metrics.httpVersion }
            if purpose == .monitor { return }
            state.window.recordEnd(at: now)
            guard failed == nil else { return }
            if opened { state.window.record(.connect, seconds: metrics.connect, at: now) }
            state.window.record(.firstByte, seconds: metrics.firstByte, at: now)
            state.window.record(.total, seconds: metrics.total, at: now)
            if opened {
                state.record(.dns, seconds: metrics.dns)
                state.record(.connect, seconds: metrics.connect)
                if usesTLS { state.record(.tls, seconds: metrics.tls) }
            }
            state.record(.firstByte, seconds: metrics.firstByte)
            state.record(.total, seconds: metrics.total)
        }
    }

    /// Records the generation speed of one finished chat stream.
    func recordTokensPerSecond(_ value: Double) {
        guard value.isFinite, value > 0 else { return }
        state.withLock { state in
            if state.tokensPerSecond == nil { state.tokensPerSecond = Self.makeHistogram() }
            _ = state.tokensPerSecond?.record(UInt64(min(3_600_000_000, (value * 100).rounded())))
        }
    }

    /// The counters with latency summaries filled in.
    func snapshot() -> PoolStats {
        state.withLock { state in
            var stats = state.stats
            for (measure, histogram) in state.histograms {
                stats.latency[measure] = Self.summary(histogram, scale: 1e-6)
            }
            if let tps = state.tokensPerSecond { stats.tokensPerSecond = Self.summary(tps, scale: 0.01) }
            stats.recentTotals = state.recent
            let now = Self.now()
            stats.recent = state.window.summary(now: now, age: now - state.created)
            return stats
        }
    }

    /// Adds this pool's histograms into `into` (for the all-pools total).
    func mergeHistograms(
        into histograms: inout [LatencyMeasure: Histogram<UInt32>], tokensPerSecond: inout Histogram<UInt32>?,
        window: inout RecentWindow, created: inout Double
    ) {
        state.withLock { state in
            window.merge(state.window)
            created = min(created, state.created)
            for (measure, histogram) in state.histograms {
                var merged = histograms[measure] ?? Self.makeHistogram()
                merged.add(histogram)
                histograms[measure] = merged
            }
            if let tps = state.tokensPerSecond {
                var merged = tokensPerSecond ?? Self.makeHistogram()
                merged.add(tps)
                tokensPerSecond = merged
            }
        }
    }

    /// Percentiles of `histogram`, converted to the caller's unit by `scale`.
    static func summary(_ histogram: Histogram<UInt32>, scale: Double) -> LatencySummary {
        guard histogram.totalCount > 0 else { return .empty }
        return LatencySummary(
            count: Int(histogram.totalCount),
            p50: Double(histogram.valueAtPercentile(50)) * scale,
            p95: Double(histogram.valueAtPercentile(95)) * scale,
            p99: Double(histogram.valueAtPercentile(99)) * scale,
            max: Double(histogram.max) * scale
        )
    }
}
