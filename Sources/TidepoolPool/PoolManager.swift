import CCurlShim
import Histogram
import Logging
import Synchronization

/// The process-wide HTTP connection pool manager: every request of every provider goes
/// through one, so identical hosts share warm connections.
///
/// Requests are grouped into pools by ``PoolKey`` (origin plus what changes the connection
/// itself). One network thread drives all pools; callers on any thread or task use the async
/// API. `PoolManager` is safe to share between threads: its only mutable state lives on the
/// network thread (reached through a command queue) or behind a `Mutex`.
public final class PoolManager: Sendable {
    /// The manager the application shares between all of its providers.
    public static let shared = PoolManager()

    private let thread: NetworkThread
    private let nextID = Atomic<UInt64>(1)
    private let logger: Logger

    /// Creates an independent manager with its own network thread and pools (tests and
    /// benchmarks use this to stay isolated; an app uses ``shared``).
    public init(defaultLimits: PoolLimits = .default, logger: Logger = Logger(label: "tidepool.pool")) {
        self.logger = logger
        thread = NetworkThread(defaultLimits: defaultLimits, logger: logger)
        thread.launch()
    }

    /// A manager whose network thread gets its selector from `makeSelector` (tests use this to
    /// make the set-up fail).
    init(
        defaultLimits: PoolLimits = .default, logger: Logger = Logger(label: "tidepool.pool"),
        makeSelector: () throws(PoolSetupError) -> EpollSelector
    ) {
        self.logger = logger
        thread = NetworkThread(defaultLimits: defaultLimits, logger: logger, makeSelector: makeSelector)
        thread.launch()
    }

    deinit {
        thread.stopAndJoin()
    }

    /// The libcurl version in use.
    public static var curlVersion: String { CurlGlobal.version }

    // MARK: Configuration

    /// Sets the limits of the pool for `origin` (created or not yet); later requests see them.
    public func setLimits(_ limits: PoolLimits, for origin: Origin, options: ConnectionOptions = .standard) {
        thread.post(.setLimits(PoolKey(origin: origin, options: options), limits))
    }

    /// Sets the concurrency limit of the pool for `origin` (created or not yet): at most
    /// `max(1, floor(limit))` requests (HTTP/2: streams) are admitted at once, within the
    /// connection limits; nil removes it. A real number, so that small multiplicative
    /// decreases add up (auto sizing). Monitoring requests (``RequestPurpose/monitor``)
    /// bypass it. Takes effect at once: queued requests go if it rose.
    public func setConcurrencyLimit(_ limit: Double?, for origin: Origin, options: ConnectionOptions = .standard) {
        thread.post(.setConcurrencyLimit(PoolKey(origin: origin, options: options), limit))
    }

    /// Lets the pool for `origin` (created or not yet) size its own concurrency limit, or with
    /// nil pins it again (to the limit set with ``setConcurrencyLimit(_:for:options:)``, if
    /// any). The limit moves by additive increase and multiplicative decrease
    /// (``AutoSizing``): down on a 429 or 503 or when the server reports requests waiting, up
    /// by one after a full round of requests at the limit with a steady time to first token.
    /// Only chat requests feed it. ``PoolStats`` shows the limit, its last move and counts.
    public func setAutoSizing(_ settings: AutoSizing?, for origin: Origin, options: ConnectionOptions = .standard) {
        thread.post(.setAutoSizing(PoolKey(origin: origin, options: options), settings))
    }

    /// Tells an auto-sized pool what the server's own monitoring said: `waiting` requests in
    /// its queue (above zero lowers the limit) and `slots` answers it generates at once (the
    /// limit never goes above). Nil: not reported. Ignored for pools that are not auto-sized.
    public func reportServerLoad(origin: Origin, options: ConnectionOptions = .standard, waiting: Int?, slots: Int?) {
        thread.post(.serverLoad(PoolKey(origin: origin, options: options), waiting: waiting, slots: slots))
    }

    /// Sets the limits for every pool without limits of its own.
    public func setDefaultLimits(_ limits: PoolLimits) {
        thread.post(.setLimits(nil, limits))
    }

    // MARK: Requests

    /// Sends `request` and streams the response: one `.head`, body chunks as they arrive, then
    /// one `.end` with the transfer's timings. Errors are thrown as ``PoolError``.
    ///
    /// Cancelling the consuming task (or dropping the stream) cancels the transfer at once; on
    /// HTTP/1.1 its connection is closed rather than returned to the pool half-read.
    public func stream(_ request: HTTPRequest) -> AsyncThrowingStream<ResponseEvent, any Error> {
        makeStream(request, warmUp: false)
    }

