import CCurlShim

#if canImport(Glibc)
import Glibc
#endif

/// One pool: the connections to one ``PoolKey``, behind their own curl multi handle.
///
/// Intentionally not thread safe: every method runs on the ``NetworkThread`` that owns it
/// (checked in debug builds). A multi handle per pool gives each pool its own connection
/// cache, so its limits are exact (`CURLMOPT_MAX_HOST_CONNECTIONS`, `CURLMOPT_MAXCONNECTS`
/// for the idle ones) and closing one pool closes exactly its connections; one thread still
/// drives every pool, and DNS and TLS sessions are shared between pools through one curl share
/// handle.
///
/// The parts: admission decisions in ``AdmissionPolicy`` (pure), easy-handle options in
/// `CurlPool+Options.swift`, measurement and stats in `CurlPool+Metrics.swift`, libcurl's C
/// callbacks in `CurlCallbacks.swift`; this file keeps the queue, the in-flight set and the
/// multi handle's lifecycle.
final class CurlPool {
    let key: PoolKey
    let number: Int
    let recorder: PoolStatsRecorder
    unowned let thread: NetworkThread

    /// Limits, the protocol learnt, and the decisions that follow from them.
    private(set) var policy: AdmissionPolicy
    var limits: PoolLimits { policy.limits }

    /// The multi handle, created on first use and after an idle recycle.
    private var multi: MultiHandle?
    /// Tests only: what the next socket action returns (``failNextSocketAction(with:)``).
    private var injectedSocketActionFailure: CURLMcode?
    /// When libcurl wants `curl_multi_socket_action(CURL_SOCKET_TIMEOUT)` next.
    var timerDeadline: UInt64?
    /// Requests waiting for a free connection, oldest first.
    private(set) var queue: [Transfer] = []
    /// Requests handed to libcurl, by id.
    private(set) var active: [UInt64: Transfer] = [:]
    /// Of those, monitoring requests (they bypass admission, so they do not count against it).
    private var monitorsInFlight = 0
    /// The in-flight requests admission counts.
    var admittedInFlight: Int { active.count - monitorsInFlight }
    /// Easy handles kept for reuse after `curl_easy_reset`.
    private var spareHandles: [EasyHandle] = []
    /// Handles of transfers that ended this loop turn, reset only after the turn's outcomes
    /// went out (``resetRecycledHandles()``): `curl_easy_reset` is then off the path between
    /// a response and its caller.
    private var handlesToReset: [EasyHandle] = []
    /// Sockets libcurl opened through this pool and has not closed.
    private(set) var openSockets: Set<Int32> = []
    /// The purpose of the request each open socket was opened for (its close is counted there).
    private var socketPurposes: [Int32: RequestPurpose] = [:]
    /// When the last transfer ended (for idle expiry).
    private(set) var lastActivity: UInt64
    private(set) var isClosed = false
    /// The controller moving the concurrency limit when the pool sizes itself (see
    /// `CurlPool+AutoSize.swift`); nil when the limit is fixed.
    var autoSize: AIMDController?
    /// Chat requests whose first body byte arrived during the current socket action, for
    /// slow start (taken in after libcurl returns, never inside its callbacks).
    var firstBodies: [Transfer] = []
    /// When slow start last saw progress (a first token, a move, a queue forming): its
    /// patience counts from here.
    var slowStartProgressAt: UInt64 = 0

    init(key: PoolKey, number: Int, limits: PoolLimits, recorder: PoolStatsRecorder, thread: NetworkThread) {
        self.key = key
        self.number = number
        self.policy = AdmissionPolicy(limits: limits, usesTLS: key.origin.usesTLS)
        self.recorder = recorder
        self.thread = thread
        lastActivity = MonotonicClock.now()
    }

    var isEmpty: Bool { queue.isEmpty && active.isEmpty }

    /// Debug builds: stops when called off the network thread.
    @inline(__always)
    private func assertOnNetworkThread(_ function: StaticString = #function) {
        thread.owner.assertOwned("CurlPool.\(function)")
    }

    /// Learns the origin's protocol from the first status line received, and lets the
    /// requests held back for it go.
    private func learnVersionFromResponses() {
        guard policy.knownVersion == .unknown else { return }
        guard let seen = active.values.first(where: { $0.statusLineVersion != .unknown })?.statusLineVersion else {
            return
        }
        policy.learn(seen)
        publishPolicy()
        admitWaiting()
    }

