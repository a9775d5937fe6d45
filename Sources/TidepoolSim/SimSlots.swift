import Synchronization

/// What a simulator with a fixed number of slots does with a request that finds them all busy:
/// the behaviours of real servers.
public enum SimOverflow: String, Sendable, Hashable, CaseIterable {
    /// Queue at the server until a slot frees, as vLLM and llama-server do.
    case wait
    /// Answer 503 "server busy" at once, as Ollama does when its queue is full.
    case busy503
    /// Answer 429 with `Retry-After: 1` at once, as hosted APIs do.
    case reject429
}

/// The simulator's slots: how many answers it generates at once. Shared by every connection
/// (thread-safe through one mutex). Waiters are served first come, first served.
final class SimSlots: Sendable {
    /// The number of slots.
    let total: Int

    private struct State {
        var busy: [Int: UInt64] = [:]  // slot index -> task id
        var waiters: [(id: UInt64, continuation: CheckedContinuation<Int, Never>)] = []
        var nextTask: UInt64 = 0
    }

    private let state = Mutex(State())

    init(total: Int) { self.total = max(1, total) }

    /// The busy slots (index and the task using it) and how many requests wait.
    var usage: (busy: [Int: UInt64], waiting: Int) {
        state.withLock { ($0.busy, $0.waiters.count) }
    }

    /// A free slot now, or nil when all are busy.
    func tryAcquire() -> SimSlotLease? {
        let slot: Int? = state.withLock { state in
            guard let free = (0..<total).first(where: { state.busy[$0] == nil }) else { return nil }
            state.nextTask += 1
            state.busy[free] = state.nextTask
            return free
        }
        return slot.map { SimSlotLease(slots: self, index: $0) }
    }

    /// A slot, waiting in line for one when all are busy.
    func acquire() async -> SimSlotLease {
        if let lease = tryAcquire() { return lease }
        let index: Int = await withCheckedContinuation { continuation in
            let granted: Int? = state.withLock { state in
                if let free = (0..<total).first(where: { state.busy[$0] == nil }) {
                    state.nextTask += 1
                    state.busy[free] = state.nextTask
                    return free
                }
                state.nextTask += 1
                state.waiters.append((state.nextTask, continuation))
                return nil
            }
            if let granted { continuation.resume(returning: granted) }
        }
        return SimSlotLease(slots: self, index: index)
    }

    /// Frees `index`, handing it straight to the first waiter if there is one.
    fileprivate func release(_ index: Int) {
        let next: CheckedContinuation<Int, Never>? = state.withLock { state in
            guard !state.waiters.isEmpty else {
                state.busy[index] = nil
                return nil
            }
            let waiter = state.waiters.removeFirst()
            state.busy[index] = waiter.id
            return waiter.continuation
        }
        next?.resume(returning: index)
    }
}

/// One request's hold on a slot, released once: explicitly when its answer ends, or when the
/// lease is dropped (a response the server never wrote, a connection cut first).
final class SimSlotLease: Sendable {
    /// The slot's index.
    let index: Int
    private let slots: SimSlots
    private let released = Atomic<Bool>(false)

    fileprivate init(slots: SimSlots, index: Int) {
        self.slots = slots
        self.index = index
    }

    /// Gives the slot back (only the first call counts).
    func release() {
        if !released.exchange(true, ordering: .acquiringAndReleasing) { slots.release(index) }
    }

    deinit { release() }
}
