#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import TidepoolStore

/// Why `/metrics` could not be served, worded so the user knows what to do. The chat runs on
/// without the endpoint; the message is shown and logged.
public enum MetricsServerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Something else listens on the address already.
    case addressInUse(MetricsListenAddress)
    /// Listening failed for another reason (no such host, permission, ...).
    case cannotListen(MetricsListenAddress, reason: String)
    /// The server was started before; make a new one.
    case notStartable

    public var description: String {
        switch self {
        case .addressInUse(let address):
            return "metrics: \(address) is already in use (another tidepool, or another exporter?); "
                + "choose a free port with --metrics-listen HOST:PORT or the config's [metrics] listen. "
                + "Running without /metrics."
        case .cannotListen(let address, let reason):
            return "metrics: cannot listen on \(address): \(reason); "
                + "check the host in --metrics-listen or [metrics] listen. Running without /metrics."
        case .notStartable:
            return "metrics: this server was already started; make a new MetricsServer"
        }
    }

    /// Maps a bind failure from NIO to a typed error.
    static func from(_ error: any Error, address: MetricsListenAddress) -> MetricsServerError {
        if let io = error as? IOError, io.errnoCode == EADDRINUSE { return .addressInUse(address) }
        return .cannotListen(address, reason: "\(error)")
    }
}
