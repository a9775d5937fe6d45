import Hummingbird
import Logging
import Synchronization

/// Starts a Hummingbird application and waits until it listens, then stops it: the one
/// lifecycle the simulator (`SimServer`) and the metrics endpoint (`MetricsServer`) share.
///
/// A server starts once: ``start(host:port:application:)`` returns the bound port (port 0
/// picks a free one) once connections are accepted, or throws what the bind threw, so each
/// owner maps it to its own typed error (a port in use, a host that is not this machine's).
/// ``stop(beforeWaiting:)`` ends the application and returns when the port is free; a stop
/// during the start is honoured. Thread-safe (one mutex); any task may call it.
public final class ListeningServer: Sendable {
    /// Why ``start(host:port:application:)`` did not end up listening.
    public enum StartFailure: Error {
        /// It was started before (or stopped while binding): make a new one.
        case notStartable
        /// The application ended before it listened, with the error it threw (NIO's bind
        /// error, for example); nil when it ended without one.
        case ended((any Error)?)
    }

    private enum State {
        case idle
        case starting
        case running(host: String, port: Int, task: Task<Void, Never>)
        case stopped
    }

    private enum StartEvent: Sendable {
        case listening(Int)
        case ended((any Error)?)
    }

    private let state = Mutex(State.idle)

    /// A server that has not started.
    public init() {}

    /// A logger that stays silent below `.critical`: an owner's default for Hummingbird's own
    /// logs when its caller passes none (they would otherwise land on a chat screen or in a
    /// test's output).
    public static func quietLogger(label: String) -> Logger {
        var quiet = Logger(label: label)
        quiet.logLevel = .critical
        return quiet
    }

    /// Runs the application `application` makes and returns the bound port once it listens.
    /// `application` is given the callback to pass as Hummingbird's `onServerRunning`'s
    /// report of the port (`channel.localAddress?.port`).
    public func start<App: ApplicationProtocol>(
        host: String, port: Int, application: (_ onListening: @escaping @Sendable (Int) -> Void) -> App
    ) async throws(StartFailure) -> Int {
        let canStart = state.withLock { state -> Bool in
            guard case .idle = state else { return false }
            state = .starting
            return true
        }
        guard canStart else { throw .notStartable }
        let (events, continuation) = AsyncStream.makeStream(of: StartEvent.self)
        let app = application { continuation.yield(.listening($0)) }
        let task = Task {
            do {
                try await app.runService(gracefulShutdownSignals: [])
                continuation.yield(.ended(nil))
            } catch {
                continuation.yield(.ended(error))
            }
            continuation.finish()
        }
        var outcome: StartEvent = .ended(nil)
        for await event in events {
            outcome = event
            break
        }
        switch outcome {
        case .listening(let boundPort):
            let stillStarting = state.withLock { state -> Bool in
                guard case .starting = state else { return false }
                state = .running(host: host, port: boundPort, task: task)
                return true
            }
            guard stillStarting else {
                // stop() ran while we were binding: honour it.
                task.cancel()
                await task.value
                throw .notStartable
            }
            return boundPort
        case .ended(let error):
            state.withLock { $0 = .stopped }
            throw .ended(error)
        }
    }

    /// Stops the application; returns once the port no longer accepts connections.
    /// `beforeWaiting` runs after the application was told to stop and before waiting for it
    /// (the simulator closes its open connections there, so a stalled stream cannot hold it).
    /// Idempotent: a server that is not running returns at once.
    public func stop(beforeWaiting: () async -> Void = {}) async {
        let task: Task<Void, Never>? = state.withLock { state in
            defer { state = .stopped }
            if case .running(_, _, let task) = state { return task }
            return nil
        }
        guard let task else { return }
        task.cancel()
        await beforeWaiting()
        await task.value
    }

    /// The host and bound port while running, else nil.
    public var address: (host: String, port: Int)? {
        state.withLock {
            guard case .running(let host, let port, _) = $0 else { return nil }
            return (host, port)
        }
    }
}
