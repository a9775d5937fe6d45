import CCurlShim
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The one thread that owns every curl handle of a ``PoolManager``.
///
/// It sleeps in an ``EpollSelector`` on the sockets libcurl asks it to watch, the selector's
/// wake-up descriptor, and the earliest deadline (libcurl's timers, request clocks, idle
/// expiry). With nothing in flight there is no deadline and it sleeps until woken: an idle pool
/// costs no CPU. Other threads only ever call ``post(_:)`` (and the stats recorders, which lock).
///
/// `@unchecked Sendable` because its network-thread state (`pools`, `watched`, the limits,
/// `pendingDeliveries`) is touched only by the thread itself, which ``owner`` checks in debug
/// builds; what other threads touch is immutable (`selector`'s descriptors, `share`) or behind
/// a `Mutex` (`inbox`, `recorders`, `finished`).
final class NetworkThread: @unchecked Sendable {
    /// What other threads ask of the network thread.
    enum Command: Sendable {
        case start(PendingRequest)
        case cancel(UInt64)
        case setLimits(PoolKey?, PoolLimits)
        case setConcurrencyLimit(PoolKey, Double?)
        case setAutoSizing(PoolKey, AutoSizing?)
        case serverLoad(PoolKey, waiting: Int?, slots: Int?)
        /// Tests only: runs a closure on the network thread, to reach a pool's internals (with
        /// nil when the thread no longer takes commands).
        case onThread(@Sendable (NetworkThread?) -> Void)
        case close(PoolKey, @Sendable () -> Void)
        case closeAll(@Sendable () -> Void)
        case stop
    }

    /// A request on its way to the network thread.
    struct PendingRequest: Sendable {
        let id: UInt64
        let key: PoolKey
        let request: HTTPRequest
        let warmUp: Bool
        let sink: ResponseSink
        let enqueuedAt: UInt64
    }

    /// Commands not yet taken; whether the thread still takes any; whether it is about to
    /// sleep (then a poster must wake it; otherwise the thread looks at the inbox again before
    /// it sleeps, and the wake-up write is saved).
    private struct Inbox {
        var commands: [Command] = []
        var accepting = true
        var sleeping = false
    }

    private let inbox: Mutex<Inbox>
    /// Nil when the selector could not be made; ``startupFailure`` says why.
    private let selector: EpollSelector?
    let logger: Logger
    /// The share handle for DNS cache and TLS sessions, used by every pool's transfers
    /// (nil only when the manager could not start).
    let share: UnsafeMutableRawPointer?
    /// Why the thread could not start (no epoll, no eventfd, no share handle); every request
    /// then fails at once with it instead of hanging or spinning.
    let startupFailure: PoolError?
    /// Stats recorders by pool, readable from any thread.
    let recorders = Mutex<[(key: PoolKey, recorder: PoolStatsRecorder)]>([])
    /// Told about each request's end (``PoolManager/setObserver(_:)``); read once per request.
    let observer = Mutex<(any PoolObserver)?>(nil)
    private let finished = Mutex(false)
    /// How many times a stream reader was resumed for body bytes: the chunk hand-offs, which
    /// a delivery interval batches (tests count them).
    let readerWakeUps = Atomic<Int>(0)
    /// Tests only: loop turns in which a socket was ready, and the commands-only waits that
    /// pacing made (`NetworkThread+Pacing.swift`).
    let socketTurns = Atomic<Int>(0)
    let pacingWaits = Atomic<Int>(0)
    private var threadHandle: pthread_t?

