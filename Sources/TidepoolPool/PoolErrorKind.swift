extension PoolError {
    /// The kind of a ``PoolError``, without its details: what the stats count errors by.
    ///
    /// Its raw value is the short name shown in the pool panel and exported as a label
    /// (`timeout_idle`, `refused`, ...). Ordered by that name so a listing is stable.
    public enum Kind: String, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
        /// ``PoolError/invalidURL(_:)``.
        case invalidURL = "invalid_url"
        /// ``PoolError/poolClosed(_:)``.
        case poolClosed = "pool_closed"
        /// ``PoolError/connectionRefused(host:port:)``.
        case refused
        /// ``PoolError/hostNotFound(_:)``.
        case dns
        /// A queue wait ran out (``TimeoutKind/queue``).
        case timeoutQueue = "timeout_queue"
        /// Connecting ran out (``TimeoutKind/connect``).
        case timeoutConnect = "timeout_connect"
        /// The first byte did not come in time (``TimeoutKind/firstByte``).
        case timeoutFirstByte = "timeout_first_byte"
        /// The stream went silent (``TimeoutKind/idle``).
        case timeoutIdle = "timeout_idle"
        /// The whole request took too long (``TimeoutKind/total``).
        case timeoutTotal = "timeout_total"
        /// ``PoolError/tls(origin:message:)``.
        case tls
        /// ``PoolError/connectionLost(origin:message:)``.
        case connectionLost = "connection_lost"
        /// ``PoolError/cancelled``.
        case cancelled
        /// ``PoolError/transport(origin:code:message:)``.
        case transport
        /// ``PoolError/unavailable(_:)``.
        case unavailable

        /// The short name, e.g. `timeout_idle`.
        public var description: String { rawValue }

        /// Orders kinds by their short name.
        public static func < (lhs: Kind, rhs: Kind) -> Bool { lhs.rawValue < rhs.rawValue }
    }
}
