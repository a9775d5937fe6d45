import NIOCore
import Synchronization

/// The server-side record of connections and requests behind ``SimStats``. Written from NIO event
/// loops (connection open/close) and request handlers (requests), read from any thread; one mutex
/// guards it. It also keeps the open channels so `stop()` can close them all, including stalled
/// ones that would otherwise hold a graceful shutdown open forever.
final class ConnectionLedger: Sendable {
    private struct OpenConnection {
        let channel: any Channel
        /// Index into `requestsPerConnection`, or nil if accepted before the last reset.
        var slot: Int?
        /// True while a `stall` fault holds this connection silent.
        var stalled = false
    }

    private struct State {
        var accepted = 0
        var requests = 0
        var requestsPerConnection: [Int] = []
        var open: [ObjectIdentifier: OpenConnection] = [:]
    }

    private let state = Mutex(State())

    /// Records an accepted connection (idempotent per channel).
    func opened(_ channel: any Channel) {
        let key = ObjectIdentifier(channel)
        state.withLock { state in
            guard state.open[key] == nil else { return }
            state.accepted += 1
            state.requestsPerConnection.append(0)
            state.open[key] = OpenConnection(channel: channel, slot: state.requestsPerConnection.count - 1)
        }
    }

    /// Records a closed connection.
    func closed(_ channel: any Channel) {
        let key = ObjectIdentifier(channel)
        _ = state.withLock { $0.open.removeValue(forKey: key) }
    }

    /// Records one request on `channel`.
    func request(on channel: any Channel) {
        let key = ObjectIdentifier(channel)
        state.withLock { state in
            state.requests += 1
            if let slot = state.open[key]?.slot {
                state.requestsPerConnection[slot] += 1
            }
        }
    }

    /// Marks a connection as held silent by a `stall` fault, so the client closing its side
    /// closes ours too (nothing else would ever notice: a stalled stream never writes).
    func markStalled(_ channel: any Channel) {
        let key = ObjectIdentifier(channel)
        state.withLock { $0.open[key]?.stalled = true }
    }

    /// Whether a `stall` fault holds this connection.
    func isStalled(_ channel: any Channel) -> Bool {
        let key = ObjectIdentifier(channel)
        return state.withLock { $0.open[key]?.stalled ?? false }
    }

    /// The counts now.
    var snapshot: SimStats {
        state.withLock {
            SimStats(
                connectionsAccepted: $0.accepted,
                requests: $0.requests,
                requestsPerConnection: $0.requestsPerConnection,
                openConnections: $0.open.count
            )
        }
    }

    /// Zeroes the counters; open connections stay open but leave the per-connection list.
    func reset() {
        state.withLock { state in
            state.accepted = 0
            state.requests = 0
            state.requestsPerConnection = []
            for key in state.open.keys { state.open[key]?.slot = nil }
        }
    }

    /// The channels open now (for closing them at stop).
    var openChannels: [any Channel] {
        state.withLock { $0.open.values.map(\.channel) }
    }
}
