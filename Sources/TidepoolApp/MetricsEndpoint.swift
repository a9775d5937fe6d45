import Logging
import TidepoolMetrics
import TidepoolPool
import TidepoolStore

/// `/metrics` for a command that runs for a while (`chat`, `compare`): one exporter observing
/// the shared pool (and any other pool manager the command opens, such as the discovery
/// probe's), served on the configured address. A port in use does not stop the command: the
/// message is logged and returned for the command to show.
public final class MetricsEndpoint: Sendable {
    /// The exporter (other pool managers join it with ``include(_:)``).
    public let exporter: PoolMetricsExporter
    private let server: MetricsServer

    private init(exporter: PoolMetricsExporter, server: MetricsServer) {
        self.exporter = exporter
        self.server = server
    }

    /// Starts serving `pool`'s numbers on `address`. Returns the endpoint, or nil and the
    /// message to show when it could not listen.
    public static func start(
        address: MetricsListenAddress, pool: PoolManager, logger: Logger = Logger(label: "tidepool.metrics")
    ) async -> (endpoint: MetricsEndpoint?, problem: String?) {
        let exporter = PoolMetricsExporter(pool: pool)
        exporter.attach(to: pool)
        let server = MetricsServer(exporter: exporter, address: address)
        do {
            let port = try await server.start()
            logger.info("serving metrics", metadata: ["address": "\(address.host)", "port": "\(port)"])
            return (MetricsEndpoint(exporter: exporter, server: server), nil)
        } catch {
            pool.setObserver(nil)
            logger.error("metrics not served", metadata: ["error": "\(error)"])
            return (nil, error.description)
        }
    }

    /// Adds another pool manager's numbers (kept even after it shut down, so what it counted
    /// is never lost).
    public func include(_ pool: PoolManager) {
        exporter.include(pool)
    }

    /// The bound port.
    public var port: Int? { server.port }

    /// Stops serving and stops observing.
    public func stop() async {
        await server.stop()
    }
}
