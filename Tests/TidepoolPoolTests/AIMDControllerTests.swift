@testable import TidepoolPool
import XCTest

/// The auto-sizing rule, driven by hand-worked sequences (no clock, no sockets).
final class AIMDControllerTests: XCTestCase {
    private typealias Observation = AIMDController.Observation

    private func ok(ttft: Double? = 0.1, inFlight: Int, queued: Int = 0) -> Observation {
        Observation(status: 200, timeToFirstToken: ttft, inFlight: inFlight, queued: queued)
    }

    private func rejected(_ status: Int) -> Observation {
        Observation(status: status, timeToFirstToken: nil, inFlight: 1, queued: 0)
    }

    func testStartsAtTheMaximumOrTheInitialLimitWithinBounds() {
        XCTAssertEqual(AIMDController(maximum: 16).limit, 16)
        XCTAssertEqual(AIMDController(settings: AutoSizing(initialLimit: 4), maximum: 16).limit, 4)
        XCTAssertEqual(AIMDController(settings: AutoSizing(initialLimit: 40), maximum: 16).limit, 16)
        XCTAssertEqual(AIMDController(settings: AutoSizing(initialLimit: 0), maximum: 16).limit, 1)
        XCTAssertEqual(AIMDController(maximum: 0).limit, 1, "a maximum below one is one")
    }

    /// Twelve 429s from a server with 4 slots, as the benchmark's first burst: 16 × 0.9^12 =
    /// 4.52, so 4 are admitted, each rejection counted as its own move.
    func testEachRejectionMultipliesTheLimitByTheBackoff() {
        var controller = AIMDController(maximum: 16)
        var changes: [LimitChange] = []
        for second in 0..<12 {
            if let change = controller.observe(rejected(429), at: Double(second)) { changes.append(change) }
        }
        XCTAssertEqual(changes.count, 12)
        XCTAssertEqual(controller.limit, 16 * pow(0.9, 12), accuracy: 1e-9)
        XCTAssertEqual(controller.admitted, 4)
        XCTAssertEqual(changes.first, LimitChange(direction: .down, reason: .rateLimited, from: 16, to: 14.4, at: 0))
        XCTAssertEqual(changes.last?.at, 11)
        XCTAssertTrue(changes.allSatisfy { $0.key == LimitChange.Key(direction: .down, reason: .rateLimited) })
    }

    func testA503IsLossToo() {
        var controller = AIMDController(maximum: 10)
        let change = controller.observe(rejected(503), at: 5)
        XCTAssertEqual(change, LimitChange(direction: .down, reason: .busy, from: 10, to: 9, at: 5))
    }

    /// From 2 a decrease to 1.8 admits one fewer at once: admission is max(1, floor(limit)).
    func testADecreaseAlwaysTakesEffectAndStopsAtOne() {
        var controller = AIMDController(settings: AutoSizing(initialLimit: 2), maximum: 8)
        XCTAssertEqual(controller.admitted, 2)
        _ = controller.observe(rejected(429), at: 0)
        XCTAssertEqual(controller.limit, 1.8, accuracy: 1e-12)
        XCTAssertEqual(controller.admitted, 1)
        for _ in 0..<10 { _ = controller.observe(rejected(429), at: 0) }
        XCTAssertEqual(controller.limit, 1)
        XCTAssertNil(controller.observe(rejected(429), at: 0), "at the floor nothing moves")
    }

    func testOtherStatusesSayNothing() {
        var controller = AIMDController(settings: AutoSizing(initialLimit: 3), maximum: 8)
        for status in [400, 404, 500, 502] { XCTAssertNil(controller.observe(rejected(status), at: 0)) }
        XCTAssertEqual(controller.limit, 3)
    }

    /// At limit 4, four good requests at full use make a round: the fourth raises it to 5;
    /// then five more are needed for 6.
    func testAFullRoundOfGoodRequestsAtFullUseAddsOne() {
        var controller = AIMDController(settings: AutoSizing(initialLimit: 4), maximum: 16)
        for _ in 0..<3 { XCTAssertNil(controller.observe(ok(inFlight: 4), at: 1)) }
        XCTAssertEqual(controller.observe(ok(inFlight: 4), at: 2),
                       LimitChange(direction: .up, reason: .fullUse, from: 4, to: 5, at: 2))
        for _ in 0..<4 { XCTAssertNil(controller.observe(ok(inFlight: 5), at: 3)) }
        XCTAssertEqual(controller.observe(ok(inFlight: 5), at: 3)?.to, 6)
    }

