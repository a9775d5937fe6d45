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

    func testStartsInSlowStartAtOneOrAtTheInitialLimitWithinBounds() {
        XCTAssertEqual(AIMDController(maximum: 16).limit, 1)
        XCTAssertTrue(AIMDController(maximum: 16).inSlowStart)
        XCTAssertFalse(AIMDController(settings: AutoSizing(initialLimit: 4), maximum: 16).inSlowStart,
                       "an explicit start skips slow start")
        XCTAssertEqual(AIMDController(settings: AutoSizing(initialLimit: 4), maximum: 16).limit, 4)
        XCTAssertEqual(AIMDController(settings: AutoSizing(initialLimit: 40), maximum: 16).limit, 16)
        XCTAssertEqual(AIMDController(settings: AutoSizing(initialLimit: 0), maximum: 16).limit, 1)
        XCTAssertEqual(AIMDController(maximum: 0).limit, 1, "a maximum below one is one")
    }

    /// Twelve 429s that say nothing about what the server accepted or when they were sent:
    /// 16 × 0.9^12 = 4.52, so 4 are admitted, each rejection counted as its own move.
    func testEachRejectionMultipliesTheLimitByTheBackoff() {
        var controller = AIMDController(settings: AutoSizing(initialLimit: 16), maximum: 16)
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
        var controller = AIMDController(settings: AutoSizing(initialLimit: 10), maximum: 10)
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
        var controller = AIMDController(settings: AutoSizing(initialLimit: 3), maximum: 3)
        for _ in 0..<30 { XCTAssertNil(controller.observe(ok(inFlight: 3), at: 0)) }
        XCTAssertEqual(controller.limit, 3)
    }

    func testTheServersSlotsCapTheLimit() {
        var controller = AIMDController(settings: AutoSizing(initialLimit: 16), maximum: 16)
        XCTAssertEqual(controller.observeServer(waiting: nil, slots: 4, at: 7),
                       [LimitChange(direction: .down, reason: .serverSlots, from: 16, to: 4, at: 7)])
        XCTAssertEqual(controller.cap, 4)
        for _ in 0..<30 { XCTAssertNil(controller.observe(ok(inFlight: 4), at: 0)) }
        XCTAssertEqual(controller.limit, 4)
        XCTAssertEqual(controller.observeServer(waiting: 0, slots: 4, at: 8), [], "nothing new")
        // Both at once: the cap first, then the decrease from it.
        var both = AIMDController(settings: AutoSizing(initialLimit: 16), maximum: 16)
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
        var controller = AIMDController(settings: AutoSizing(initialLimit: 16), maximum: 16)
        controller.setMaximum(6)
        XCTAssertEqual(controller.limit, 6)
        controller.reset(to: 100)
        XCTAssertEqual(controller.limit, 6)
    }

    // MARK: Slow start

    private func token(ttft: Double = 0.1, inFlight: Int, queued: Int = 0, status: Int = 200) -> AIMDController.FirstToken {
        AIMDController.FirstToken(status: status, timeToFirstToken: ttft, inFlight: inFlight, queued: queued)
    }

    /// From 1, each first token at full use adds one; a token with room left, or a 429's
    /// body, adds nothing; finished requests do not move it meanwhile (no rounds yet).
    func testSlowStartGrowsByOnePerFirstTokenAtFullUse() {
        var controller = AIMDController(maximum: 16)
        XCTAssertEqual(controller.observeFirstToken(token(inFlight: 1, queued: 15), at: 1),
                       LimitChange(direction: .up, reason: .slowStart, from: 1, to: 2, at: 1))
        XCTAssertEqual(controller.observeFirstToken(token(inFlight: 2, queued: 14), at: 2)?.to, 3)
        XCTAssertEqual(controller.observeFirstToken(token(inFlight: 3), at: 3)?.to, 4, "full use without a queue")
        XCTAssertNil(controller.observeFirstToken(token(inFlight: 2), at: 4), "room left proves nothing")
        XCTAssertNil(controller.observeFirstToken(token(inFlight: 4, queued: 3, status: 429), at: 5))
        for _ in 0..<8 { XCTAssertNil(controller.observe(ok(inFlight: 4, queued: 3), at: 6)) }
        XCTAssertEqual(controller.limit, 4)
        XCTAssertTrue(controller.inSlowStart)
    }

    func testSlowStartEndsAtTheMaximum() {
        var controller = AIMDController(maximum: 3)
        _ = controller.observeFirstToken(token(inFlight: 1, queued: 5), at: 0)
        XCTAssertEqual(controller.observeFirstToken(token(inFlight: 2, queued: 4), at: 0)?.to, 3)
        XCTAssertFalse(controller.inSlowStart)
        XCTAssertNil(controller.observeFirstToken(token(inFlight: 3, queued: 3), at: 0))
        XCTAssertEqual(controller.limit, 3)
    }

    /// Best first token 0.1 s: 0.1 × 2 + 0.05 = 0.25 s is steady, 0.4 s is late (queued at the
    /// server, or its model was loading): it adds nothing, and slow start goes on.
    func testALateFirstTokenAddsNothing() {
        var controller = AIMDController(maximum: 16)
        XCTAssertEqual(controller.observeFirstToken(token(ttft: 0.1, inFlight: 1, queued: 9), at: 0)?.to, 2)
        XCTAssertEqual(controller.observeFirstToken(token(ttft: 0.25, inFlight: 2, queued: 8), at: 0)?.to, 3)
        XCTAssertNil(controller.observeFirstToken(token(ttft: 0.4, inFlight: 3, queued: 7), at: 0))
        XCTAssertTrue(controller.inSlowStart)
        XCTAssertEqual(controller.limit, 3)
        XCTAssertEqual(controller.observeFirstToken(token(ttft: 0.1, inFlight: 3, queued: 7), at: 0)?.to, 4)
    }

    /// Requests queued and no first token for the patience: one more anyway; nothing with no
    /// queue, nothing after slow start.
    func testSlowStartsPatienceAddsOneWhileRequestsQueue() {
        var controller = AIMDController(maximum: 16)
        XCTAssertEqual(controller.observeNoFirstToken(queued: 2, at: 1),
                       LimitChange(direction: .up, reason: .slowStart, from: 1, to: 2, at: 1))
        XCTAssertNil(controller.observeNoFirstToken(queued: 0, at: 2))
        XCTAssertEqual(controller.limit, 2)
        _ = controller.observe(rejected(503, accepted: 2, after: 0), at: 3)
        XCTAssertNil(controller.observeNoFirstToken(queued: 5, at: 4))
    }

    func testTheServersSlotsEndSlowStartAtThem() {
        var controller = AIMDController(maximum: 16)
        XCTAssertEqual(controller.observeServer(waiting: 0, slots: 4, at: 3),
                       [LimitChange(direction: .up, reason: .serverSlots, from: 1, to: 4, at: 3)])
        XCTAssertFalse(controller.inSlowStart)
        XCTAssertNil(controller.observeFirstToken(token(inFlight: 4, queued: 4), at: 4))
    }

    func testAnExplicitStartOrAHandSetLimitSkipsSlowStart() {
        var explicit = AIMDController(settings: AutoSizing(initialLimit: 4), maximum: 16)
        XCTAssertNil(explicit.observeFirstToken(token(inFlight: 4, queued: 4), at: 0))
        var reset = AIMDController(maximum: 16)
        reset.reset(to: 6)
        XCTAssertFalse(reset.inSlowStart)
        XCTAssertNil(reset.observeFirstToken(token(inFlight: 6, queued: 4), at: 0))
        XCTAssertEqual(reset.limit, 6)
    }

    // MARK: What a rejection says

    private func rejected(_ status: Int, accepted: Int, after decreases: Int) -> Observation {
        Observation(status: status, timeToFirstToken: nil, inFlight: accepted + 1, queued: 0,
                    accepted: accepted, admittedAfterDecreases: decreases)
    }

    /// Slow start at 5 (four first tokens at full use), the fifth chat is turned away while
    /// four stream: the server holds 4, so 4 (not 5 × 0.9 = 4.5, which would admit 4 too but
    /// leave the next x0.9 at 4.05), and slow start is over.
    func testARejectionTakesTheLimitToTheRequestsTheServerAccepted() {
        var controller = AIMDController(maximum: 16)
        for inFlight in 1...4 { _ = controller.observeFirstToken(token(inFlight: inFlight, queued: 12), at: 0) }
        XCTAssertEqual(controller.limit, 5)
        XCTAssertEqual(controller.observe(rejected(503, accepted: 4, after: 0), at: 1),
                       LimitChange(direction: .down, reason: .busy, from: 5, to: 4, at: 1))
        XCTAssertFalse(controller.inSlowStart)
        XCTAssertEqual(controller.decreases, 1)
        XCTAssertNil(controller.observeFirstToken(token(inFlight: 4, queued: 12), at: 2))
    }

    /// From 16, a rejection while 4 of ours stream takes it to 4 at once (x0.9 alone: 14.4);
    /// where the back-off is lower it wins (5 × 0.9 = 4.5 < 5); none accepted still leaves 1.
    func testTheAcceptedCountOrTheBackoffWhicheverIsLowerAndNeverBelowOne() {
        var opening = AIMDController(settings: AutoSizing(initialLimit: 16), maximum: 16)
        XCTAssertEqual(opening.observe(rejected(429, accepted: 4, after: 0), at: 0)?.to, 4)
        var lower = AIMDController(settings: AutoSizing(initialLimit: 5), maximum: 16)
        XCTAssertEqual(lower.observe(rejected(429, accepted: 5, after: 0), at: 0)?.to ?? 0, 4.5, accuracy: 1e-12)
        var none = AIMDController(settings: AutoSizing(initialLimit: 8), maximum: 16)
        XCTAssertEqual(none.observe(rejected(503, accepted: 0, after: 0), at: 0)?.to, 1)
    }

    /// The opening burst of a pool started at 16 against 4 slots: twelve rejections of chats
    /// all sent before the first decrease are one decrease (to 4), not twelve (to 4.5 and
    /// then on down as they pile up); a rejection of a chat sent after it is news again.
    func testRejectionsOfRequestsSentUnderTheOldLimitDoNotPileUp() {
        var controller = AIMDController(settings: AutoSizing(initialLimit: 16), maximum: 16)
        var changes: [LimitChange] = []
        for second in 0..<12 {
            if let change = controller.observe(rejected(429, accepted: 4, after: 0), at: Double(second)) {
                changes.append(change)
            }
        }
        XCTAssertEqual(changes, [LimitChange(direction: .down, reason: .rateLimited, from: 16, to: 4, at: 0)])
        XCTAssertEqual(controller.decreases, 1)
        XCTAssertEqual(controller.observe(rejected(429, accepted: 3, after: 0), at: 12)?.to, 3,
                       "an old rejection still caps at the accepted count")
        XCTAssertEqual(controller.observe(rejected(429, accepted: 3, after: 2), at: 13)?.to ?? 0, 2.7, accuracy: 1e-12)
    }

    // MARK: Probe back-off

    /// At 4 (a server with 4 slots), a full round raises it to 5 and the probe is turned away
    /// (back to 4): the next probe waits two rounds (8 good), the one after that four (16).
    func testEachFailedProbeDoublesTheRoundsBeforeTheNext() {
        var controller = AIMDController(settings: AutoSizing(initialLimit: 4), maximum: 16)
        for _ in 0..<3 { _ = controller.observe(ok(inFlight: 4, queued: 5), at: 1) }
        XCTAssertEqual(controller.observe(ok(inFlight: 4, queued: 5), at: 1)?.to, 5)
        XCTAssertEqual(controller.observe(rejected(503, accepted: 4, after: 0), at: 2)?.to, 4)
        XCTAssertEqual(controller.roundsPerIncrease, 2)
        for _ in 0..<7 { XCTAssertNil(controller.observe(ok(inFlight: 4, queued: 5), at: 3)) }
        XCTAssertEqual(controller.observe(ok(inFlight: 4, queued: 5), at: 3)?.to, 5)
        XCTAssertEqual(controller.observe(rejected(503, accepted: 4, after: 1), at: 4)?.to, 4)
        XCTAssertEqual(controller.roundsPerIncrease, 4)
        for _ in 0..<15 { XCTAssertNil(controller.observe(ok(inFlight: 4, queued: 5), at: 5)) }
        XCTAssertEqual(controller.observe(ok(inFlight: 4, queued: 5), at: 5)?.to, 5)
    }

    /// A probe that holds for a full round at the new level, or a quiet minute after the last
    /// loss, makes the next increase wait one round again.
    func testAProbeThatHoldsOrAQuietMinuteProbesEveryRoundAgain() {
        var held = AIMDController(settings: AutoSizing(initialLimit: 4), maximum: 16)
        for _ in 0..<4 { _ = held.observe(ok(inFlight: 4, queued: 5), at: 0) }
        _ = held.observe(rejected(503, accepted: 4, after: 0), at: 0)
        for _ in 0..<8 { _ = held.observe(ok(inFlight: 4, queued: 5), at: 1) }
        XCTAssertEqual(held.limit, 5)
        XCTAssertEqual(held.roundsPerIncrease, 2)
        for _ in 0..<4 { XCTAssertNil(held.observe(ok(inFlight: 5, queued: 5), at: 2)) }
        XCTAssertEqual(held.observe(ok(inFlight: 5, queued: 5), at: 2)?.to, 6, "5 held a round: one round for 6")
        XCTAssertEqual(held.roundsPerIncrease, 1)

        var quiet = AIMDController(settings: AutoSizing(initialLimit: 4), maximum: 16)
        for _ in 0..<4 { _ = quiet.observe(ok(inFlight: 4, queued: 5), at: 0) }
        _ = quiet.observe(rejected(503, accepted: 4, after: 0), at: 10)
        for _ in 0..<3 { XCTAssertNil(quiet.observe(ok(inFlight: 4, queued: 5), at: 70)) }
        XCTAssertEqual(quiet.observe(ok(inFlight: 4, queued: 5), at: 70)?.to, 5, "60 s without a loss")
    }
}
