/// What the simulator saw from its side of the wire: TCP connections accepted and the requests
/// made on each, so tests and benchmarks can check that a client really reuses connections.
public struct SimStats: Sendable, Hashable {
    /// TCP connections accepted since start or the last reset.
    public var connectionsAccepted: Int
    /// HTTP requests received since start or the last reset (control endpoints included).
    public var requests: Int
    /// Requests made on each connection accepted since start or the last reset, in order of
    /// acceptance (open connections included, with their count so far).
    public var requestsPerConnection: [Int]
    /// Connections open right now (not affected by reset).
    public var openConnections: Int

    /// A snapshot with the given counts.
    public init(connectionsAccepted: Int, requests: Int, requestsPerConnection: [Int], openConnections: Int) {
        self.connectionsAccepted = connectionsAccepted
        self.requests = requests
        self.requestsPerConnection = requestsPerConnection
        self.openConnections = openConnections
    }

    /// The JSON body of `GET /_sim/stats`.
    var json: SimJSON {
        .object([
            ("connections_accepted", .int(connectionsAccepted)),
            ("requests", .int(requests)),
            ("requests_per_connection", .array(requestsPerConnection.map { .int($0) })),
            ("open_connections", .int(openConnections)),
        ])
    }
}
