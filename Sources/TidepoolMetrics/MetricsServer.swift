import Hummingbird
import Logging
import NIOCore
import TidepoolServing
import TidepoolStore

/// Serves `GET /metrics` (the Prometheus text format 0.0.4) on one address, with Hummingbird;
/// any other path is 404. Each scrape asks the ``PoolMetricsExporter`` for fresh numbers, so an
/// unscraped endpoint costs nothing.
public final class MetricsServer: Sendable {
    /// Where it listens (as asked; ``port`` is the bound port, which differs for port 0).
    public let address: MetricsListenAddress
    private let exporter: PoolMetricsExporter
    private let logger: Logger
    private let server = ListeningServer()

    /// A server for `exporter` on `address`. Hummingbird's own logs go to `logger`.
    public init(exporter: PoolMetricsExporter, address: MetricsListenAddress, logger: Logger? = nil) {
        self.exporter = exporter
        self.address = address
        self.logger = logger ?? ListeningServer.quietLogger(label: "tidepool.metrics")
    }

    /// Starts listening; returns the bound port once connections are accepted. Throws
    /// ``MetricsServerError/addressInUse(_:)`` when the port is taken.
    @discardableResult
    public func start() async throws(MetricsServerError) -> Int {
        do {
            return try await server.start(host: address.host, port: address.port) { onListening in
                makeApplication(onListening: onListening)
            }
        } catch {
            switch error {
            case .notStartable: throw .notStartable
            case .ended(let error): throw MetricsServerError.from(error ?? CancellationError(), address: address)
            }
        }
    }

    /// Stops listening; returns once the port is free. Idempotent.
    public func stop() async {
        await server.stop()
    }

    /// The bound port while running.
    public var port: Int? { server.address?.port }

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
