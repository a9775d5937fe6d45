import TidepoolPool

/// The user's own requests: the pool's figures with the server monitor's polls left out.
/// Polls are counted in the pool (and on `/metrics`, labelled `purpose="monitor"`), but a panel
/// that counted them would show requests the user never sent, a number that grows by one a
/// second while anything streams.
extension PoolStats {
    /// Requests handed to the pool, polls left out.
    var userRequestsStarted: Int { requestsStarted - (requestsByPurpose[.monitor] ?? 0) }
    /// Requests that completed with a response, polls left out.
    var userRequestsFinished: Int { requestsFinished - monitorFinished }
    /// Requests that ended in an error, polls left out.
    var userRequestsFailed: Int { requestsFailed - monitorFailed }
    /// Finished requests over an already open connection, polls left out.
    var userReusedConnections: Int { reusedConnections - monitorReused }
    /// Finished requests that opened a connection, polls left out.
    var userNewConnections: Int { newConnections - monitorNew }
    /// The share of the user's finished requests that reused a connection; nil before any.
    var userReuseRatio: Double? {
        let finished = userReusedConnections + userNewConnections
        return finished > 0 ? Double(userReusedConnections) / Double(finished) : nil
    }
}
