import Hummingbird
import Logging
import NIOCore
import Synchronization

/// Serves `GET /metrics` (the Prometheus text format 0.0.4) on one address, with Hummingbird;
/// any other path is 404. Each scrape asks the ``PoolMetricsExporter`` for fresh numbers, so an
/// unscraped endpoint costs nothing.
public final class MetricsServer: Sendable {
    /// Where it listens (as asked; ``port`` is the bound port, which differs for port 0).
    public let address: MetricsListenAddress
    private let exporter: PoolMetricsExporter
    private let logger: Logger
    private let state = Mutex(State.idle)

    private enum State {
        case idle
        case starting
        case running(port: Int, task: Task<Void, Never>)
        case stopped
    }

    private enum StartEvent: Sendable {
        case listening(Int)
        case ended((any Error)?)
    }

    /// A server for `exporter` on `address`. Hummingbird's own logs go to `logger`.
    public init(exporter: PoolMetricsExporter, address: MetricsListenAddress, logger: Logger? = nil) {
        self.exporter = exporter
        self.address = address
        if let logger {
            self.logger = logger
        } else {
            var quiet = Logger(label: "tidepool.metrics")
            quiet.logLevel = .critical
            self.logger = quiet
        }
    }

    /// Starts listening; returns the bound port once connections are accepted. Throws
    /// ``MetricsServerError/addressInUse(_:)`` when the port is taken.
    @discardableResult
    public func start() async throws(MetricsServerError) -> Int {
        let canStart = state.withLock { state -> Bool in
            guard case .idle = state else { return false }
            state = .starting
            return true
        }
        guard canStart else { throw .notStartable }
        let (events, continuation) = AsyncStream.makeStream(of: StartEvent.self)
        let app = makeApplication { continuation.yield(.listening($0)) }
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
        case .listening(let port):
            let stillStarting = state.withLock { state -> Bool in
                guard case .starting = state else { return false }
                state = .running(port: port, task: task)
                return true
            }
            guard stillStarting else {
                task.cancel()
                await task.value
                throw .notStartable
            }
            return port
        case .ended(let error):
            state.withLock { $0 = .stopped }
            throw MetricsServerError.from(error ?? CancellationError(), address: address)
        }
    }

    /// Stops listening; returns once the port is free. Idempotent.
    public func stop() async {
        let task: Task<Void, Never>? = state.withLock { state in
            defer { state = .stopped }
            if case .running(_, let task) = state { return task }
            return nil
        }
        guard let task else { return }
        task.cancel()
        await task.value
    }

    /// The bound port while running.
    public var port: Int? {
        state.withLock {
            if case .running(let port, _) = $0 { return port }
            return nil
        }
    }

    private func makeApplication(onListening: @escaping @Sendable (Int) -> Void) -> some ApplicationProtocol {
        let router = Router()
        let exporter = self.exporter
        router.get("/metrics") { _, _ -> Response in
            let bytes = exporter.scrape()
            return Response(
                status: .ok, headers: [.contentType: PoolMetricsExporter.contentType],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        let port = address.port
        return Application(
            router: router,
            configuration: .init(address: .hostname(address.host, port: port), serverName: nil),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? port) },
            logger: logger)
    }
}
