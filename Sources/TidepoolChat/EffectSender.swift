import Synchronization

/// Hands recorded effects over to their `perform` closures in exactly the order they were
/// recorded, each one as soon as its history write is done or its send deadline has passed,
/// whichever comes first (see ``HistoryRecorder``).
///
/// An effect is never handed over before an earlier one, so a `cancelChat` cannot overtake
/// the `startChat` it cancels even when the start is still waiting for the database. Called
/// from any thread (the recorder's queue, deadline timers); `perform` runs under the lock,
/// which keeps the order, and must therefore be quick (the runtime only enqueues).
final class EffectSender: Sendable {
    /// One effect waiting to be handed over.
    private struct Entry {
        var ticket: Int
        var effect: AppEffect
        var perform: @Sendable (AppEffect) -> Void
        var written = false
        var deadlinePassed = false
        var isReady: Bool { written || deadlinePassed }
    }

    private struct State {
        var nextTicket = 0
        /// Waiting effects, oldest first.
        var waiting: [Entry] = []
        /// Tickets handed over because of their deadline whose writes have not finished.
        var sentUnwritten: Set<Int> = []
    }

    private let state = Mutex(State())

    /// Requests sent before their history write finished, whose write is still pending.
    var behind: Int { state.withLock { $0.sentUnwritten.count } }

    /// Queues `effects` (in order) and returns one ticket per effect.
    func enqueue(_ effects: [AppEffect], perform: @escaping @Sendable (AppEffect) -> Void) -> [Int] {
        state.withLock { state in
            effects.map { effect in
                let ticket = state.nextTicket
                state.nextTicket += 1
                state.waiting.append(Entry(ticket: ticket, effect: effect, perform: perform))
                return ticket
            }
        }
    }

    /// The history write of `ticket` is done (stored, or failed for good).
    func written(_ ticket: Int) {
        state.withLock { state in
            state.sentUnwritten.remove(ticket)
            if let index = state.waiting.firstIndex(where: { $0.ticket == ticket }) {
                state.waiting[index].written = true
            }
            Self.handOver(&state)
        }
    }

    /// The send deadline of `tickets` has passed: send them (after any earlier ones) even if
    /// their writes are still waiting.
    func deadlinePassed(_ tickets: [Int]) {
        state.withLock { state in
            for index in state.waiting.indices where tickets.contains(state.waiting[index].ticket) {
                state.waiting[index].deadlinePassed = true
            }
            Self.handOver(&state)
        }
    }

    private static func handOver(_ state: inout State) {
        var count = 0
        for entry in state.waiting {
            guard entry.isReady else { break }
            if !entry.written { state.sentUnwritten.insert(entry.ticket) }
            entry.perform(entry.effect)
            count += 1
        }
        state.waiting.removeFirst(count)
    }
}
