import Synchronization

/// Holds answers of `:gatherN` models until N of them wait together, then lets them all go.
///
/// Tests use it to make concurrent requests overlap for certain: three answers held until all
/// three requests have arrived must travel on three connections, whatever the machine's speed.
/// A group that never fills is released after ``patience`` so a test that sends too few requests
/// fails on its own assertion instead of hanging.
final class SimGate: Sendable {
    /// How long a request waits for its group to fill before it is let go anyway.
    static let patience: Duration = .seconds(10)

    private let waiting = Mutex<[Int: [Waiter]]>([:])

    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Void, Never>
    }

    private let nextID = Atomic<UInt64>(0)

    /// Waits until `count` requests (this one included) are waiting for the same count, or until
    /// ``patience`` passes.
    func gather(_ count: Int) async {
        guard count > 1 else { return }
        let id = nextID.add(1, ordering: .relaxed).newValue
        let timeout = Task { [weak self] in
            try? await Task.sleep(for: Self.patience)
            self?.release(id: id, count: count)
        }
        defer { timeout.cancel() }
        await withCheckedContinuation { continuation in
            let ready: [Waiter] = waiting.withLock { groups in
                groups[count, default: []].append(Waiter(id: id, continuation: continuation))
                guard groups[count]!.count >= count else { return [] }
                return groups.removeValue(forKey: count) ?? []
            }
            for waiter in ready { waiter.continuation.resume() }
        }
    }

    /// How many requests wait for a group of `count` now.
    func waitingCount(for count: Int) -> Int {
        waiting.withLock { $0[count]?.count ?? 0 }
    }

    /// Lets one waiter go when its group did not fill in time.
    private func release(id: UInt64, count: Int) {
        let waiter: Waiter? = waiting.withLock { groups in
            guard let index = groups[count]?.firstIndex(where: { $0.id == id }) else { return nil }
            return groups[count]!.remove(at: index)
        }
        waiter?.continuation.resume()
    }
}
