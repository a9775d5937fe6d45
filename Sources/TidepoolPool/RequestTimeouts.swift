/// The clocks a request can run out of, in seconds; nil turns one off.
///
/// A long generation is normal for a language model, so there is no total timeout by default:
/// what matters is that the server answers at all (first byte) and does not go silent (idle).
public struct RequestTimeouts: Hashable, Sendable {
    /// Longest wait in the pool's queue for a free connection.
    public var queue: Double?
    /// Longest time to establish the connection, TLS included.
    public var connect: Double?
    /// Longest time from sending the request to the first response byte.
    public var firstByte: Double?
    /// Longest silence between two received chunks once the response has started.
    public var idle: Double?
    /// Longest time for the whole request; off by default.
    public var total: Double?

    /// Creates timeouts.
    public init(
        queue: Double? = 60,
        connect: Double? = 10,
        firstByte: Double? = 120,
        idle: Double? = 60,
        total: Double? = nil
    ) {
        self.queue = queue
        self.connect = connect
        self.firstByte = firstByte
        self.idle = idle
        self.total = total
    }

    /// Queue 60 s, connect 10 s, first byte 120 s, idle gap 60 s, no total limit.
    public static let `default` = RequestTimeouts()
}