    // Network-thread state.
    /// The network thread, once it runs (checked in debug builds by everything it owns).
    private(set) var owner = ThreadOwner()
    var defaultLimits: PoolLimits
    var limitsByKey: [PoolKey: PoolLimits] = [:]
    /// Run-time concurrency limits of pools, set before or after the pool exists.
    var concurrencyByKey: [PoolKey: Double?] = [:]
    /// Auto sizing of pools, set before or after the pool exists.
    var autoSizingByKey: [PoolKey: AutoSizing] = [:]
    var pools: [PoolKey: CurlPool] = [:]
    private var watched: [Int32: CurlPool] = [:]
    var running = true
    /// The newest request id the thread has started; a cancel for a newer id arrived first.
    var highestStartedID: UInt64 = 0
    /// Requests cancelled before their start command was taken.
    var cancelledBeforeStart: Set<UInt64> = []
    var managerClosed = false
    /// The longest commands-only wait of pacing, in seconds (`NetworkThread+Pacing.swift`):
    /// about half a frame, whatever interval a stream asked for; tests lengthen it.
    var maximumPacingPause = 0.02
    /// Outcomes decided during this loop turn, told to their callers at its end (see
    /// ``deliverLater(_:)``).
    private var pendingDeliveries: [Delivery] = []
    /// Deliveries held back until a moment (a stream reader's delivery interval), in the
    /// order they were made; moved to ``pendingDeliveries`` once due.
    private var heldDeliveries: [(at: UInt64, delivery: Delivery)] = []
    /// The other half of ``pendingDeliveries``' double buffer (empty between flushes).
    private var flushingDeliveries: [Delivery] = []
    /// The other half of the inbox's double buffer (empty between drains).
    private var takenCommands: [Command] = []

    /// An outcome to tell a caller.
    enum Delivery {
        /// Wake a stream's reader for the bytes this turn brought.
        case bytes(Transfer)
        case complete(Transfer, TransferMetrics)
        case fail(Transfer, PoolError)
    }

    init(
        defaultLimits: PoolLimits, logger: Logger,
        makeSelector: () throws(PoolSetupError) -> EpollSelector = { () throws(PoolSetupError) in try EpollSelector() }
    ) {
        CurlGlobal.ensureInitialised()
        self.defaultLimits = defaultLimits
        self.logger = logger
        var failure: PoolSetupError?
        var selector: EpollSelector?
        do {
            selector = try makeSelector()
        } catch {
            failure = error
        }
        var share: UnsafeMutableRawPointer?
        if failure == nil {
            do {
                share = try Self.makeShare()
            } catch {
                failure = error
            }
        }
        self.selector = selector
        self.share = share
        startupFailure = failure.map { .unavailable($0.description) }
        inbox = Mutex(Inbox(accepting: failure == nil))
        if let failure {
            logger.error("the pool's network thread cannot start", metadata: ["error": "\(failure)"])
        }
    }

    /// The curl share handle for DNS and TLS sessions, with both options checked.
    private static func makeShare() throws(PoolSetupError) -> UnsafeMutableRawPointer {
        guard let share = curl_share_init() else { throw .allocation("curl_share_init") }
        for (data, name) in [(CURL_LOCK_DATA_DNS, "CURL_LOCK_DATA_DNS"), (CURL_LOCK_DATA_SSL_SESSION, "CURL_LOCK_DATA_SSL_SESSION")] {
            let code = tp_share_setopt_long(share, CURLSHOPT_SHARE, Int(data.rawValue))
            if code != CURLSHE_OK {
                curl_share_cleanup(share)
                throw .shareOption(name: "CURLSHOPT_SHARE \(name)", code: Int(code.rawValue),
                                   message: String(cString: curl_share_strerror(code)))
            }
        }
        return share
    }

    /// Starts the thread. Called once, right after init; does nothing if set-up failed.
    func launch() {
        guard startupFailure == nil else { return }
        let box = Unmanaged.passRetained(self).toOpaque()
        var handle = pthread_t()
        let created = pthread_create(&handle, nil, { context in
            let thread = Unmanaged<NetworkThread>.fromOpaque(context!).takeRetainedValue()
            thread.run()
            return nil
        }, box)
        precondition(created == 0, "cannot start the network thread (pthread_create: \(created))")
        threadHandle = handle
    }