    /// Publishes the limits in force to the stats, with `change`, the auto-sized move that set
    /// them, if any, in the same update (a reader never sees a moved limit without its reason).
    func publishPolicy(change: LimitChange? = nil) {
        let policy = self.policy
        recorder.update {
            $0.concurrencyLimit = policy.concurrencyLimit
            $0.admissionLimit = policy.admissionLimit
            if let change {
                $0.lastLimitChange = change
                $0.limitChanges[change.key, default: 0] += 1
            }
        }
    }

    /// Sets (or, with nil, removes) the run-time concurrency limit; queued requests go at once
    /// if it rose. On an auto-sized pool a number restarts the controller from it.
    func setConcurrencyLimit(_ limit: Double?) {
        assertOnNetworkThread()
        if let limit, autoSize != nil {
            autoSize?.reset(to: limit)
            applyConcurrencyLimit(autoSize?.limit)
        } else {
            applyConcurrencyLimit(limit)
        }
    }

    /// Puts `limit` in force, publishes it (with the auto-sized `change` that moved it, if
    /// any) and lets queued requests go if it rose.
    func applyConcurrencyLimit(_ limit: Double?, change: LimitChange? = nil) {
        policy.concurrencyLimit = limit
        publishPolicy(change: change)
        admitWaiting()
    }

    /// Applies new limits; they take effect for the next requests.
    func apply(_ newLimits: PoolLimits) {
        assertOnNetworkThread()
        policy.limits = newLimits
        if autoSize != nil { updateAutoSizeMaximum() }
        if let multi {
            do {
                try multi.configure(newLimits)
            } catch {
                thread.logger.error("could not apply pool limits", metadata: ["pool": "\(key)", "error": "\(error)"])
            }
        }
        recorder.update { $0.limits = newLimits }
        publishPolicy()
        admitWaiting()
    }

    // MARK: Requests

    /// Takes a new request: starts it now if there is room, else queues it.
    func enqueue(_ transfer: Transfer) {
        assertOnNetworkThread()
        let purpose = transfer.request.purpose
        recorder.update {
            $0.requestsStarted += 1
            $0.requestsByPurpose[purpose, default: 0] += 1
            $0.byPurpose[purpose, default: PurposeCounts()].requests += 1
        }
        if policy.admitsNew(purpose, queued: queue.count, inFlight: admittedInFlight) {
            start(transfer)
        } else {
            if queue.isEmpty { slowStartProgressAt = MonotonicClock.now() }
            queue.append(transfer)
            transfer.request.queueObserver?(true)
            let waiting = queue.count
            recorder.update {
                $0.queueExhaustionEvents += 1
                $0.byPurpose[purpose, default: PurposeCounts()].queueExhausted += 1
                $0.queuedNow = waiting
                $0.maxQueued = max($0.maxQueued, waiting)
            }
        }
    }

    /// Starts queued requests while there is room.
    func admitWaiting() {
        guard !queue.isEmpty else { return }
        var started = 0
        while started < queue.count && policy.admitsQueued(inFlight: admittedInFlight) && !isClosed {
            let next = queue[started]
            started += 1
            next.request.queueObserver?(false)
            start(next)
        }
        queue.removeFirst(started)
        let waiting = queue.count
        recorder.update { $0.queuedNow = waiting }
    }

    /// Ends one request with `error`, whether queued or in flight.
    func abort(_ id: UInt64, with error: PoolError) {
        assertOnNetworkThread()
        if let index = queue.firstIndex(where: { $0.id == id }) {
            let transfer = queue.remove(at: index)
            let waiting = queue.count
            recorder.update { $0.queuedNow = waiting }
            fail(transfer, with: error, measured: nil)
            return
        }
        guard let transfer = active[id] else { return }
        transfer.abortReason = error
        finish(transfer, result: CURLE_ABORTED_BY_CALLBACK)
    }

    /// Ends every request whose own clock ran out by `now`.
    /// Runs on every turn of the network loop, so it copies nothing unless a clock ran out.
    func expireDeadlines(now: UInt64) {
        var expired: [(id: UInt64, error: PoolError)] = []
        func check(_ transfer: Transfer) {
            guard let deadline = transfer.nextDeadline(), deadline.at <= now else { return }
            expired.append((transfer.id, .timedOut(deadline.kind, after: deadline.limit, origin: key.origin.description)))
        }
        queue.forEach(check)
        active.values.forEach(check)
        for (id, error) in expired { abort(id, with: error) }
        if autoSize != nil { checkSlowStartPatience(now: now) }
    }

