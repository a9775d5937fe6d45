import CCurlShim
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The one thread that owns every curl handle of a ``PoolManager``.
///
/// It sleeps in `epoll_wait` on the sockets libcurl asks it to watch, an `eventfd` other
/// threads write to after posting a command, and the earliest deadline (libcurl's timers,
/// request clocks, idle expiry). With nothing in flight there is no deadline and it sleeps
/// until woken: an idle pool costs no CPU. Other threads only ever call ``post(_:)``.
final class NetworkThread: @unchecked Sendable {
    /// What other threads ask of the network thread.
    enum Command: Sendable {
        case start(PendingRequest)
        case cancel(UInt64)
        case setLimits(PoolKey?, PoolLimits)
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

    /// Commands not yet taken, and whether the thread still takes any.
    private let inbox = Mutex<(commands: [Command], accepting: Bool)>(([], true))
    private let epollFD: Int32
    private let wakeFD: Int32
    private let logger: Logger
    /// The share handle for DNS cache and TLS sessions, used by every pool's transfers.
    let share: UnsafeMutableRawPointer
    /// Stats recorders by pool, readable from any thread.
    let recorders = Mutex<[(key: PoolKey, recorder: PoolStatsRecorder)]>([])
    private let finished = Mutex(false)
    private var threadHandle: pthread_t?

    // Network-thread state.
    private var defaultLimits: PoolLimits
    private var limitsByKey: [PoolKey: PoolLimits] = [:]
    private var pools: [PoolKey: CurlPool] = [:]
    private var watched: [Int32: CurlPool] = [:]
    private var running = true
    /// The newest request id the thread has started; a cancel for a newer id arrived first.
    private var highestStartedID: UInt64 = 0
    /// Requests cancelled before their start command was taken.
    private var cancelledBeforeStart: Set<UInt64> = []

    private var managerClosed = false

    init(defaultLimits: PoolLimits, logger: Logger) {
        CurlGlobal.ensureInitialised()
        self.defaultLimits = defaultLimits
        self.logger = logger
        epollFD = tp_epoll_create()
        wakeFD = tp_eventfd_create()
        share = curl_share_init()
        _ = tp_share_setopt_long(share, CURLSHOPT_SHARE, Int(CURL_LOCK_DATA_DNS.rawValue))
        _ = tp_share_setopt_long(share, CURLSHOPT_SHARE, Int(CURL_LOCK_DATA_SSL_SESSION.rawValue))
        _ = tp_epoll_control(epollFD, 0, wakeFD, Int32(TP_EVENT_IN))
    }