    /// Hands `command` to the network thread and wakes it if it sleeps.
    func post(_ command: Command) {
        let (accepted, wake) = inbox.withLock { inbox -> (Bool, Bool) in
            guard inbox.accepting else { return (false, false) }
            inbox.commands.append(command)
            let wake = inbox.sleeping
            inbox.sleeping = false
            return (true, wake)
        }
        if !accepted {
            refuse(command)
        } else if wake {
            selector?.wakeUp()
        }
    }

    /// Answers a command that arrived after the thread stopped (or that it never started for),
    /// so no caller waits forever.
    private func refuse(_ command: Command) {
        switch command {
        case .start(let pending):
            pending.sink.fail(startupFailure ?? .poolClosed("all pools (the pool manager was shut down)"))
        case .close(_, let done), .closeAll(let done):
            done()
        case .onThread(let body):
            body(nil)
        case .cancel, .setLimits, .setConcurrencyLimit, .setAutoSizing, .serverLoad, .stop:
            break
        }
    }

    /// Stops the thread after closing every pool, and waits for it. Idempotent.
    func stopAndJoin() {
        let alreadyStopped = finished.withLock { done in
            defer { done = true }
            return done
        }
        guard !alreadyStopped, let threadHandle else { return }
        post(.stop)
        if pthread_equal(threadHandle, pthread_self()) == 0 {
            pthread_join(threadHandle, nil)
        }
    }

    deinit {
        if let share { curl_share_cleanup(share) }
    }

    // MARK: The loop

    private func run() {
        owner.claim()
        guard let selector else { return }
        while running {
            drainInbox()
            guard running else { break }
            let now = MonotonicClock.now()
            for pool in pools.values {
                pool.fireTimerIfDue(now: now)
                pool.expireDeadlines(now: now)
                pool.closeExpiredIdleConnections(now: now)
            }
            releaseHeldDeliveries(now: now)
            flushDeliveries()
            afterDeliveries()
            var timeout = millisecondsUntilNextWakeUp(from: MonotonicClock.now())
            let mustLookAgain = inbox.withLock { inbox -> Bool in
                if !inbox.commands.isEmpty { return true }
                inbox.sleeping = timeout != 0
                return false
            }
            if mustLookAgain { timeout = 0 }
            if let pause = pacingPause(timeout: timeout) {
                pacingWaits.add(1, ordering: .relaxed)
                selector.waitForWakeUp(timeoutMilliseconds: pause)
                timeout = millisecondsUntilNextWakeUp(from: MonotonicClock.now())
            }
            var socketsReady = false
            do {
                try selector.wait(timeoutMilliseconds: timeout) { fd, events in
                    guard let pool = watched[fd] else { return }
                    socketsReady = true
                    var action: Int32 = 0
                    if events.contains(.read) { action |= CURL_CSELECT_IN }
                    if events.contains(.write) { action |= CURL_CSELECT_OUT }
                    if events.contains(.error) { action |= CURL_CSELECT_ERR }
                    pool.socketAction(fd, events: action)
                }
            } catch {
                // A wait that fails at once would fail forever: stop, failing what is in
                // flight, rather than spin.
                logger.error("the pool's network thread stops", metadata: ["error": "\(error)"])
                let failure = PoolError.unavailable(error.description)
                for pool in pools.values { pool.failEverything(with: failure) }
                running = false
            }
            if socketsReady { socketTurns.add(1, ordering: .relaxed) }
            inbox.withLock { $0.sleeping = false }
            flushDeliveries()
            afterDeliveries()
        }
        for pool in pools.values { pool.close() }
        releaseHeldDeliveries(now: .max)
        flushDeliveries()
        pools.removeAll()
        let leftovers = inbox.withLock { inbox -> [Command] in
            inbox.accepting = false
            defer { inbox.commands.removeAll() }
            return inbox.commands
        }
        for command in leftovers { refuse(command) }
    }