    /// The earliest deadline of any request or of libcurl's timer, if any.
    func nextWakeUp() -> UInt64? {
        var earliest = timerDeadline
        func consider(_ transfer: Transfer) {
            if let deadline = transfer.nextDeadline()?.at { earliest = min(earliest ?? deadline, deadline) }
        }
        queue.forEach(consider)
        active.values.forEach(consider)
        if autoSize != nil, let patience = slowStartPatienceDeadline { earliest = min(earliest ?? patience, patience) }
        if isEmpty, !openSockets.isEmpty {
            let expiry = MonotonicClock.adding(limits.idleExpiry, to: lastActivity)
            earliest = min(earliest ?? expiry, expiry)
        }
        return earliest
    }

    /// Closes every idle connection once the whole pool has been idle longer than its expiry.
    /// libcurl only drops an expired connection when it next needs one, so an idle pool would
    /// otherwise keep its sockets open indefinitely.
    func closeExpiredIdleConnections(now: UInt64) {
        guard isEmpty, !openSockets.isEmpty, multi != nil,
              now >= MonotonicClock.adding(limits.idleExpiry, to: lastActivity) else { return }
        recycleMulti()
    }

    // MARK: Events from the network thread

    /// Passes socket readiness (or a timeout, with `CURL_SOCKET_TIMEOUT`) to libcurl and
    /// finishes whatever completed. A failing `curl_multi_socket_action` (out of memory, an
    /// internal error) leaves the multi handle unusable: every transfer in flight fails with
    /// libcurl's message and the next request gets a new multi handle.
    func socketAction(_ socket: curl_socket_t, events: Int32) {
        assertOnNetworkThread()
        guard let multi else { return }
        let code = injectedSocketActionFailure ?? multi.socketAction(socket, events: events)
        injectedSocketActionFailure = nil
        guard code == CURLM_OK else {
            let message = "curl_multi_socket_action failed: " + MultiHandle.message(code)
            thread.logger.error("multi handle failed", metadata: ["pool": "\(key)", "error": "\(message)"])
            failEverything(with: .transport(origin: key.origin.description, code: Int(code.rawValue), message: message))
            return
        }
        learnVersionFromResponses()
        if !firstBodies.isEmpty { observeFirstBodies() }
        collectFinished()
    }

    /// Tests only: makes the next `curl_multi_socket_action` of this pool return `code`
    /// instead of asking libcurl, so the path of a multi handle libcurl gave up on (out of
    /// memory, an internal error), which no loopback server can cause, runs for real. False
    /// when the pool has no multi handle now.
    func failNextSocketAction(with code: CURLMcode) -> Bool {
        guard multi != nil else { return false }
        injectedSocketActionFailure = code
        return true
    }

    /// Runs libcurl's timer if it is due.
    func fireTimerIfDue(now: UInt64) {
        guard let deadline = timerDeadline, deadline <= now else { return }
        timerDeadline = nil
        socketAction(CURL_SOCKET_TIMEOUT, events: 0)
    }

    /// Closes the pool: every request ends with `poolClosed`, every connection closes.
    func close() {
        assertOnNetworkThread()
        guard !isClosed else { return }
        isClosed = true
        let error = PoolError.poolClosed(key.description)
        for transfer in queue { fail(transfer, with: error, measured: nil) }
        queue.removeAll()
        for id in Array(active.keys) { abort(id, with: error) }
        teardownMulti()
        recorder.update {
            $0.isClosed = true
            $0.queuedNow = 0
        }
        refreshGauges()
    }

    /// Ends every request, queued or in flight, with `error` and drops the multi handle (the
    /// network loop itself failed). Unlike ``close()`` the pool stays open.
    func failEverything(with error: PoolError) {
        assertOnNetworkThread()
        let waiting = queue
        queue.removeAll()
        for transfer in waiting { fail(transfer, with: error, measured: nil) }
        recorder.update { $0.queuedNow = 0 }
        for id in Array(active.keys) { abort(id, with: error) }
        recycleMulti()
    }

    // MARK: Socket bookkeeping (called from libcurl's callbacks)

    /// Counts a socket libcurl opened for a request of `purpose`.
    func socketOpened(_ fd: Int32, for purpose: RequestPurpose) {
        openSockets.insert(fd)
        socketPurposes[fd] = purpose
        recorder.update {
            $0.socketsOpened += 1
            $0.byPurpose[purpose, default: PurposeCounts()].connectionsOpened += 1
        }
        refreshGauges()
    }

