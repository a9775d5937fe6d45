import TidepoolPool

extension PoolManager {
    /// Passes what a server's monitoring endpoint said about its load to the auto-sized pool
    /// of its origin: requests waiting in its own queue (above zero lowers the limit) and its
    /// slot count (the limit's ceiling). Whoever polls a server calls this with each snapshot;
    /// a snapshot telling neither changes nothing, and a pool that is not auto-sized ignores it.
    public func report(_ snapshot: ServerSnapshot, for origin: Origin, options: ConnectionOptions = .standard) {
        guard snapshot.requestsWaiting != nil || snapshot.slotsTotal != nil else { return }
        reportServerLoad(origin: origin, options: options, waiting: snapshot.requestsWaiting, slots: snapshot.slotsTotal)
    }
}
