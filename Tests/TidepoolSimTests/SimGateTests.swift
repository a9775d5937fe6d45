import Synchronization
import XCTest

@testable import TidepoolSim

final class SimGateTests: XCTestCase {
    private final class Counter: Sendable {
        let value = Atomic<Int>(0)
    }

    /// Two of three wait (counted by the gate itself, not by sleeping); none has gone; the third
    /// lets all three go.
    func testAGroupGoesOnlyWhenFull() async {
        let gate = SimGate()
        let released = Counter()
        let first = Task {
            await gate.gather(3)
            released.value.add(1, ordering: .relaxed)
        }
        let second = Task {
            await gate.gather(3)
            released.value.add(1, ordering: .relaxed)
        }
        while gate.waitingCount(for: 3) < 2 { await Task.yield() }
        XCTAssertEqual(released.value.load(ordering: .relaxed), 0)
        await gate.gather(3)
        await first.value
        await second.value
        XCTAssertEqual(released.value.load(ordering: .relaxed), 2)
        XCTAssertEqual(gate.waitingCount(for: 3), 0)
    }

    func testGroupsOfDifferentSizesDoNotMix() async {
        let gate = SimGate()
        let pair = Task { await gate.gather(2) }
        while gate.waitingCount(for: 2) < 1 { await Task.yield() }
        let triple = Task { await gate.gather(3) }
        while gate.waitingCount(for: 3) < 1 { await Task.yield() }
        XCTAssertEqual(gate.waitingCount(for: 2), 1)
        await gate.gather(2)
        await pair.value
        XCTAssertEqual(gate.waitingCount(for: 3), 1)
        let another = Task { await gate.gather(3) }
        while gate.waitingCount(for: 3) < 2 { await Task.yield() }
        await gate.gather(3)
        await triple.value
        await another.value
    }
}
