import Synchronization
import TidepoolPool
import TidepoolProviders

/// Polls the monitoring endpoints of the local model servers the panes talk to, so the panel
/// can show the server's own numbers beside the pool's ("queued here 2 · at server 5 · slots
/// 4/4 busy"), and posts each result as an ``AppMessage/serverReading(origin:_:)``.
///
/// Which servers: those a chat was sent to whose preset names monitoring endpoints (Ollama,
/// LM Studio, vLLM, llama.cpp, the simulator), or, for any other provider, a server on a
/// loopback or private address (the known endpoints are tried; those that answer with an error
/// are left alone for a minute). Hosted APIs are never polled.
///
/// When: at most once a second per server, and only while that server has a request in
/// flight or had one in the last minute. With nothing active no timer exists, so an idle
/// screen still uses no CPU. Requests go through the shared pool with purpose
/// ``TidepoolPool/RequestPurpose/monitor`` (they bypass its admission limit and are left out
/// of the panel's rates and percentiles); bodies are read up to a cap and parsed as hostile.
///
/// Thread-safe: its state sits behind a `Mutex`; the runtime calls it from any thread.
/// Tests drive it with ``poll(now:)`` and a clock of their own instead of the timer.
public final class ServerMonitor: Sendable {
    /// One watched server.
    struct Watch {
        var origin: Origin
        var options: ConnectionOptions
        var endpoints: [ServerMonitoringEndpoint]
        /// Chats in flight to it now.
        var inFlight = 0
        /// When its last chat started or ended (seconds on the monitor's clock).
        var lastActivity: Double
        /// When its last poll started.
        var lastPoll: Double?
        /// A poll is running now (a slow server never gets two at once).
        var polling = false
        /// Paths that answered with an error, and until when they are skipped.
        var skipped: [String: Double] = [:]
        /// The latest readings of paths that are polled once (`/props`: the slot count does
        /// not change while the server runs).
        var steady: [String: ServerSnapshot] = [:]
    }

    /// Seconds between two polls of one server, at least.
    public static let pollInterval: Double = 1
    /// How long after its last chat a server is still polled.
    public static let activeWindow: Double = 60
    /// How long a path that answered with an error is left alone.
    public static let retryAfter: Double = 60
    /// The largest body read from a monitoring endpoint (vLLM's `/metrics` is about 57 KB).
    public static let maximumBodyBytes = max(PrometheusText.maximumBodyBytes, ServerMonitoringEndpoint.maximumJSONBytes)
    /// Clocks of one poll: a server that takes longer is busy, and the next poll tries again.
    static let timeouts = RequestTimeouts(queue: 2, connect: 2, firstByte: 2, idle: 2, total: 3)

    private let transport: any Transport
    private let post: @Sendable (AppMessage) -> Void
    private let clock: @Sendable () -> Double
    private let runsTimer: Bool
    private let watches = Mutex<[Origin: Watch]>([:])
    private let timer = Mutex<Task<Void, Never>?>(nil)

    /// Creates a monitor.
    /// - Parameters:
    ///   - transport: the shared pool (tests: any transport).
    ///   - post: where readings go (the chat's inbox); called from the monitor's task.
    ///   - clock: seconds on a monotonic clock; tests pass their own.
    ///   - runsTimer: false in tests, which call ``poll(now:)`` themselves.
    public init(
        transport: any Transport, post: @escaping @Sendable (AppMessage) -> Void,
        clock: @escaping @Sendable () -> Double = ServerMonitor.monotonicSeconds, runsTimer: Bool = true
    ) {
        self.transport = transport
        self.post = post
        self.clock = clock
        self.runsTimer = runsTimer
    }

    deinit {
        timer.withLock { $0?.cancel() }
    }

