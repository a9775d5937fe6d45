/// Additive increase, multiplicative decrease of one pool's concurrency limit: pure, with no
/// clock and no sockets. ``CurlPool`` feeds it what finished requests and the server's
/// monitoring said; the tests feed it hand-worked sequences.
///
/// The rule, after Netflix concurrency-limits' `AIMDLimit` and Envoy's adaptive concurrency
/// filter, adapted to LLM streams (whose total time is mostly answer length, so it says
/// nothing about overload):
/// - **Decrease** (multiply by ``AutoSizing/backoff``, at least 1) on every loss: a 429, a
///   503 (Ollama's "server busy"), or the server reporting requests waiting in its own queue.
///   A burst of rejections lowers the limit once per rejection, as Netflix's does: twelve
///   429s from a server with 4 slots take 16 to 4.5.
/// - **Cap** at the server's slot count when its monitoring endpoint tells it.
/// - **Increase by one** after a full round of good requests: `floor(limit)` successes in a
///   row, each finishing while the pool used its whole limit (or had requests queued), with a
///   steady time to first token (queueing at the server plus prefill: the delay signal).
///   One step per round rather than per request (TCP's congestion avoidance) keeps the probing
///   of a full server to about one rejection per round.
///
/// Intentionally not thread safe: a value owned by its pool, on the network thread.
struct AIMDController: Equatable {
    /// What one finished request says.
    struct Observation: Equatable {
        /// The HTTP status of the response.
        var status: Int
        /// Seconds from the request leaving the pool's queue to its first body byte (for a
        /// stream: the first token, after queueing at the server and prefill); nil if unknown.
        var timeToFirstToken: Double?
        /// Requests of the pool in flight when it finished, itself included.
        var inFlight: Int
        /// Requests waiting in the pool's queue when it finished.
        var queued: Int
    }

    /// The settings.
    let settings: AutoSizing
    /// The limit in force, a real number in `1...cap`.
    private(set) var limit: Double
    /// The configured maximum (the pool's own limit for its protocol).
    private(set) var maximum: Int
    /// The server's slot count, once its monitoring endpoint told it.
    private(set) var serverSlots: Int?
    /// Good requests at full use since the limit last moved.
    private(set) var goodInRound = 0
    /// Recent times to first token of successful requests, oldest first; their minimum is the
    /// baseline a steady time is compared with (Envoy's minRTT, over a sliding window so a
    /// slower model loaded later becomes the new normal).
    private(set) var recentDelays: [Double] = []

    /// How many times to first token the baseline is taken over.
    static let delayWindow = 32

    /// A controller starting at `settings.initialLimit` (or `maximum`), within `1...maximum`.
    init(settings: AutoSizing = .standard, maximum: Int) {
        self.settings = settings
        self.maximum = max(1, maximum)
        let start = settings.initialLimit ?? Double(self.maximum)
        limit = min(Double(self.maximum), max(1, start))
    }

    /// The highest the limit may go now: the configured maximum, or the server's slots if fewer.
    var cap: Int { min(maximum, serverSlots ?? Int.max) }

    /// Requests admitted at once: `max(1, floor(limit))`.
    var admitted: Int { AdmissionPolicy.admitted(limit) }

    /// The smallest recent time to first token, nil before any.
    var baselineDelay: Double? { recentDelays.min() }

    /// Takes a finished request into account; returns the change it caused, if any.
    mutating func observe(_ observation: Observation, at time: Double) -> LimitChange? {
        switch observation.status {
        case 429: return decrease(.rateLimited, at: time)
        case 503: return decrease(.busy, at: time)
        case 200..<300: break
        default: return nil  // Not about load (a 404, a 500): says nothing either way.
        }
        var steady = true
        if let delay = observation.timeToFirstToken, delay.isFinite, delay >= 0 {
            if let baseline = baselineDelay {
                steady = delay <= baseline * settings.delayTolerance + settings.delaySlack
            }
            recentDelays.append(delay)
            if recentDelays.count > Self.delayWindow { recentDelays.removeFirst() }
        }
        guard steady else {
            goodInRound = 0  // Queueing somewhere: growing now would only make it worse.
            return nil
        }
        let fullUse = observation.inFlight >= admitted || observation.queued > 0
        guard fullUse else { return nil }  // Room left: a higher limit would prove nothing.
        goodInRound += 1
        guard goodInRound >= admitted, limit < Double(cap) else { return nil }
        return move(to: min(Double(cap), limit + 1), .up, .fullUse, at: time)
    }

    /// Takes what the server's monitoring said: `waiting` requests in its own queue (a loss
    /// when above zero), `slots` answers it generates at once (the limit's ceiling). Returns
    /// the changes, in order: a cap at the slots, then a decrease for the queue.
    mutating func observeServer(waiting: Int?, slots: Int?, at time: Double) -> [LimitChange] {
        var changes: [LimitChange] = []
        if let slots, slots > 0 {
            serverSlots = slots
            if limit > Double(cap), let capped = move(to: Double(cap), .down, .serverSlots, at: time) {
                changes.append(capped)
            }
        }
        if let waiting, waiting > 0, let lowered = decrease(.serverQueue, at: time) { changes.append(lowered) }
        return changes
    }

    /// Sets the configured maximum (the pool's limits changed); the limit is brought within it
    /// without counting a change, since no server caused it.
    mutating func setMaximum(_ newMaximum: Int) {
        maximum = max(1, newMaximum)
        limit = min(limit, Double(cap))
    }

    /// Puts the limit at `value` (within `1...cap`) and starts a new round, counting no change
    /// (someone set it by hand).
    mutating func reset(to value: Double) {
        guard value.isFinite else { return }
        limit = min(Double(cap), max(1, value))
        goodInRound = 0
    }

    private mutating func decrease(_ reason: LimitChange.Reason, at time: Double) -> LimitChange? {
        goodInRound = 0
        return move(to: max(1, limit * settings.backoff), .down, reason, at: time)
    }

    private mutating func move(
        to value: Double, _ direction: LimitChange.Direction, _ reason: LimitChange.Reason, at time: Double
    ) -> LimitChange? {
        guard value != limit else { return nil }  // Already at the bound.
        let change = LimitChange(direction: direction, reason: reason, from: limit, to: value, at: time)
        limit = value
        goodInRound = 0
        return change
    }
}