    func testRoomLeftRaisesNothingButAQueueCountsAsFullUse() {
        var controller = AIMDController(settings: AutoSizing(initialLimit: 4), maximum: 16)
        for _ in 0..<20 { XCTAssertNil(controller.observe(ok(inFlight: 2), at: 0)) }
        XCTAssertEqual(controller.limit, 4)
        for _ in 0..<3 { XCTAssertNil(controller.observe(ok(inFlight: 2, queued: 1), at: 0)) }
        XCTAssertEqual(controller.observe(ok(inFlight: 2, queued: 1), at: 0)?.to, 5)
    }

    /// Baseline 0.1 s: up to 0.1 × 2 + 0.05 = 0.25 s is steady; 0.4 s is queueing, which
    /// starts the round again.
    func testARisingTimeToFirstTokenHoldsIncreasesBack() {
        var controller = AIMDController(settings: AutoSizing(initialLimit: 2), maximum: 16)
        XCTAssertNil(controller.observe(ok(ttft: 0.1, inFlight: 2), at: 0))
        XCTAssertNil(controller.observe(ok(ttft: 0.4, inFlight: 2), at: 0))
        XCTAssertEqual(controller.goodInRound, 0)
        XCTAssertNil(controller.observe(ok(ttft: 0.25, inFlight: 2), at: 0))
        XCTAssertEqual(controller.observe(ok(ttft: 0.2, inFlight: 2), at: 0)?.to, 3)
        XCTAssertEqual(controller.baselineDelay, 0.1)
    }

    func testTheBaselineForgetsOldSamples() {
        var controller = AIMDController(maximum: 4)
        _ = controller.observe(ok(ttft: 0.01, inFlight: 1), at: 0)
        for _ in 0..<AIMDController.delayWindow { _ = controller.observe(ok(ttft: 1, inFlight: 1), at: 0) }
        XCTAssertEqual(controller.baselineDelay, 1, "a slower model loaded later becomes the normal")
    }

    func testNeverAboveTheMaximum() {
        var controller = AIMDController(maximum: 3)
        for _ in 0..<30 { XCTAssertNil(controller.observe(ok(inFlight: 3), at: 0)) }
        XCTAssertEqual(controller.limit, 3)
    }

    func testTheServersSlotsCapTheLimit() {
        var controller = AIMDController(maximum: 16)
        XCTAssertEqual(controller.observeServer(waiting: nil, slots: 4, at: 7),
                       [LimitChange(direction: .down, reason: .serverSlots, from: 16, to: 4, at: 7)])
        XCTAssertEqual(controller.cap, 4)
        for _ in 0..<30 { XCTAssertNil(controller.observe(ok(inFlight: 4), at: 0)) }
        XCTAssertEqual(controller.limit, 4)
        XCTAssertEqual(controller.observeServer(waiting: 0, slots: 4, at: 8), [], "nothing new")
        // Both at once: the cap first, then the decrease from it.
        var both = AIMDController(maximum: 16)
        XCTAssertEqual(both.observeServer(waiting: 2, slots: 4, at: 9).map(\.to), [4, 3.6])
    }

    func testRequestsWaitingAtTheServerAreLoss() {
        var controller = AIMDController(settings: AutoSizing(initialLimit: 5), maximum: 16)
        XCTAssertEqual(controller.observeServer(waiting: 0, slots: nil, at: 0), [])
        let changes = controller.observeServer(waiting: 3, slots: nil, at: 1)
        XCTAssertEqual(changes.map(\.direction), [.down])
        XCTAssertEqual(changes.map(\.reason), [.serverQueue])
        XCTAssertEqual(controller.limit, 4.5, accuracy: 1e-12)
    }

    /// Loss in the middle of a round starts it again: three good, a 429 (5 → 4.5), then four
    /// more good ones are needed before 5.5.
    func testLossRestartsTheRound() {
        var controller = AIMDController(settings: AutoSizing(initialLimit: 5), maximum: 16)
        for _ in 0..<3 { _ = controller.observe(ok(inFlight: 5), at: 0) }
        _ = controller.observe(rejected(429), at: 0)
        XCTAssertEqual(controller.goodInRound, 0)
        for _ in 0..<3 { XCTAssertNil(controller.observe(ok(inFlight: 4), at: 0)) }
        XCTAssertEqual(controller.observe(ok(inFlight: 4), at: 0)?.to ?? 0, 5.5, accuracy: 1e-12)
    }

    func testALowerMaximumBringsTheLimitDown() {
        var controller = AIMDController(maximum: 16)
        controller.setMaximum(6)
        XCTAssertEqual(controller.limit, 6)
        controller.reset(to: 100)
        XCTAssertEqual(controller.limit, 6)
    }
}
