/// Limits of one pool. Requests beyond ``maxConnections`` wait in a first-in, first-out queue.
public struct PoolLimits: Hashable, Sendable {
    /// The most connections the pool opens to its origin at once. On HTTP/2 one connection
    /// carries many requests, so this bounds connections, not requests.
    public var maxConnections: Int
    /// The most idle (keep-alive) connections kept for reuse; more are closed when they
    /// fall idle.
    public var maxIdleConnections: Int
    /// How long an idle connection may wait for reuse before it is closed, in seconds.
    public var idleExpiry: Double
    /// The most concurrent requests on one HTTP/2 connection.
    public var maxStreamsPerConnection: Int

    /// Creates limits; values below 1 are raised to 1.
    public init(
        maxConnections: Int = 6,
        maxIdleConnections: Int = 6,
        idleExpiry: Double = 90,
        maxStreamsPerConnection: Int = 100
    ) {
        self.maxConnections = max(1, maxConnections)
        self.maxIdleConnections = max(1, maxIdleConnections)
        self.idleExpiry = max(0.001, idleExpiry)
        self.maxStreamsPerConnection = max(1, maxStreamsPerConnection)
    }

    /// Six connections per origin, as browsers do; all may stay idle for 90 seconds.
    public static let `default` = PoolLimits()
}
