/// One move of an auto-sized pool's concurrency limit: which way, why, from what to what and
/// when. The panel shows the latest (`limit 3 ↓ 429 14:02:11`); the pool counts them by
/// direction and reason (exported as `tidepool_pool_limit_changes_total{direction,reason}`).
public struct LimitChange: Sendable, Equatable {
    /// Which way the limit moved.
    public enum Direction: String, Sendable, Hashable, CaseIterable, Comparable {
        /// Raised by one (or, while starting, to the server's slots).
        case up
        /// Lowered (to the requests the server accepted, by the back-off factor, or capped at
        /// the server's slots).
        case down

        /// `up` before `down`, so listings are stable.
        public static func < (lhs: Direction, rhs: Direction) -> Bool { lhs == .up && rhs == .down }

        /// The arrow the panel shows.
        public var arrow: String { self == .up ? "↑" : "↓" }
    }

    /// What made it move. The raw values are the short words the panel shows and the metric's
    /// `reason` label carries.
    public enum Reason: String, Sendable, Hashable, CaseIterable, Comparable {
        /// The server answered 429 Too Many Requests (hosted APIs).
        case rateLimited = "429"
        /// The server answered 503 (Ollama's "server busy" when its queue is full).
        case busy = "503"
        /// The server's monitoring endpoint reported requests waiting in its own queue.
        case serverQueue = "queue"
        /// The server's monitoring endpoint reported fewer slots than the limit.
        case serverSlots = "slots"
        /// A full round of requests at the limit, none rejected, time to first token steady.
        case fullUse = "full"
        /// Slow start: a first token arrived at full use before any loss (see ``AIMDController``).
        case slowStart = "start"

        /// Orders reasons by their label.
        public static func < (lhs: Reason, rhs: Reason) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// Which way the limit moved.
    public var direction: Direction
    /// Why.
    public var reason: Reason
    /// The limit before (a real number: see ``PoolStats/concurrencyLimit``).
    public var from: Double
    /// The limit after.
    public var to: Double
    /// When, in seconds since 1970 (wall clock, for showing a time of day).
    public var at: Double

    /// Creates a change record.
    public init(direction: Direction, reason: Reason, from: Double, to: Double, at: Double) {
        self.direction = direction
        self.reason = reason
        self.from = from
        self.to = to
        self.at = at
    }

    /// The counting key of this change.
    public var key: Key { Key(direction: direction, reason: reason) }

    /// Direction and reason together: what ``PoolStats/limitChanges`` counts by.
    public struct Key: Sendable, Hashable, Comparable {
        /// Which way.
        public var direction: Direction
        /// Why.
        public var reason: Reason

        /// Creates a key.
        public init(direction: Direction, reason: Reason) {
            self.direction = direction
            self.reason = reason
        }

        /// By direction, then reason.
        public static func < (lhs: Key, rhs: Key) -> Bool {
            (lhs.direction, lhs.reason) < (rhs.direction, rhs.reason)
        }
    }
}
