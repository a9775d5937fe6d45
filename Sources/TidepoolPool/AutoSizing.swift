/// Whether and how a pool sizes its own concurrency limit (``PoolManager/setAutoSizing(_:for:options:)``).
///
/// The limit moves between 1 and the pool's configured maximum (its connection limit, or on
/// HTTP/2 its streams), never above the server's slot count when the server tells it; see
/// ``AIMDController`` for the rule.
public struct AutoSizing: Sendable, Hashable {
    /// The limit to start from, skipping slow start; nil (the default) starts at 1 and grows by
    /// one per first token until the first loss (see ``AIMDController``), so a server with
    /// fewer slots than requests is not sent them all before it can say so.
    public var initialLimit: Double?
    /// What a decrease multiplies the limit by (Netflix concurrency-limits' AIMD uses 0.9).
    public var backoff: Double
    /// A time to first token counts as steady while it is at most `delayTolerance` times the
    /// smallest recent one plus ``delaySlack`` seconds; a rising one holds increases back.
    public var delayTolerance: Double
    /// Seconds added to the tolerated time to first token, so that jitter on a fast server
    /// (10 ms against 12 ms) is not taken for queueing.
    public var delaySlack: Double

    /// Creates settings; out-of-range values are brought into range (`backoff` in
    /// [0.1, 0.99], the tolerance at least 1, the slack at least 0).
    public init(initialLimit: Double? = nil, backoff: Double = 0.9, delayTolerance: Double = 2, delaySlack: Double = 0.05) {
        self.initialLimit = initialLimit.flatMap { $0.isFinite ? max(1, $0) : nil }
        self.backoff = backoff.isFinite ? min(0.99, max(0.1, backoff)) : 0.9
        self.delayTolerance = delayTolerance.isFinite ? max(1, delayTolerance) : 2
        self.delaySlack = delaySlack.isFinite ? max(0, delaySlack) : 0.05
    }

    /// The defaults: slow start from 1, back off by 0.9, tolerate twice the best time to
    /// first token plus 50 ms.
    public static let standard = AutoSizing()
}