    func socketClosed(_ fd: Int32) {
        openSockets.remove(fd)
        let purpose = socketPurposes.removeValue(forKey: fd) ?? .chat
        thread.forget(fd)
        recorder.update {
            $0.socketsClosed += 1
            $0.byPurpose[purpose, default: PurposeCounts()].connectionsClosed += 1
        }
        refreshGauges()
    }

    /// Open / active / idle connections and requests in flight now. Open is exact (socket
    /// callbacks); active counts the distinct connections (local ports) carrying a request,
    /// plus requests whose connection is still being set up.
    func gauges() -> PoolStatsRecorder.Gauges {
        let open = openSockets.count
        var busy: Int
        if active.count <= 1 {
            busy = active.count
        } else {
            var ports = Set<Int>()
            var unplaced = 0
            for transfer in active.values {
                if let port = transfer.localPort { ports.insert(port) } else { unplaced += 1 }
            }
            busy = ports.count + unplaced
        }
        busy = min(open, busy)
        return .init(open: open, active: busy, idle: open - busy, inFlight: active.count)
    }

    /// Publishes ``gauges()``.
    func refreshGauges() {
        let now = gauges()
        recorder.update { $0.apply(now) }
    }

    // MARK: Multi handle lifecycle

    private func ensureMulti() throws(PoolSetupError) -> MultiHandle {
        if let multi { return multi }
        // Unretained: the pool outlives its multi handle (`teardownMulti` runs before the
        // pool is dropped, and `curl_multi_cleanup` calls the socket callbacks one last time).
        let context = Unmanaged.passUnretained(self).toOpaque()
        let created = try MultiHandle.make(
            context: context, socketCallback: multiSocketCallback, timerCallback: multiTimerCallback)
        do {
            try created.configure(limits)
        } catch {
            created.cleanup()
            throw error
        }
        multi = created
        return created
    }

    /// Closes the multi handle (and with it every cached connection); the next request makes
    /// a new one.
    private func recycleMulti() {
        teardownMulti()
        refreshGauges()
    }

    private func teardownMulti() {
        for handle in spareHandles { handle.cleanup() }
        spareHandles.removeAll()
        for handle in handlesToReset { handle.cleanup() }
        handlesToReset.removeAll()
        if let multi {
            multi.cleanup()
            self.multi = nil
        }
        timerDeadline = nil
    }

    // MARK: One transfer

    /// Hands `transfer` to libcurl.
    ///
    /// The transfer's context balance: libcurl holds the transfer as a raw pointer
    /// (`CURLOPT_PRIVATE`, and the write and header callbacks' userdata). Once the handle is in
    /// the multi handle, that pointer owns one retain (`passRetained` below); exactly one
    /// place gives it back, ``finish(_:result:)``, after the handle left the multi handle and
    /// no callback can run for it any more. A transfer that never got into the multi handle
    /// was never retained.
    private func start(_ transfer: Transfer) {
        transfer.admittedAt = MonotonicClock.now()
        transfer.admittedAfterDecreases = autoSize?.decreases
        let queueWait = MonotonicClock.seconds(from: transfer.enqueuedAt, to: transfer.admittedAt)
        if transfer.request.purpose != .monitor { recorder.record(.queue, seconds: queueWait) }
        let multi: MultiHandle
        let easy: EasyHandle
        do throws(PoolSetupError) {
            multi = try ensureMulti()
            if let spare = spareHandles.popLast() {
                easy = spare
            } else if let used = handlesToReset.popLast() {
                used.reset()
                easy = used
            } else {
                easy = try EasyHandle.make()
            }
        } catch {
            fail(transfer, with: error.transportError(origin: key.origin.description), measured: nil)
            return
        }
        transfer.closesConnectionAfter = !policy.keepsConnection(
            freshConnection: transfer.request.freshConnection, warmUp: transfer.purpose == .warmUp,
            connectionCounts())
        do {
            try setOptions(easy, for: transfer)
        } catch {
            recycle(easy)
            fail(transfer, with: error.transportError(origin: key.origin.description), measured: nil)
            return
        }
        transfer.easy = easy
        transfer.pool = self
        active[transfer.id] = transfer
        let added = multi.add(easy)
        if added != CURLM_OK {
            active[transfer.id] = nil
            transfer.easy = nil
            recycle(easy)
            fail(transfer, with: .transport(origin: key.origin.description, code: Int(added.rawValue),
                                            message: MultiHandle.message(added)), measured: nil)
            return
        }
        _ = Unmanaged.passRetained(transfer)  // owned by the handle; released in finish()
        if transfer.request.purpose == .monitor { monitorsInFlight += 1 }
        refreshGauges()
    }