    /// Sends `request` and returns the whole response. The calling task is woken at most
    /// once, when the response is complete; cancelling it cancels the transfer.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard let origin = Origin(url: request.url) else { throw PoolError.invalidURL(request.url) }
        let id = nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        let slot = ResponseSlot()
        let thread = self.thread
        thread.post(.start(NetworkThread.PendingRequest(
            id: id, key: PoolKey(origin: origin, options: request.connectionOptions), request: request,
            warmUp: false, sink: .whole(slot), enqueuedAt: MonotonicClock.now())))
        return try await withTaskCancellationHandler {
            if let result = slot.poll() { return try result.get() }
            return try await slot.wait()
        } onCancel: {
            thread.post(.cancel(id))
        }
    }

    /// Opens connections to `origin` ahead of the first real request, so that request finds a
    /// warm connection (TLS included). Sends `connections` concurrent `HEAD path` requests,
    /// each on a new connection; any HTTP answer counts. On HTTP/2 one connection carries
    /// everything, so one is opened. Returns the pool's open connections afterwards.
    @discardableResult
    public func warm(
        _ origin: Origin, connections: Int = 1, options: ConnectionOptions = .standard, path: String = "/",
        timeouts: RequestTimeouts = RequestTimeouts(queue: 10, connect: 5, firstByte: 10, idle: 10)
    ) async throws -> Int {
        let count = max(1, connections)
        let url = origin.description + (path.hasPrefix("/") ? path : "/" + path)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<count {
                group.addTask {
                    let request = HTTPRequest(method: "HEAD", url: url, timeouts: timeouts, connectionOptions: options)
                    for try await _ in self.makeStream(request, warmUp: true) {}
                }
            }
            try await group.waitForAll()
        }
        return stats().pools.first { $0.origin == origin && !$0.isClosed }?.open ?? 0
    }

    // MARK: Closing

    /// Closes the pool for `origin`: requests in flight end with ``PoolError/poolClosed(_:)``,
    /// its connections close, and later requests to it fail with the same error. Idempotent.
    public func close(_ origin: Origin, options: ConnectionOptions = .standard) async {
        let key = PoolKey(origin: origin, options: options)
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            thread.post(.close(key, { done.resume() }))
        }
    }

    /// Closes every pool and refuses later requests. Idempotent.
    public func closeAll() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            thread.post(.closeAll({ done.resume() }))
        }
    }

    /// Tests only: makes the next `curl_multi_socket_action` of every pool that has a multi
    /// handle fail as libcurl's out of memory would; returns how many pools took it.
    func failNextSocketAction() async -> Int {
        await withCheckedContinuation { (done: CheckedContinuation<Int, Never>) in
            thread.post(.onThread { thread in
                let taken = thread?.pools.values.filter { $0.failNextSocketAction(with: CURLM_OUT_OF_MEMORY) }
                done.resume(returning: taken?.count ?? 0)
            })
        }
    }

    /// Tests only: runs `body` on the network thread, in order among the other commands
    /// posted (false when the thread no longer takes commands).
    func runOnNetworkThread(_ body: @escaping @Sendable (_ onThread: Bool) -> Void) {
        thread.post(.onThread { body($0 != nil) })
    }

    /// Tests only: how many times a stream reader was resumed for body bytes so far (each is
    /// one hand-off from the network thread to the reader).
    var readerWakeUps: Int { thread.readerWakeUps.load(ordering: .relaxed) }

    /// Tests only: loop turns in which the network thread found a socket ready.
    var socketTurns: Int { thread.socketTurns.load(ordering: .relaxed) }

    /// Tests only: the commands-only waits pacing made (`NetworkThread+Pacing.swift`).
    var pacingWaits: Int { thread.pacingWaits.load(ordering: .relaxed) }

    /// Tests only: sets the longest pacing wait, in seconds.
    func setMaximumPacingPause(_ seconds: Double) async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            thread.post(.onThread { thread in
                thread?.maximumPacingPause = seconds
                done.resume()
            })
        }
    }

    /// Tests only: per stream in flight, the body bytes received so far and whether its reader
    /// is suspended waiting for more. Answered at the start of a network-loop turn, after the
    /// previous turn's deliveries, so any wake-up decided for bytes already received was made:
    /// a test can wait for a quiet state instead of sleeping and hoping.
    func streamsInFlight() async -> [(bytesIn: Int, readerWaiting: Bool)] {
        await withCheckedContinuation { (done: CheckedContinuation<[(bytesIn: Int, readerWaiting: Bool)], Never>) in
            thread.post(.onThread { thread in
                let transfers = thread?.pools.values.flatMap { $0.active.values } ?? []
                done.resume(returning: transfers.sorted { $0.id < $1.id }.compactMap { transfer in
                    guard case .stream(let slot) = transfer.sink else { return nil }
                    return (transfer.bytesIn, slot.hasWaitingReader)
                })
            })
        }
    }

    /// Closes every pool and stops the network thread, waiting for it. For process exit;
    /// the manager refuses requests afterwards. Idempotent.
    public func shutdown() {
        thread.stopAndJoin()
    }

    // MARK: Stats

    /// A snapshot of every pool and their total. Cheap enough for ten calls a second.
    public func stats() -> PoolManagerStats {
        let recorders = thread.recorders.withLock { $0 }
        let pools = recorders.map { $0.recorder.snapshot() }
        var total = PoolStats(name: "total", origin: nil, limits: .default)
        var histograms: [LatencyMeasure: Histogram<UInt32>] = [:]
        var tokensPerSecond: Histogram<UInt32>?
        var window = RecentWindow()
        var created = Double.infinity
        for (entry, pool) in zip(recorders, pools) {
            total.add(pool)
            entry.recorder.mergeHistograms(
                into: &histograms, tokensPerSecond: &tokensPerSecond, window: &window, created: &created)
        }
        if !recorders.isEmpty {
            let now = PoolStatsRecorder.now()
            total.recent = window.summary(now: now, age: now - created)
        }
        for (measure, histogram) in histograms {
            total.latency[measure] = PoolStatsRecorder.summary(histogram, scale: 1e-6)
        }
        if let tokensPerSecond { total.tokensPerSecond = PoolStatsRecorder.summary(tokensPerSecond, scale: 0.01) }
        return PoolManagerStats(pools: pools, total: total)
    }

    /// Records what only the chat layer can measure about a finished stream through the pool
    /// for `origin`: time to first token, generation speed and (for the window's tokens per
    /// second) the tokens generated. Unknown pools are ignored.
    public func recordChatTimings(
        origin: Origin, options: ConnectionOptions = .standard, timeToFirstToken: Double?, tokensPerSecond: Double?,
        outputTokens: Int? = nil
    ) {
        let key = PoolKey(origin: origin, options: options)
        guard let recorder = thread.recorders.withLock({ list in list.first { $0.key == key }?.recorder }) else {
            return
        }
        if let timeToFirstToken, timeToFirstToken.isFinite, timeToFirstToken >= 0 {
            recorder.record(.timeToFirstToken, seconds: timeToFirstToken)
        }
        if let tokensPerSecond { recorder.recordTokensPerSecond(tokensPerSecond) }
        if let outputTokens { recorder.recordOutputTokens(outputTokens) }
    }

    /// Sets (or with nil removes) the observer told about every request's end, e.g. a
    /// metrics exporter's histograms. One observer per manager; setting replaces it.
    public func setObserver(_ observer: (any PoolObserver)?) {
        thread.observer.withLock { $0 = observer }
    }

    /// Passes one ended chat (completed, failed or cancelled) to the observer, if any (the
    /// provider layer calls this).
    public func recordChatOperation(_ record: ChatOperationRecord) {
        thread.observer.withLock { $0 }?.chatOperationEnded(record)
    }

    // MARK: Private

    private func makeStream(_ request: HTTPRequest, warmUp: Bool) -> AsyncThrowingStream<ResponseEvent, any Error> {
        guard let origin = Origin(url: request.url) else {
            let (stream, continuation) = AsyncThrowingStream<ResponseEvent, any Error>.makeStream()
            continuation.finish(throwing: PoolError.invalidURL(request.url))
            return stream
        }
        let id = nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        let thread = self.thread
        let slot = StreamSlot(cancelTransfer: { thread.post(.cancel(id)) })
        thread.post(.start(NetworkThread.PendingRequest(
            id: id, key: PoolKey(origin: origin, options: request.connectionOptions), request: request,
            warmUp: warmUp, sink: .stream(slot), enqueuedAt: MonotonicClock.now())))
        // The reader lives as long as the caller keeps the stream; dropping the stream before
        // its end (or cancelling the reading task) cancels the transfer.
        let reader = StreamReader(slot)
        return AsyncThrowingStream(unfolding: { try await reader.next() })
    }
}
