import Synchronization
import TidepoolPool
import TidepoolProviders

/// Carries out ``AppEffect``s that need the network: it streams each chat through its
/// provider (and so through the shared pool) and reports everything back as ``AppMessage``s
/// through `post`, which the screen's owner turns into calls of ``ChatApp/update(_:_:)``.
public final class ChatRuntime: Sendable {
    private let directory: ProviderDirectory
    private let pool: PoolManager
    private let post: @Sendable (AppMessage) -> Void
    private let running = Mutex<[Int: Task<Void, Never>]>([:])
    /// Told when each chat starts and ends, so it polls only the servers in use.
    private let monitor: ServerMonitor?

    /// Creates a runtime; `post` may be called from any thread. With a `monitor`, the servers
    /// chats go to are polled while they are in use.
    public init(
        directory: ProviderDirectory, pool: PoolManager, monitor: ServerMonitor? = nil,
        post: @escaping @Sendable (AppMessage) -> Void
    ) {
        self.directory = directory
        self.pool = pool
        self.monitor = monitor
        self.post = post
    }

    /// Starts or cancels what `effect` asks for; other effects belong to the screen.
    public func perform(_ effect: AppEffect) {
        switch effect {
        case .startChat(let pane, let requestID, let providerName, let request):
            start(pane: pane, requestID: requestID, providerName: providerName, request: request)
        case .cancelChat(let requestID):
            running.withLock { $0.removeValue(forKey: requestID) }?.cancel()
        default:
            break
        }
    }

    /// Cancels every request in flight.
    public func cancelAll() {
        let tasks = running.withLock { tasks -> [Task<Void, Never>] in
            defer { tasks.removeAll() }
            return Array(tasks.values)
        }
        for task in tasks { task.cancel() }
    }

    /// How many requests are in flight.
    public var inFlight: Int { running.withLock { $0.count } }

    private func start(pane: Int, requestID: Int, providerName: String, request: ChatRequest) {
        var found: Provider
        do {
            found = try directory.provider(named: providerName)
        } catch {
            post(.chatFailed(pane: pane, request: requestID, message: error.description))
            return
        }
        let post = self.post
        let pool = self.pool
        let monitor = self.monitor
        // The pool tells when this request waits in its queue and when it leaves it.
        found.queueObserver = { waiting in
            post(.chatProgress(pane: pane, request: requestID, waiting ? .queued : .connecting))
        }
        let provider = found
        monitor?.requestStarted(provider)
        // Created under the lock, so the task's own removal (which takes the lock) always
        // comes after its insertion, however fast it fails.
        running.withLock { running in running[requestID] = Task { [weak self] in
            defer {
                self?.running.withLock { _ = $0.removeValue(forKey: requestID) }
                monitor?.requestEnded(provider)
            }
            do {
                for try await event in provider.stream(request) {
                    if case .timings(let timings) = event {
                        pool.recordChatTimings(
                            origin: provider.origin, options: provider.connectionOptions,
                            timeToFirstToken: timings.timeToFirstToken, tokensPerSecond: timings.tokensPerSecond,
                            outputTokens: timings.outputTokens)
                    }
                    post(.chatEvent(pane: pane, request: requestID, event))
                }
                if !Task.isCancelled { post(.chatEnded(pane: pane, request: requestID)) }
            } catch {
                if Task.isCancelled { return }
                post(.chatFailed(pane: pane, request: requestID, message: String(describing: error)))
            }
        } }
    }
}