    /// Resets the handles of the transfers that ended this turn for reuse (called by the
    /// network thread once the turn's outcomes were told).
    func resetRecycledHandles() {
        guard !handlesToReset.isEmpty else { return }
        for handle in handlesToReset {
            handle.reset()
            spareHandles.append(handle)
        }
        handlesToReset.removeAll(keepingCapacity: true)
    }

    private func connectionCounts() -> AdmissionPolicy.Connections {
        var keeping = 0
        for transfer in active.values where !transfer.closesConnectionAfter { keeping += 1 }
        return .init(open: openSockets.count, inFlight: active.count, inFlightKeeping: keeping)
    }

    /// Drains libcurl's completion messages.
    private func collectFinished() {
        while let multi, let (easy, result) = multi.nextFinished() {
            guard let pointer = easy.privatePointer() else { continue }
            let transfer = Unmanaged<Transfer>.fromOpaque(pointer).takeUnretainedValue()
            finish(transfer, result: result)
        }
    }

    /// Ends an admitted transfer: measures it, detaches its handle, tells the caller.
    private func finish(_ transfer: Transfer, result: CURLcode) {
        guard let easy = transfer.easy, active.removeValue(forKey: transfer.id) != nil else { return }
        if transfer.request.purpose == .monitor { monitorsInFlight -= 1 }
        let inFlightAtEnd = admittedInFlight + (transfer.request.purpose == .monitor ? 0 : 1)
        let metrics = measure(easy, transfer)
        multi?.remove(easy)
        transfer.easy = nil
        lastActivity = MonotonicClock.now()
        let limitBefore = policy.admissionLimit
        policy.learn(metrics.httpVersion)
        if policy.admissionLimit != limitBefore { publishPolicy() }
        let gauges = gauges()

        if let reason = transfer.abortReason {
            fail(transfer, with: reason, measured: metrics, gauges: gauges)
        } else if result != CURLE_OK {
            let error = CurlErrorMapping.error(
                code: result, origin: key.origin,
                connected: easy.offset(CURLINFO_CONNECT_TIME_T) > 0 || metrics.reusedConnection,
                timeouts: transfer.request.timeouts, message: String(cString: transfer.errorBuffer),
                systemError: easy.long(CURLINFO_OS_ERRNO))
            fail(transfer, with: error, measured: metrics, gauges: gauges)
        } else {
            // Count first, then tell the caller: a caller that reads stats right after its
            // response must see that response counted (and the connection back as idle).
            recorder.recordTransfer(
                metrics, failed: nil, purpose: transfer.request.purpose, usesTLS: key.origin.usesTLS, gauges: gauges)
            report(transfer, failed: nil, metrics: metrics)
            thread.deliverLater(.complete(transfer, metrics))
            if autoSize != nil { observeForAutoSize(transfer, inFlight: inFlightAtEnd) }
        }
        recycle(easy)
        Unmanaged.passUnretained(transfer).release()  // the retain taken in start()
        admitWaiting()
    }

    private func fail(
        _ transfer: Transfer, with error: PoolError, measured metrics: TransferMetrics?,
        gauges: PoolStatsRecorder.Gauges? = nil
    ) {
        let purpose = transfer.request.purpose
        if let metrics {
            recorder.recordTransfer(metrics, failed: error.kind, purpose: purpose, usesTLS: key.origin.usesTLS, gauges: gauges)
        } else {
            recorder.recordFailure(error.kind, purpose: purpose)
        }
        report(transfer, failed: error.kind, metrics: metrics)
        thread.deliverLater(.fail(transfer, error))
    }

    private func recycle(_ easy: EasyHandle) {
        if spareHandles.count + handlesToReset.count < max(4, min(limits.maxConnections, 64)) && multi != nil {
            // The transfer's error buffer may be freed before the reset: libcurl must not
            // hold on to it meanwhile.
            _ = try? easy.set(CURLOPT_ERRORBUFFER, pointer: nil)
            handlesToReset.append(easy)
        } else {
            easy.cleanup()
        }
    }
}
