/// Pacing: the network thread's own wake-ups for streams that are read once per frame.
///
/// A streaming server sends about one small segment per token; the network thread woke for
/// each (an `epoll_wait`, a `recv` and a pass through libcurl): 1,600 wake-ups a second for
/// eight panes at 200 tokens/s, though the reader is only handed bytes once per delivery
/// interval anyway (``HTTPRequest/deliveryInterval``). So when every transfer the thread
/// serves is such a stream past its first delivery, the thread, after a turn, waits up to that
/// interval for commands only, leaving the sockets unread: the segments that arrive meanwhile
/// are then read with one `recv` per socket in the next turn.
///
/// What it keeps: a command (a new request, a cancel, a limit change) ends the wait at once;
/// the wait never passes the thread's next deadline (libcurl's timer, request clocks, held
/// deliveries); a non-stream request, a stream without an interval and a stream before its
/// first bytes are never delayed, and while any of them is in flight (or queued) nothing is
/// paced. The price: a stream's end, like its other bytes, may be read up to one interval
/// (at most ``maximumPacingPause``) later; it is delivered as soon as it is read.
extension NetworkThread {
    /// The commands-only wait to make before waiting on the sockets, in milliseconds (nil for
    /// none), given the turn's `timeout` until the next deadline (-1: none).
    func pacingPause(timeout: Int32) -> Int32? {
        guard timeout != 0, maximumPacingPause > 0 else { return nil }
        var smallest: Double?
        for pool in pools.values where !pool.isEmpty {
            guard let interval = pool.pacingInterval() else { return nil }
            smallest = min(smallest ?? interval, interval)
        }
        guard let smallest else { return nil }
        let millis = Int32((min(smallest, maximumPacingPause) * 1000).rounded())
        guard millis > 0 else { return nil }
        return timeout < 0 ? millis : min(millis, timeout)
    }
}

extension CurlPool {
    /// The smallest delivery interval of the pool's transfers when every one of them may be
    /// paced (see `NetworkThread+Pacing.swift`); nil when one may not or none is in flight.
    func pacingInterval() -> Double? {
        guard queue.isEmpty else { return nil }
        var smallest: Double?
        for transfer in active.values {
            guard let interval = transfer.pacingInterval else { return nil }
            smallest = min(smallest ?? interval, interval)
        }
        return smallest
    }
}
