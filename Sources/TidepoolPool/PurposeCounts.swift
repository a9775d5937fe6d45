/// One pool's counters for the requests of one ``RequestPurpose``: what `/metrics` exports
/// with a `purpose` label, so a discovery probe's or a monitoring poll's connections are
/// counted under their origin like a chat's, yet told apart.
///
/// Counted where the event happens (the open-socket callback of the transfer that opened the
/// socket, a transfer's end), never derived from other counters.
public struct PurposeCounts: Sendable, Equatable {
    /// Requests handed to the pool.
    public var requests = 0
    /// Requests that completed with a response (any HTTP status).
    public var ok = 0
    /// Requests that ended in an error other than a cancellation.
    public var failed = 0
    /// Requests cancelled by their caller (``PoolError/Kind/cancelled``).
    public var cancelled = 0
    /// Finished requests that went over an already open connection.
    public var reused = 0
    /// Finished requests that opened a connection of their own.
    public var newConnections = 0
    /// Sockets opened for requests of this purpose.
    public var connectionsOpened = 0
    /// Of those, sockets closed again (whoever used them last).
    public var connectionsClosed = 0
    /// TLS handshakes done for requests of this purpose.
    public var tlsHandshakes = 0
    /// Requests that had to wait in the queue because the pool was at its limit.
    public var queueExhausted = 0

    /// All zero.
    public init() {}

    /// Adds `other`'s counts to these.
    public mutating func add(_ other: PurposeCounts) {
        requests += other.requests
        ok += other.ok
        failed += other.failed
        cancelled += other.cancelled
        reused += other.reused
        newConnections += other.newConnections
        connectionsOpened += other.connectionsOpened
        connectionsClosed += other.connectionsClosed
        tlsHandshakes += other.tlsHandshakes
        queueExhausted += other.queueExhausted
    }
}