    /// Starts the thread. Called once, right after init.
    func launch() {
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

    /// Hands `command` to the network thread and wakes it.
    func post(_ command: Command) {
        let accepted = inbox.withLock { inbox -> Bool in
            if inbox.accepting { inbox.commands.append(command) }
            return inbox.accepting
        }
        if accepted {
            var one: UInt64 = 1
            _ = write(wakeFD, &one, 8)
        } else {
            Self.refuse(command)
        }
    }

    /// Answers a command that arrived after the thread stopped, so no caller waits forever.
    private static func refuse(_ command: Command) {
        switch command {
        case .start(let pending):
            pending.sink.fail(.poolClosed("all pools (the pool manager was shut down)"))
        case .close(_, let done), .closeAll(let done):
            done()
        case .cancel, .setLimits, .stop:
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
        curl_share_cleanup(share)
        close(epollFD)
        close(wakeFD)
    }

    // MARK: The loop

    private func run() {
        var readyFDs = [Int32](repeating: 0, count: 64)
        var readyEvents = [Int32](repeating: 0, count: 64)
        while running {
            drainInbox()
            guard running else { break }
            let now = MonotonicClock.now()
            for pool in pools.values {
                pool.fireTimerIfDue(now: now)
                pool.expireDeadlines(now: now)
                pool.closeExpiredIdleConnections(now: now)
            }
            let timeout = millisecondsUntilNextWakeUp(from: MonotonicClock.now())
            let count = tp_epoll_wait(epollFD, &readyFDs, &readyEvents, 64, timeout)
            guard count > 0 else { continue }
            for index in 0..<Int(count) {
                let fd = readyFDs[index]
                if fd == wakeFD {
                    var value: UInt64 = 0
                    _ = read(wakeFD, &value, 8)
                    continue
                }
                guard let pool = watched[fd] else { continue }
                let flags = readyEvents[index]
                var action: Int32 = 0
                if flags & Int32(TP_EVENT_IN) != 0 { action |= CURL_CSELECT_IN }
                if flags & Int32(TP_EVENT_OUT) != 0 { action |= CURL_CSELECT_OUT }
                if flags & Int32(TP_EVENT_ERROR) != 0 { action |= CURL_CSELECT_ERR }
                pool.socketAction(fd, events: action)
            }
        }
        for pool in pools.values { pool.close() }
        pools.removeAll()
        let leftovers = inbox.withLock { inbox -> [Command] in
            inbox.accepting = false
            defer { inbox.commands.removeAll() }
            return inbox.commands
        }
        for command in leftovers { Self.refuse(command) }
    }

    private func millisecondsUntilNextWakeUp(from now: UInt64) -> Int32 {
        var earliest: UInt64?
        for pool in pools.values {
            if let wake = pool.nextWakeUp() { earliest = min(earliest ?? wake, wake) }
        }
        guard let earliest else { return -1 }
        if earliest <= now { return 0 }
        let millis = (earliest - now + 999_999) / 1_000_000
        return Int32(min(millis, 3_600_000))
    }

    private func drainInbox() {
        let commands = inbox.withLock { inbox -> [Command] in
            defer { inbox.commands.removeAll(keepingCapacity: true) }
            return inbox.commands
        }
        for command in commands { handle(command) }
    }

    private func handle(_ command: Command) {
        switch command {
        case .start(let pending):
            start(pending)
        case .cancel(let id):
            if id > highestStartedID {
                cancelledBeforeStart.insert(id)
            } else {
                for pool in pools.values { pool.abort(id, with: .cancelled) }
            }
        case .setLimits(let key, let limits):
            if let key {
                limitsByKey[key] = limits
                pools[key]?.apply(limits)
            } else {
                defaultLimits = limits
                for (key, pool) in pools where limitsByKey[key] == nil { pool.apply(limits) }
            }
        case .close(let key, let done):
            if let pool = pools[key] {
                pool.close()
                logger.debug("closed pool", metadata: ["pool": "\(key)"])
            } else {
                // Closing a pool that was never used still means later requests must fail.
                let pool = makePool(for: key)
                pool.close()
            }
            done()
        case .closeAll(let done):
            managerClosed = true
            for pool in pools.values { pool.close() }
            logger.debug("closed all pools", metadata: ["pools": "\(pools.count)"])
            done()
        case .stop:
            managerClosed = true
            running = false
        }
    }

    private func start(_ pending: PendingRequest) {
        highestStartedID = max(highestStartedID, pending.id)
        if cancelledBeforeStart.remove(pending.id) != nil {
            pending.sink.fail(.cancelled)
            return
        }
        let transfer = Transfer(
            id: pending.id, request: pending.request, origin: pending.key.origin,
            purpose: pending.warmUp ? .warmUp : .request, sink: pending.sink,
            enqueuedAt: pending.enqueuedAt)
        if managerClosed {
            pending.sink.fail(.poolClosed("all pools (the pool manager was closed)"))
            return
        }
        let pool = pools[pending.key] ?? makePool(for: pending.key)
        if pool.isClosed {
            pool.recorder.update {
                $0.requestsStarted += 1
                $0.requestsFailed += 1
                $0.errors[PoolError.poolClosed("").kind, default: 0] += 1
            }
            pending.sink.fail(.poolClosed(pending.key.description))
            return
        }
        pool.enqueue(transfer)
    }

    private func makePool(for key: PoolKey) -> CurlPool {
        let limits = limitsByKey[key] ?? defaultLimits
        let recorder = PoolStatsRecorder(name: key.description, origin: key.origin, limits: limits)
        let pool = CurlPool(key: key, number: pools.count, limits: limits, recorder: recorder, thread: self)
        pools[key] = pool
        recorders.withLock { $0.append((key, recorder)) }
        logger.debug("opened pool", metadata: [
            "pool": "\(key)", "max_connections": "\(limits.maxConnections)",
            "max_idle": "\(limits.maxIdleConnections)",
        ])
        return pool
    }

    // MARK: Socket watching (called from libcurl's socket callback, on this thread)

    /// Starts, changes or stops watching `fd` as libcurl asks (`CURL_POLL_*`).
    func watch(_ fd: Int32, what: Int32, for pool: CurlPool) {
        if what == CURL_POLL_REMOVE {
            if watched.removeValue(forKey: fd) != nil {
                _ = tp_epoll_control(epollFD, 2, fd, 0)
            }
            return
        }
        let interest: Int32
        switch what {
        case CURL_POLL_IN: interest = Int32(TP_EVENT_IN)
        case CURL_POLL_OUT: interest = Int32(TP_EVENT_OUT)
        default: interest = Int32(TP_EVENT_IN | TP_EVENT_OUT)
        }
        if watched[fd] == nil {
            if tp_epoll_control(epollFD, 0, fd, interest) != 0 && tp_errno() == EEXIST {
                _ = tp_epoll_control(epollFD, 1, fd, interest)
            }
        } else {
            _ = tp_epoll_control(epollFD, 1, fd, interest)
        }
        watched[fd] = pool
    }

    /// Forgets a socket libcurl closed (the kernel drops it from epoll by itself).
    func forget(_ fd: Int32) {
        watched.removeValue(forKey: fd)
    }
}
