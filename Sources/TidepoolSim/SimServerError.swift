#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

/// Why a ``SimServer`` could not start, worded so the user knows what to do.
public enum SimServerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Another process (or another simulator) is already listening on the port.
    case portInUse(host: String, port: Int)
    /// Binding failed for another reason (bad host name, permission, ...).
    case bindFailed(host: String, port: Int, reason: String)
    /// `start` was called on a server that is already running or was stopped; make a new one.
    case notStartable

    /// The message to show the user: what went wrong and what to do about it.
    public var description: String {
        switch self {
        case .portInUse(let host, let port):
            return "tidepool sim: \(host):\(port) is already in use; choose another port (--port) or 0 for any free one"
        case .bindFailed(let host, let port, let reason):
            return "tidepool sim: cannot listen on \(host):\(port): \(reason)"
        case .notStartable:
            return "tidepool sim: this server was already started; create a new SimServer to start again"
        }
    }

    /// Maps a bind failure from NIO to a typed error whose reason is a sentence, not NIO's
    /// `bind(descriptor:ptr:bytes:)`.
    static func from(_ error: any Error, host: String, port: Int) -> SimServerError {
        let useLoopback = "use 127.0.0.1 or ::1 (the simulator is for this machine)"
        if let io = error as? IOError {
            switch io.errnoCode {
            case EADDRINUSE:
                return .portInUse(host: host, port: port)
            case EADDRNOTAVAIL:
                return .bindFailed(host: host, port: port, reason: "\(host) is not an address of this machine; \(useLoopback)")
            case EACCES:
                return .bindFailed(host: host, port: port,
                                   reason: "permission denied (ports below 1024 need root); choose --port 1024 or above, or 0")
            default:
                return .bindFailed(host: host, port: port, reason: String(cString: strerror(io.errnoCode)).lowercased())
            }
        }
        if error is SocketAddressError.UnknownHost || error is SocketAddressError {
            return .bindFailed(host: host, port: port,
                               reason: "'\(host)' is neither an IP address nor a name this machine resolves; \(useLoopback)")
        }
        return .bindFailed(host: host, port: port, reason: "\(error)")
    }
}
