/// Slow start, then additive increase and multiplicative decrease, of one pool's concurrency
/// limit: pure, with no clock and no sockets. ``CurlPool`` feeds it first tokens, finished
/// requests and what the server's monitoring said; the tests feed it hand-worked sequences.
///
/// The rule, after TCP's congestion control, Netflix concurrency-limits' `AIMDLimit` and
/// Envoy's adaptive concurrency filter, adapted to LLM streams (whose total time is mostly
/// answer length, so it says nothing about overload):
/// - **Slow start** while nothing is known (no ``AutoSizing/initialLimit``): the limit starts
///   at 1 and grows by one per successful first token that arrives while the pool uses its
///   whole limit with a steady time to first token, until the first loss, the server's slot
///   count (the limit jumps to it when the monitoring tells it) or the cap. A late first token
///   (it queued at the server, or its model was loading) adds nothing but does not end slow
///   start: one slow model among fast ones must not leave eight panes at a limit of 2. With
///   requests queued and no first token for ``slowStartPatience`` seconds it grows by one
///   anyway, so a server that answers only once several requests arrived (or loads a model
///   for a minute) does not hold the pool at 1; one that has no room says so with a 429/503.
///   Starting at the maximum instead sends every request before any answer can say how many
///   the server holds: sixteen chats at a server with 4 slots cost twelve rejections at once.
///   The ramp is cheap for a chat user: against a local server with first tokens in
///   milliseconds, eight panes are all admitted within a few tens of milliseconds; with slower
///   first tokens it costs one time to first token per pane at most, and a local server runs
///   at most its slots at once anyway (the others would queue at the server).
/// - **Decrease** on every loss: a 429, a 503 (Ollama's "server busy"), or the server
///   reporting requests waiting in its own queue. A 429 or 503 also says how many this server
///   holds: the limit goes to at most the requests of this pool it accepted
///   (``Observation/accepted``), and to ``AutoSizing/backoff`` times itself when that is lower,
///   never below 1. A rejection of a request admitted before the last decrease was sent under
///   the old limit: it lowers the limit only to the accepted count, with no second back-off,
///   so a burst of rejections is one decrease, not one per rejection (TCP's one reduction per
///   window).
/// - **Cap** at the server's slot count when its monitoring endpoint tells it.
/// - **Increase by one** after a full round of good requests: `floor(limit)` successes in a
///   row, each finishing while the pool used its whole limit (or had requests queued), with a
///   steady time to first token (queueing at the server plus prefill: the delay signal).
///   One step per round rather than per request (TCP's congestion avoidance) keeps the probing
///   of a full server to about one rejection per round.
/// - **Probe back-off**: an increase that is rejected before a full round at the new level
///   held was a failed probe; each failed probe doubles the rounds the next increase waits
///   for (up to ``maxRoundsPerIncrease``), so a server that is full at L stops being probed at
///   L+1 every round. A probe that holds for a round, or ``quietPeriod`` seconds without a
///   loss, makes it one round again.
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
        /// For a 429 or 503: the pool's chat requests still in flight that the server has not
        /// turned away (answered 2xx, or not answered yet); nil when unknown (the back-off
        /// alone applies).
        var accepted: Int? = nil
        /// ``AIMDController/decreases`` when the request was admitted; nil when unknown (the
        /// loss is taken as news).
        var admittedAfterDecreases: Int? = nil
    }

    /// What one request's first body byte (for a stream, its first token) says, while the
    /// controller is in slow start.
    struct FirstToken: Equatable {
        /// The HTTP status of the response.
        var status: Int
        /// Seconds from the request leaving the pool's queue to its first body byte.
        var timeToFirstToken: Double?
        /// Requests of the pool in flight now, this one included.
        var inFlight: Int
        /// Requests waiting in the pool's queue now.
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
    /// True until the first loss, the server's slots or the cap.
    private(set) var inSlowStart: Bool
    /// Good requests at full use since the limit last moved.
    private(set) var goodInRound = 0
    /// Decreases so far: a request admitted before the latest one was sent under an old limit.
    private(set) var decreases = 0
    /// Rounds of good requests an increase waits for: 1, doubled by each failed probe.
    private(set) var roundsPerIncrease = 1
    /// The admitted count the last increase tried, until a full round there held (nil then).
    private(set) var probing: Int?
    /// When the last loss came (seconds, the caller's clock), for the quiet period.
    private(set) var lastLossAt: Double?
    /// Recent times to first token of successful requests, oldest first; their minimum is the
    /// baseline a steady time is compared with (Envoy's minRTT, over a sliding window so a
    /// slower model loaded later becomes the new normal).
    private(set) var recentDelays: [Double] = []
    /// The smallest time to first token seen by slow start (whose requests have not finished
    /// yet, so ``recentDelays`` may still be empty).
    private(set) var startDelay: Double?

    /// How many times to first token the baseline is taken over.
    static let delayWindow = 32
    /// The most rounds an increase waits for after failed probes.
    static let maxRoundsPerIncrease = 16
    /// Seconds without a loss after which probing goes back to every round.
    static let quietPeriod = 60.0
    /// Seconds slow start waits for a first token, with requests queued, before it admits one
    /// more anyway.
    static let slowStartPatience = 1.0

    /// A controller starting at `settings.initialLimit` within `1...maximum`, or, without
    /// one, in slow start from 1.
    init(settings: AutoSizing = .standard, maximum: Int) {
        self.settings = settings
        self.maximum = max(1, maximum)
        inSlowStart = settings.initialLimit == nil
        let start = settings.initialLimit ?? 1
        limit = min(Double(self.maximum), max(1, start))
        if Double(cap) <= limit { inSlowStart = false }
    }

    /// The highest the limit may go now: the configured maximum, or the server's slots if fewer.
    var cap: Int { min(maximum, serverSlots ?? Int.max) }

    /// Requests admitted at once: `max(1, floor(limit))`.
    var admitted: Int { AdmissionPolicy.admitted(limit) }

    /// The smallest recent time to first token, nil before any.
    var baselineDelay: Double? { recentDelays.min() }

    /// Whether `delay` is within the tolerance of the smallest one known (true with none).
    private func isSteady(_ delay: Double, baseline: Double?) -> Bool {
        guard let baseline else { return true }
        return delay <= baseline * settings.delayTolerance + settings.delaySlack
    }

    /// Takes a first token into account during slow start; returns the change it caused.
    mutating func observeFirstToken(_ token: FirstToken, at time: Double) -> LimitChange? {
        guard inSlowStart, (200..<300).contains(token.status) else { return nil }
        if let delay = token.timeToFirstToken, delay.isFinite, delay >= 0 {
            let known = [baselineDelay, startDelay].compactMap { $0 }.min()
            startDelay = min(startDelay ?? delay, delay)
            // Late: it queued at the server (which holds no more at once) or waited for its
            // model; either way it proves no room.
            guard isSteady(delay, baseline: known) else { return nil }
        }
        guard token.inFlight >= admitted || token.queued > 0 else { return nil }  // Room left.
        return slowStartStep(at: time)
    }

    /// Slow start's patience ran out: requests are queued and no first token came for
    /// ``slowStartPatience`` seconds. Adds one (a first token the server may never send
    /// alone must not hold the pool at its limit forever).
    mutating func observeNoFirstToken(queued: Int, at time: Double) -> LimitChange? {
        guard inSlowStart, queued > 0 else { return nil }
        return slowStartStep(at: time)
    }

    /// One more admitted in slow start, which ends at the cap.
    private mutating func slowStartStep(at time: Double) -> LimitChange? {
        let change = move(to: min(Double(cap), limit + 1), .up, .slowStart, at: time)
        if limit >= Double(cap) { inSlowStart = false }
        return change
    }

    /// Takes a finished request into account; returns the change it caused, if any.
    mutating func observe(_ observation: Observation, at time: Double) -> LimitChange? {
        switch observation.status {
        case 429: return loss(.rateLimited, observation, at: time)
        case 503: return loss(.busy, observation, at: time)
        case 200..<300: break
        default: return nil  // Not about load (a 404, a 500): says nothing either way.
        }
        var steady = true
        if let delay = observation.timeToFirstToken, delay.isFinite, delay >= 0 {
            steady = isSteady(delay, baseline: baselineDelay)
            recentDelays.append(delay)
            if recentDelays.count > Self.delayWindow { recentDelays.removeFirst() }
        }
        guard !inSlowStart else { return nil }  // First tokens move it meanwhile.
        guard steady else {
            goodInRound = 0  // Queueing somewhere: growing now would only make it worse.
            return nil
        }
        let fullUse = observation.inFlight >= admitted || observation.queued > 0
        guard fullUse else { return nil }  // Room left: a higher limit would prove nothing.
        goodInRound += 1
        if let level = probing, admitted >= level, goodInRound >= admitted {
            probing = nil  // A full round held at the level probed: probe every round again.
            roundsPerIncrease = 1
        }
        if let lastLossAt, time - lastLossAt >= Self.quietPeriod { roundsPerIncrease = 1 }
        guard goodInRound >= admitted * roundsPerIncrease, limit < Double(cap) else { return nil }
        let before = admitted
        let change = move(to: min(Double(cap), limit + 1), .up, .fullUse, at: time)
        if admitted > before { probing = admitted }
        return change
    }

    /// Takes what the server's monitoring said: `waiting` requests in its own queue (a loss
    /// when above zero), `slots` answers it generates at once (the limit's ceiling, and in slow
    /// start its value). Returns the changes, in order: a cap at (or a start from) the slots,
    /// then a decrease for the queue.
    mutating func observeServer(waiting: Int?, slots: Int?, at time: Double) -> [LimitChange] {
        var changes: [LimitChange] = []
        if let slots, slots > 0 {
            serverSlots = slots
            if limit > Double(cap), let capped = move(to: Double(cap), .down, .serverSlots, at: time) {
                changes.append(capped)
            } else if inSlowStart, limit < Double(cap),
                      let raised = move(to: Double(cap), .up, .serverSlots, at: time) {
                changes.append(raised)
            }
            inSlowStart = false  // The server said how many it runs at once.
        }
        if let waiting, waiting > 0, let lowered = decrease(.serverQueue, to: max(1, limit * settings.backoff), at: time) {
            changes.append(lowered)
        }
        return changes
    }

    /// Sets the configured maximum (the pool's limits changed); the limit is brought within it
    /// without counting a change, since no server caused it.
    mutating func setMaximum(_ newMaximum: Int) {
        maximum = max(1, newMaximum)
        limit = min(limit, Double(cap))
    }

    /// Puts the limit at `value` (within `1...cap`) and starts a new round, counting no change
    /// (someone set it by hand, which also ends slow start).
    mutating func reset(to value: Double) {
        guard value.isFinite else { return }
        limit = min(Double(cap), max(1, value))
        goodInRound = 0
        inSlowStart = false
    }

    /// A 429 or 503: down to the accepted count, and by the back-off unless the request was
    /// sent under an older limit.
    private mutating func loss(_ reason: LimitChange.Reason, _ observation: Observation, at time: Double) -> LimitChange? {
        let stale = observation.admittedAfterDecreases.map { $0 < decreases } ?? false
        var target = stale ? limit : limit * settings.backoff
        if let accepted = observation.accepted { target = min(target, Double(max(0, accepted))) }
        if !stale, let level = probing, admitted >= level {
            // The level last probed did not hold: wait longer before the next probe.
            roundsPerIncrease = min(Self.maxRoundsPerIncrease, roundsPerIncrease * 2)
            probing = nil
        }
        return decrease(reason, to: max(1, target), at: time)
    }

    private mutating func decrease(_ reason: LimitChange.Reason, to value: Double, at time: Double) -> LimitChange? {
        goodInRound = 0
        inSlowStart = false
        lastLossAt = time
        guard value < limit else { return nil }  // A loss never raises it.
        decreases += 1
        return move(to: value, .down, reason, at: time)
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
