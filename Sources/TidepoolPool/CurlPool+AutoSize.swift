#if canImport(Glibc)
import Glibc
#endif

extension CurlPool {
    /// Turns auto sizing on with `settings` (the limit starts from its initial value) or, with
    /// nil, off (the limit goes back to `fixedLimit`, the one set by hand, if any).
    /// Network thread only, like everything of the pool.
    func setAutoSizing(_ settings: AutoSizing?, fixedLimit: Double?) {
        if let settings {
            var controller = AIMDController(settings: settings, maximum: autoSizeMaximum)
            if settings.initialLimit == nil, let fixedLimit { controller.reset(to: fixedLimit) }
            autoSize = controller
            slowStartProgressAt = MonotonicClock.now()
            recorder.update { $0.autoSized = true }
            applyConcurrencyLimit(controller.limit)
        } else {
            guard autoSize != nil else { return }
            autoSize = nil
            recorder.update { $0.autoSized = false }
            applyConcurrencyLimit(fixedLimit)
        }
    }

    /// The most the auto-sized limit may reach: one request per connection, or on a server
    /// known to multiplex, the streams all connections carry (saturating).
    var autoSizeMaximum: Int {
        switch policy.knownVersion {
        case .http2, .http3:
            let (product, overflow) = limits.maxConnections.multipliedReportingOverflow(by: limits.maxStreamsPerConnection)
            return overflow ? Int.max : product
        default:
            return limits.maxConnections
        }
    }

    /// Follows the pool's limits or protocol after they changed.
    func updateAutoSizeMaximum() {
        guard var controller = autoSize else { return }
        let maximum = autoSizeMaximum
        guard maximum != controller.maximum else { return }
        controller.setMaximum(maximum)
        autoSize = controller
        applyConcurrencyLimit(controller.limit)
    }

    /// Feeds a chat request that finished with a response to the controller: its status,
    /// time to its first body byte (queueing at the server plus prefill; for a stream, the
    /// first token) and how full the pool was. Runs on the network thread inside
    /// `finish`, before queued requests are admitted, so a lowered limit holds them at once;
    /// it costs a few comparisons (and a lock only when the limit moves).
    /// Monitoring, discovery and warm-up requests never feed it: they say nothing about how
    /// many generations the server can run.
    func observeForAutoSize(_ transfer: Transfer, inFlight: Int) {
        guard autoSize != nil, transfer.request.purpose == .chat, transfer.purpose == .request else { return }
        updateAutoSizeMaximum()
        let delay = transfer.firstBodyAt.map { MonotonicClock.seconds(from: transfer.admittedAt, to: $0) }
        var observation = AIMDController.Observation(
            status: transfer.status, timeToFirstToken: delay, inFlight: inFlight, queued: queue.count)
        if transfer.status == 429 || transfer.status == 503 {
            observation.accepted = acceptedChats(besides: transfer)
            observation.admittedAfterDecreases = transfer.admittedAfterDecreases
        }
        guard let change = autoSize?.observe(observation, at: Self.wallClock()) else { return }
        record(change)
    }

    /// The chat requests in flight that the server has not turned away, seen from a rejection
    /// of `rejected`: those answered with a 2xx, and those with no answer yet (a long prefill
    /// shows no byte for seconds). Not only those admitted before it: two chats admitted
    /// together race to the server (one on a reused connection, one on a new one), and the
    /// later-admitted one may be the one that got the slot. Counting one that is rejected a
    /// moment later is corrected by that rejection. Counted only on a rejection.
    private func acceptedChats(besides rejected: Transfer) -> Int {
        var accepted = 0
        for transfer in active.values
        where transfer !== rejected && transfer.request.purpose == .chat && transfer.purpose == .request {
            if transfer.status == 0 || (200..<300).contains(transfer.status) { accepted += 1 }
        }
        return accepted
    }

    /// Notes a transfer's first body byte (from libcurl's write callback: only remembered
    /// here, taken in by ``observeFirstBodies()`` once libcurl returned). Only chats of a pool
    /// in slow start are kept.
    func firstBodyArrived(_ transfer: Transfer) {
        guard autoSize?.inSlowStart == true, transfer.request.purpose == .chat, transfer.purpose == .request else {
            return
        }
        firstBodies.append(transfer)
    }

    /// Feeds the first tokens of this socket action to slow start, each with how full the
    /// pool is now; a raised limit admits queued requests at once.
    func observeFirstBodies() {
        let arrived = firstBodies
        firstBodies.removeAll(keepingCapacity: true)
        slowStartProgressAt = MonotonicClock.now()
        for transfer in arrived where active[transfer.id] != nil {
            guard autoSize?.inSlowStart == true, let firstBody = transfer.firstBodyAt else { return }
            let token = AIMDController.FirstToken(
                status: transfer.status, timeToFirstToken: MonotonicClock.seconds(from: transfer.admittedAt, to: firstBody),
                inFlight: admittedInFlight, queued: queue.count)
            if let change = autoSize?.observeFirstToken(token, at: Self.wallClock()) { record(change) }
        }
    }

    /// When slow start's patience runs out (``AIMDController/slowStartPatience`` after the
    /// last first token, limit move or request queued into an empty queue), while requests
    /// are queued; nil otherwise.
    var slowStartPatienceDeadline: UInt64? {
        guard !queue.isEmpty, autoSize?.inSlowStart == true else { return nil }
        return MonotonicClock.adding(AIMDController.slowStartPatience, to: slowStartProgressAt)
    }

    /// Adds one in slow start if its patience ran out by `now` (see
    /// ``AIMDController/observeNoFirstToken(queued:at:)``). Every loop turn: two comparisons
    /// unless requests are queued in slow start.
    func checkSlowStartPatience(now: UInt64) {
        guard let deadline = slowStartPatienceDeadline, deadline <= now else { return }
        slowStartProgressAt = now
        if let change = autoSize?.observeNoFirstToken(queued: queue.count, at: Self.wallClock()) { record(change) }
    }

    /// Takes what the server's own monitoring reported (see
    /// ``PoolManager/reportServerLoad(origin:options:waiting:slots:)``).
    func observeServerLoad(waiting: Int?, slots: Int?) {
        guard autoSize != nil else { return }
        let changes = autoSize?.observeServer(waiting: waiting, slots: slots, at: Self.wallClock()) ?? []
        for change in changes { record(change) }
    }

    /// Puts a moved limit in force and counts the move. The new limit and its change reach the
    /// stats in one update: a reader that sees the moved limit also sees why it moved (the
    /// panel, `/metrics` and the tests read both).
    private func record(_ change: LimitChange) {
        slowStartProgressAt = MonotonicClock.now()
        applyConcurrencyLimit(autoSize?.limit, change: change)
        thread.logger.debug("pool limit moved", metadata: [
            "pool": "\(key)", "direction": "\(change.direction.rawValue)", "reason": "\(change.reason.rawValue)",
            "from": "\(change.from)", "to": "\(change.to)",
        ])
    }

    /// Seconds since 1970, for showing when the limit moved.
    static func wallClock() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
