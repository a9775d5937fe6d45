import Foundation
import TidepoolSim
import XCTest

/// Slots and the three overflow behaviours over real loopback connections. A slot is held by a
/// `fault-stall` answer (half its tokens, then silence until the client hangs up): once its
/// first half has arrived the slot is certainly taken, so nothing here depends on timing luck.
final class SimServerSlotsTests: XCTestCase {
    private var server: SimServer!
    private var port = 0

    private func start(_ config: SimConfig) async throws {
        server = SimServer(config: config)
        port = try await server.start()
    }

    override func tearDown() async throws {
        await server?.stop()
    }

    private let stallBody = #"{"model":"fault-stall:instant","stream":true,"messages":[{"role":"user","content":"hi"}]}"#
    private let instantBody = #"{"model":"sim-fast:instant","stream":true,"messages":[{"role":"user","content":"hi"}]}"#

    /// A connection whose stalled answer holds one slot until it is released (set to nil).
    private func holdSlot() async throws -> RawHTTPConnection {
        let holder = try RawHTTPConnection(port: port, timeout: 0.3)
        let partial = try await holder.exchange("POST", "/v1/chat/completions", body: stallBody)
        XCTAssertEqual(partial.status, 200)
        XCTAssertEqual(partial.ending, .timedOut, "the stalled answer holds its slot")
        return holder
    }