    private func millisecondsUntilNextWakeUp(from now: UInt64) -> Int32 {
        var earliest: UInt64?
        for pool in pools.values {
            if let wake = pool.nextWakeUp() { earliest = min(earliest ?? wake, wake) }
        }
        for held in heldDeliveries { earliest = min(earliest ?? held.at, held.at) }
        guard let earliest else { return -1 }
        if earliest <= now { return 0 }
        let millis = (earliest - now) / 1_000_000 + 1
        return Int32(min(millis, 3_600_000))
    }

    /// Takes every posted command in one lock and carries them out in order. The inbox's
    /// array and ``takenCommands`` swap places, so neither side allocates once both have
    /// grown to the usual batch size.
    private func drainInbox() {
        var commands = takenCommands
        takenCommands = []
        inbox.withLock { swap(&$0.commands, &commands) }
        for command in commands { handle(command) }
        commands.removeAll(keepingCapacity: true)
        takenCommands = commands
    }

    // MARK: Deliveries

    /// Queues an outcome to tell its caller at the end of this loop turn: the turn's libcurl
    /// work (finishing, admitting the next queued requests) is done before any woken caller
    /// competes for the CPU, and every completion of a turn goes out in one batch.
    func deliverLater(_ delivery: Delivery) {
        pendingDeliveries.append(delivery)
    }

    /// Queues `delivery` for the end of the first loop turn at or after `at` (monotonic
    /// nanoseconds): the thread sleeps no longer than that.
    func deliverLater(_ delivery: Delivery, at: UInt64) {
        heldDeliveries.append((at, delivery))
    }

    /// Moves the held deliveries that are due to this turn's batch.
    private func releaseHeldDeliveries(now: UInt64) {
        guard !heldDeliveries.isEmpty else { return }
        var kept: [(at: UInt64, delivery: Delivery)] = []
        for held in heldDeliveries {
            if held.at <= now { pendingDeliveries.append(held.delivery) } else { kept.append(held) }
        }
        heldDeliveries = kept
    }

    /// Work that can wait until the turn's callers were told: resetting used easy handles.
    private func afterDeliveries() {
        for pool in pools.values { pool.resetRecycledHandles() }
    }

    /// Tells every queued outcome to its caller. The batch swaps places with
    /// ``flushingDeliveries`` (no copy, no allocation per turn); a delivery queued while
    /// telling goes to the next batch.
    func flushDeliveries() {
        guard !pendingDeliveries.isEmpty else { return }
        var batch = flushingDeliveries
        flushingDeliveries = []
        swap(&batch, &pendingDeliveries)
        defer {
            batch.removeAll(keepingCapacity: true)
            flushingDeliveries = batch
        }
        for delivery in batch {
            switch delivery {
            case .bytes(let transfer):
                if transfer.wakeReaderIfNeeded() { readerWakeUps.add(1, ordering: .relaxed) }
            case .complete(let transfer, let metrics): transfer.complete(metrics)
            case .fail(let transfer, let error): transfer.fail(error)
            }
        }
    }

    // MARK: Socket watching (called from libcurl's socket callback, on this thread)

    /// Starts, changes or stops watching `fd` as libcurl asks (`CURL_POLL_*`).
    func watch(_ fd: Int32, what: Int32, for pool: CurlPool) {
        owner.assertOwned("NetworkThread.watch")
        guard let selector else { return }
        if what == CURL_POLL_REMOVE {
            if watched.removeValue(forKey: fd) != nil { selector.apply(.remove, fd) }
            return
        }
        let interest: SelectorEvents
        switch what {
        case CURL_POLL_IN: interest = .read
        case CURL_POLL_OUT: interest = .write
        default: interest = [.read, .write]
        }
        selector.watch(fd, for: interest, known: watched[fd] != nil)
        watched[fd] = pool
    }

    /// Forgets a socket libcurl closed (the kernel drops it from epoll by itself).
    func forget(_ fd: Int32) {
        watched.removeValue(forKey: fd)
    }
}
