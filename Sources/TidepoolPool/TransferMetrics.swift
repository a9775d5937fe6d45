/// What one transfer cost, measured by libcurl and by the pool. All durations are in seconds
/// and each is the length of its own phase, not a running total.
public struct TransferMetrics: Sendable, Equatable {
    /// Time spent waiting in the pool's queue for a free connection.
    public var queueWait: Double
    /// DNS resolution (zero when the name was cached or is an address).
    public var dns: Double
    /// TCP connect (zero when a connection was reused).
    public var connect: Double
    /// TLS handshake (zero for plain HTTP or a reused connection).
    public var tls: Double
    /// From the request being ready to send to the first response byte.
    public var firstByte: Double
    /// From leaving the queue to the last byte.
    public var total: Double
    /// True when the request went over a connection that was already open.
    public var reusedConnection: Bool
    /// Body bytes received.
    public var bytesIn: Int
    /// Body bytes sent.
    public var bytesOut: Int
    /// The negotiated protocol.
    public var httpVersion: HTTPVersion
    /// The local port of the connection, which identifies it among the pool's connections.
    public var localPort: Int

    /// Creates metrics.
    public init(
        queueWait: Double = 0, dns: Double = 0, connect: Double = 0, tls: Double = 0,
        firstByte: Double = 0, total: Double = 0, reusedConnection: Bool = false,
        bytesIn: Int = 0, bytesOut: Int = 0, httpVersion: HTTPVersion = .unknown, localPort: Int = 0
    ) {
        self.queueWait = queueWait
        self.dns = dns
        self.connect = connect
        self.tls = tls
        self.firstByte = firstByte
        self.total = total
        self.reusedConnection = reusedConnection
        self.bytesIn = bytesIn
        self.bytesOut = bytesOut
        self.httpVersion = httpVersion
        self.localPort = localPort
    }
}