    /// Waits (bounded, by asking the server) until `condition` holds on its slot use.
    private func waitForUsage(_ condition: ((busy: Int, waiting: Int)) -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if let usage = server.slotUsage, condition(usage) { return }
            try await Task.sleep(for: .milliseconds(5))
        }
        XCTFail("slot use never reached the expected state: \(String(describing: server.slotUsage))")
    }

    private func slots() async throws -> [[String: Any]] {
        let response = try await RawHTTPConnection(port: port).exchange("GET", "/slots")
        XCTAssertEqual(response.status, 200)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(response.body)) as? [[String: Any]])
    }

    func testReject429WhenEverySlotIsBusyThenServesOnceOneFrees() async throws {
        try await start(SimConfig(slots: 1, overflow: .reject429))
        var holder: RawHTTPConnection? = try await holdSlot()
        let busySlots = try await slots()
        XCTAssertEqual(busySlots.count, 1)
        XCTAssertEqual(busySlots[0]["is_processing"] as? Bool, true)
        XCTAssertNotNil(busySlots[0]["id_task"])
        let props = try await RawHTTPConnection(port: port).exchange("GET", "/props")
        XCTAssertEqual((WireParsing.object(props.body)?["total_slots"] as? Int), 1)

        let rejected = try await RawHTTPConnection(port: port).exchange("POST", "/v1/chat/completions", body: instantBody)
        XCTAssertEqual(rejected.status, 429)
        XCTAssertEqual(rejected.header("retry-after"), "1")

        holder = nil  // hanging up ends the stall and frees the slot
        _ = holder
        try await waitForUsage { $0.busy == 0 }
        let freed = try await slots()
        XCTAssertEqual(freed.first?["is_processing"] as? Bool, false)
        let served = try await RawHTTPConnection(port: port).exchange("POST", "/v1/chat/completions", body: instantBody)
        XCTAssertEqual(served.status, 200)
        XCTAssertEqual(served.ending, .complete)
    }

    func testBusy503InOllamasWords() async throws {
        try await start(SimConfig(slots: 1, overflow: .busy503))
        let holder = try await holdSlot()
        let busy = try await RawHTTPConnection(port: port).exchange(
            "POST", "/api/chat", body: #"{"model":"sim-fast:instant","messages":[{"role":"user","content":"hi"}]}"#)
        XCTAssertEqual(busy.status, 503)
        XCTAssertEqual(
            WireParsing.object(busy.body)?["error"] as? String,
            "server busy, please try again.  maximum pending requests exceeded")
        XCTAssertEqual(server.slotUsage?.busy, 1)
        withExtendedLifetime(holder) {}
    }

    func testWaitQueuesAtTheServerUntilASlotFrees() async throws {
        try await start(SimConfig(slots: 1, overflow: .wait))
        var holder: RawHTTPConnection? = try await holdSlot()
        let waiter = try RawHTTPConnection(port: port)
        try waiter.send("POST", "/v1/chat/completions", body: instantBody)
        try await waitForUsage { $0.busy == 1 && $0.waiting == 1 }

        holder = nil
        _ = holder
        let response = try await RawHTTPConnection.offPool { try waiter.readResponse() }
        XCTAssertEqual(response.status, 200, "the queued request is served, not rejected")
        XCTAssertEqual(response.ending, .complete)
        XCTAssertTrue(WireParsing.sse(response.body).contains { $0.data == "[DONE]" })
        try await waitForUsage { $0.busy == 0 && $0.waiting == 0 }
    }

    /// A request that waited for a slot gets its first token the model's delay after the slot
    /// freed, not at once (pacing from arrival would let it catch up in a burst): the slot is
    /// held for 0.4 s, longer than the 0.3 s delay, so only pacing from the slot can pass.
    func testAQueuedAnswerStartsItsClockWhenItGetsTheSlot() async throws {
        let paced = SimModel(name: "paced", timeToFirstToken: .milliseconds(300), tokensPerSecond: .infinity, answerTokens: 3)
        try await start(SimConfig(models: SimModel.faults + [paced], slots: 1, overflow: .wait))
        var holder: RawHTTPConnection? = try await holdSlot()
        let waiter = try RawHTTPConnection(port: port)
        try waiter.send("POST", "/v1/chat/completions",
                        body: #"{"model":"paced","stream":true,"messages":[{"role":"user","content":"hi"}]}"#)
        try await waitForUsage { $0.busy == 1 && $0.waiting == 1 }
        try await Task.sleep(for: .milliseconds(400))
        let released = ContinuousClock.now
        holder = nil
        _ = holder
        let response = try await RawHTTPConnection.offPool { try waiter.readResponse() }
        XCTAssertEqual(response.status, 200)
        XCTAssertGreaterThanOrEqual(ContinuousClock.now - released, .milliseconds(290))
    }

    func testHiddenSlotEndpointsAnswerLikeNoSlotsAndUnlimitedHasNone() async throws {
        for config in [SimConfig(slots: 4, exposesSlots: false), SimConfig()] {
            try await start(config)
            for path in ["/slots", "/props"] {
                let response = try await RawHTTPConnection(port: port).exchange("GET", path)
                XCTAssertEqual(response.status, 501, path)
                let error = WireParsing.object(response.body)?["error"] as? [String: Any]
                XCTAssertEqual(error?["type"] as? String, "not_supported_error", path)
            }
            await server.stop()
            server = nil
        }
    }

    func testOllamaProcessesListsTheModelsInTheRecordedShape() async throws {
        try await start(SimConfig(models: [.fast]))
        let response = try await RawHTTPConnection(port: port).exchange("GET", "/api/ps")
        XCTAssertEqual(response.status, 200)
        let models = try XCTUnwrap(WireParsing.object(response.body)?["models"] as? [[String: Any]])
        XCTAssertEqual(models.count, 1)
        XCTAssertEqual(models[0]["name"] as? String, "sim-fast:latest")
        XCTAssertEqual(models[0]["context_length"] as? Int, 4096)
        XCTAssertEqual(models[0]["size_vram"] as? Int, models[0]["size"] as? Int)
        XCTAssertNotNil(models[0]["expires_at"] as? String)
    }
}

/// Slots of one model's own.
final class SimServerModelSlotsTests: XCTestCase {
    private let stallBody = #"{"model":"fault-stall:instant","stream":true,"messages":[{"role":"user","content":"hi"}]}"#

    /// `fault-stall` has one slot of its own and the server none: a second stalled answer is
    /// turned away while the slot is held, and another model is not limited at all.
    func testAModelWithItsOwnSlotsOverflowsAloneAndOthersAreFree() async throws {
        let models = SimModel.defaults.map { $0.name == "fault-stall" ? $0.withSlots(1) : $0 }
        let server = SimServer(config: SimConfig(models: models, overflow: .busy503))
        let port = try await server.start()
        let holder = try RawHTTPConnection(port: port, timeout: 0.3)
        let partial = try await holder.exchange("POST", "/v1/chat/completions", body: stallBody)
        XCTAssertEqual(partial.ending, .timedOut, "the stalled answer holds the model's slot")
        let second = try await RawHTTPConnection(port: port).exchange("POST", "/v1/chat/completions", body: stallBody)
        XCTAssertEqual(second.status, 503)
        let other = try await RawHTTPConnection(port: port).exchange(
            "POST", "/v1/chat/completions",
            body: #"{"model":"sim-fast:instant","stream":true,"messages":[{"role":"user","content":"hi"}]}"#)
        XCTAssertEqual(other.status, 200)
        XCTAssertNil(server.slotUsage, "the server itself has no slots")
        _ = holder
        await server.stop()
    }
}