    /// Seconds on the monotonic clock (since the first call).
    @Sendable public static func monotonicSeconds() -> Double {
        let elapsed = clockOrigin.duration(to: .now)
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    private static let clockOrigin = ContinuousClock.now

    // MARK: Activity (from the chat runtime)

    /// A chat to `provider` starts: its server is polled from now on (if it is one to watch).
    public func requestStarted(_ provider: Provider) {
        guard let endpoints = Self.endpoints(for: provider) else { return }
        let now = clock()
        watches.withLock { watches in
            var watch = watches[provider.origin]
                ?? Watch(origin: provider.origin, options: provider.connectionOptions, endpoints: endpoints,
                         lastActivity: now)
            watch.inFlight += 1
            watch.lastActivity = now
            watches[provider.origin] = watch
        }
        startTimerIfNeeded()
    }

    /// A chat to `provider` ended (finished, failed or cancelled).
    public func requestEnded(_ provider: Provider) {
        let now = clock()
        watches.withLock { watches in
            guard var watch = watches[provider.origin] else { return }
            watch.inFlight = max(0, watch.inFlight - 1)
            watch.lastActivity = now
            watches[provider.origin] = watch
        }
    }

    /// The servers that are active at `now` (a chat in flight, or one within the last minute).
    public func activeOrigins(now: Double) -> [Origin] {
        watches.withLock { watches in
            watches.values.filter { Self.isActive($0, now: now) }.map(\.origin)
        }
    }

    /// Whether the timer task exists now (false whenever nothing is active).
    public var isTicking: Bool { timer.withLock { $0 != nil } }

    // MARK: Polling

    /// Polls every active server whose last poll is at least ``pollInterval`` old, all at
    /// once, and posts one reading per server polled. Returns the origins polled.
    @discardableResult
    public func poll(now: Double) async -> [Origin] {
        let due = watches.withLock { watches -> [Watch] in
            var due: [Watch] = []
            for (origin, watch) in watches where Self.isActive(watch, now: now) && !watch.polling {
                // A little slack: a timer waking a hair early must not skip a whole second.
                if let last = watch.lastPoll, now - last < Self.pollInterval * 0.9 { continue }
                watches[origin]?.polling = true
                watches[origin]?.lastPoll = now
                due.append(watch)
            }
            return due
        }
        await withTaskGroup(of: Void.self) { group in
            for watch in due {
                group.addTask { await self.poll(watch, now: now) }
            }
        }
        return due.map(\.origin)
    }

    /// Reads every endpoint of one server (each path once, however many parsers read it) and
    /// posts the merged reading.
    private func poll(_ watch: Watch, now: Double) async {
        var snapshot = ServerSnapshot()
        var problems: [String] = []
        var skip: [String: Double] = [:]
        var steady: [String: ServerSnapshot] = [:]
        var answered = false
        for path in Self.paths(of: watch.endpoints) {
            if let until = watch.skipped[path], now < until { continue }
            if let kept = watch.steady[path] {
                snapshot = snapshot.merging(kept)
                answered = true
                continue
            }
            let parsers = watch.endpoints.filter { $0.path == path }
            switch await fetch(path, from: watch) {
            case .failed(let problem):
                problems.append(problem)
                skip[path] = now + Self.retryAfter
            case .body(let body):
                answered = true
                var fromPath = ServerSnapshot()
                var parsed = false
                for endpoint in parsers {
                    do {
                        fromPath = fromPath.merging(try endpoint.parse(body))
                        parsed = true
                    } catch {
                        problems.append("\(error)")
                    }
                }
                if !parsed { skip[path] = now + Self.retryAfter }
                if parsed && parsers.allSatisfy(\.isSteady) { steady[path] = fromPath }
                snapshot = snapshot.merging(fromPath)
            }
        }
        watches.withLock { watches in
            guard var current = watches[watch.origin] else { return }
            current.polling = false
            current.skipped.merge(skip) { $1 }
            current.steady.merge(steady) { $1 }
            watches[watch.origin] = current
        }
        let reading = ServerReading(
            snapshot: snapshot, problem: answered || problems.isEmpty ? nil : problems.first, takenAt: now)
        post(.serverReading(origin: watch.origin, reading))
    }

    /// What one GET brought.
    private enum Fetched {
        case body([UInt8])
        case failed(String)
    }

    /// One GET through the pool, body read up to ``maximumBodyBytes``.
    private func fetch(_ path: String, from watch: Watch) async -> Fetched {
        let url = watch.origin.description + path
        // A connection of its own, closed afterwards: a poll never takes an idle connection a
        // chat was about to reuse, nor leaves one behind (on loopback a connect costs well
        // under a millisecond). With every connection busy it still goes: the pool leaves one
        // connection of headroom to monitoring requests.
        let request = HTTPRequest(
            url: url, timeouts: Self.timeouts, connectionOptions: watch.options, freshConnection: true,
            purpose: .monitor)
        var body: [UInt8] = []
        do {
            for try await event in transport.stream(request) {
                switch event {
                case .head(let head):
                    guard (200..<300).contains(head.status) else {
                        return .failed("GET \(path) answered \(head.status)")
                    }
                case .body(let bytes):
                    body += bytes
                    // Stop reading at once: dropping the stream cancels the transfer.
                    if body.count > Self.maximumBodyBytes {
                        return .failed(ServerMonitorError.bodyTooLarge(
                            endpoint: path, bytes: body.count, limit: Self.maximumBodyBytes).description)
                    }
                case .end:
                    break
                }
            }
            return .body(body)
        } catch {
            return .failed("GET \(path): \(error)")
        }
    }

    // MARK: Timer

    /// Starts the one timer task unless it runs: it polls once a second and ends itself when
    /// no server is active any more.
    private func startTimerIfNeeded() {
        guard runsTimer else { return }
        timer.withLock { timer in
            guard timer == nil else { return }
            timer = Task { [weak self] in
                while !Task.isCancelled {
                    guard let self else { return }
                    let now = self.clock()
                    // Decided under the timer's lock: a chat that starts meanwhile either is
                    // seen here or finds no timer and starts a new one.
                    let keepGoing = self.timer.withLock { timer -> Bool in
                        let active = self.watches.withLock { $0.values.contains { Self.isActive($0, now: now) } }
                        if !active { timer = nil }
                        return active
                    }
                    guard keepGoing else { return }
                    await self.poll(now: now)
                    try? await Task.sleep(for: .seconds(Self.pollInterval))
                }
            }
        }
    }

    // MARK: Rules

    static func isActive(_ watch: Watch, now: Double) -> Bool {
        watch.inFlight > 0 || now - watch.lastActivity < activeWindow
    }

    /// The endpoints to poll for `provider`'s server, or nil when it is not watched.
    public static func endpoints(for provider: Provider) -> [ServerMonitoringEndpoint]? {
        if !provider.preset.monitoringEndpoints.isEmpty { return provider.preset.monitoringEndpoints }
        guard isLocal(provider.origin) else { return nil }
        return [.llamacppSlots, .llamacppProps, .vllmMetrics, .llamacppMetrics, .ollamaProcesses]
    }

    /// Paths of `endpoints` in order, each once.
    static func paths(of endpoints: [ServerMonitoringEndpoint]) -> [String] {
        var seen = Set<String>()
        return endpoints.map(\.path).filter { seen.insert($0).inserted }
    }

    /// Whether `origin` is this machine or a private network (RFC 1918, IPv6 unique local
    /// and link-local): the servers one runs oneself.
    public static func isLocal(_ origin: Origin) -> Bool {
        let host = origin.host.lowercased()
        if host == "localhost" || host.hasSuffix(".localhost") || host.hasSuffix(".local") || host == "::1" {
            return true
        }
        if host.contains(":") {
            return host.hasPrefix("fc") || host.hasPrefix("fd") || host.hasPrefix("fe80:")
        }
        let parts = host.split(separator: ".").compactMap { Int($0) }
        guard parts.count == 4, parts.allSatisfy({ (0...255).contains($0) }) else { return false }
        switch (parts[0], parts[1]) {
        case (127, _), (10, _), (192, 168), (169, 254): return true
        case (172, 16...31): return true
        default: return false
        }
    }
}

extension ServerMonitoringEndpoint {
    /// Whether what it tells does not change while the server runs (polled once).
    var isSteady: Bool { self == .llamacppProps }
}

/// One poll of a server's monitoring endpoints, for the panel.
public struct ServerReading: Sendable, Equatable {
    /// What the server told, merged over its endpoints; empty when it told nothing.
    public var snapshot: ServerSnapshot
    /// Why nothing could be read (the first endpoint's error), when no endpoint answered.
    public var problem: String?
    /// When it was taken, seconds on the monitor's clock.
    public var takenAt: Double

    /// Creates a reading.
    public init(snapshot: ServerSnapshot, problem: String? = nil, takenAt: Double = 0) {
        self.snapshot = snapshot
        self.problem = problem
        self.takenAt = takenAt
    }
}
