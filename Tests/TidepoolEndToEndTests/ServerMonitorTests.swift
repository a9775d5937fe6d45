import Synchronization
import TidepoolChat
import TidepoolPool
import TidepoolProviders
import TidepoolSim
import XCTest

/// The server monitor against the simulator on loopback, driven by explicit polls on a clock
/// of the test's own (no timer, no sleeps deciding anything).
final class ServerMonitorTests: XCTestCase {
    private var server: SimServer!
    private var origin: String!

    private func start(_ config: SimConfig) async throws {
        server = SimServer(config: config)
        let port = try await server.start()
        origin = "http://127.0.0.1:\(port)"
    }

    override func tearDown() async throws {
        await server?.stop()
    }

    /// Collects what the monitor posts.
    private final class Readings: Sendable {
        private let list = Mutex<[(Origin, ServerReading)]>([])
        func post(_ message: AppMessage) {
            if case .serverReading(let origin, let reading) = message { list.withLock { $0.append((origin, reading)) } }
        }
        var all: [(Origin, ServerReading)] { list.withLock { $0 } }
        var last: ServerReading? { all.last?.1 }
    }

    private func provider(_ name: String = "sim", pool: PoolManager) throws -> Provider {
        try ProviderCatalog.builtIn(simulatorOrigin: origin).provider(named: name, transport: pool)
    }

    private func monitorRequests(_ pool: PoolManager, _ provider: Provider) -> Int {
        pool.stats().pool(for: provider.origin)?.requestsByPurpose[.monitor] ?? 0
    }

    func testPollsOnlyWhileAServerIsInUseAtMostOnceASecond() async throws {
        try await start(SimConfig(slots: 2))
        let pool = PoolManager()
        let readings = Readings()
        let monitor = ServerMonitor(transport: pool, post: readings.post, clock: { 0 }, runsTimer: false)
        let sim = try provider(pool: pool)

        // Nothing sent yet: nothing is polled.
        var polled = await monitor.poll(now: 0)
        XCTAssertEqual(polled, [])
        XCTAssertNil(pool.stats().pool(for: sim.origin))

        monitor.requestStarted(sim)
        polled = await monitor.poll(now: 0)
        XCTAssertEqual(polled, [sim.origin])
        let first = try XCTUnwrap(readings.last)
        XCTAssertEqual(first.snapshot.slotsTotal, 2)
        XCTAssertEqual(first.snapshot.slotsBusy, 0)
        XCTAssertEqual(first.snapshot.models?.count, SimConfig().models.count, "the simulator's /api/ps")
        XCTAssertNil(first.problem)
        XCTAssertEqual(monitorRequests(pool, sim), 3, "/slots, /props and /api/ps")

        // Within the second: no new poll. A second later: /props is not asked again (steady).
        polled = await monitor.poll(now: 0.5)
        XCTAssertEqual(polled, [])
        polled = await monitor.poll(now: 1)
        XCTAssertEqual(polled, [sim.origin])
        XCTAssertEqual(monitorRequests(pool, sim), 5)
        XCTAssertEqual(readings.last?.snapshot.slotsTotal, 2, "the slot count kept from the first /props")

        // The chat ends (on the test's clock at 0): polled for a minute after, then not.
        monitor.requestEnded(sim)
        polled = await monitor.poll(now: 59)
        XCTAssertEqual(polled, [sim.origin])
        polled = await monitor.poll(now: 60.5)
        XCTAssertEqual(polled, [])
        XCTAssertEqual(monitor.activeOrigins(now: 60.5), [])
        // Monitoring polls are counted under the origin yet left out of its latencies.
        let stats = try XCTUnwrap(pool.stats().pool(for: sim.origin))
        XCTAssertEqual(stats.monitorFinished, 7)
        XCTAssertEqual(stats.latency(.total).count, 0)
        XCTAssertEqual(stats.recent.requests, 0)
        await pool.closeAll()
    }

    func testShowsLiveSlotUseAndWaitingNeverQueuesBehindTheStream() async throws {
        try await start(SimConfig(slots: 1))
        let pool = PoolManager()
        let readings = Readings()
        let monitor = ServerMonitor(transport: pool, post: readings.post, clock: { 0 }, runsTimer: false)
        let sim = try provider(pool: pool)
        // The pool admits one chat at a time, and that one stalls in the server's only slot.
        pool.setConcurrencyLimit(1, for: sim.origin)
        monitor.requestStarted(sim)
        let stalled = Task {
            for try await _ in sim.stream(ChatRequest(model: "fault-stall", messages: [ChatMessage(role: .user, text: "hi")])) {}
        }
        for _ in 0..<1000 where server.slotUsage?.busy != 1 { try await Task.sleep(for: .milliseconds(5)) }
        XCTAssertEqual(server.slotUsage?.busy, 1)
        await monitor.poll(now: 0)
        let reading = try XCTUnwrap(readings.last)
        XCTAssertEqual(reading.snapshot.slotsBusy, 1)
        XCTAssertEqual(reading.snapshot.slotsTotal, 1)
        XCTAssertEqual(reading.snapshot.summary, "slots 1/1 busy")
        stalled.cancel()
        _ = try? await stalled.value
        await pool.closeAll()
    }

    func testAServerWithoutSlotEndpointsIsAskedOnlyForWhatItAnswers() async throws {
        try await start(SimConfig(slots: 2, exposesSlots: false))
        let pool = PoolManager()
        let readings = Readings()
        let monitor = ServerMonitor(transport: pool, post: readings.post, clock: { 0 }, runsTimer: false)
        let sim = try provider(pool: pool)
        monitor.requestStarted(sim)
        await monitor.poll(now: 0)
        XCTAssertEqual(monitorRequests(pool, sim), 3)
        XCTAssertNil(readings.last?.snapshot.slotsTotal, "501 is no data, not zero")
        XCTAssertNotNil(readings.last?.snapshot.models)
        XCTAssertNil(readings.last?.problem, "one endpoint answered")
        await monitor.poll(now: 1)
        XCTAssertEqual(monitorRequests(pool, sim), 4, "the endpoints that answered 501 are left alone")
        await pool.closeAll()
    }

    func testAServerThatIsDownReadsAsAProblemNotAsNumbers() async throws {
        try await start(SimConfig())
        let pool = PoolManager()
        let readings = Readings()
        let monitor = ServerMonitor(transport: pool, post: readings.post, clock: { 0 }, runsTimer: false)
        let sim = try provider(pool: pool)
        await server.stop()
        monitor.requestStarted(sim)
        await monitor.poll(now: 0)
        let reading = try XCTUnwrap(readings.last)
        XCTAssertTrue(reading.snapshot.isEmpty)
        XCTAssertNotNil(reading.problem)
        await pool.closeAll()
    }

    /// The timer exists only while a server is in use and ends by itself afterwards.
    func testTheTimerStopsWhenNothingIsActive() async throws {
        try await start(SimConfig())
        let pool = PoolManager()
        let readings = Readings()
        let now = Mutex<Double>(0)
        let monitor = ServerMonitor(transport: pool, post: readings.post, clock: { now.withLock { $0 } })
        let sim = try provider(pool: pool)
        XCTAssertFalse(monitor.isTicking)
        monitor.requestStarted(sim)
        XCTAssertTrue(monitor.isTicking)
        for _ in 0..<400 where readings.all.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        XCTAssertFalse(readings.all.isEmpty, "the timer polled")
        monitor.requestEnded(sim)
        now.withLock { $0 = 1000 }
        for _ in 0..<400 where monitor.isTicking { try await Task.sleep(for: .milliseconds(5)) }
        XCTAssertFalse(monitor.isTicking, "no timer once nothing is active")
        await pool.closeAll()
    }

    /// A pane whose request waits in the pool's queue hears "queued", then "connecting" when
    /// the pool admits it.
    func testARequestWaitingInThePoolIsReportedQueued() async throws {
        try await start(SimConfig())
        let pool = PoolManager()
        let messages = Mutex<[AppMessage]>([])
        var directory = ProviderDirectory()
        let sim = try provider(pool: pool)
        directory.register("sim", sim)
        pool.setConcurrencyLimit(1, for: sim.origin)
        let runtime = ChatRuntime(directory: directory, pool: pool) { message in messages.withLock { $0.append(message) } }
        let hold = ChatRequest(model: "fault-stall", messages: [ChatMessage(role: .user, text: "hi")])
        runtime.perform(.startChat(pane: 1, requestID: 1, provider: "sim", request: hold))
        for _ in 0..<1000 where pool.stats().pool(for: sim.origin)?.inFlight != 1 {
            try await Task.sleep(for: .milliseconds(5))
        }
        let quick = ChatRequest(model: "sim-fast:instant", messages: [ChatMessage(role: .user, text: "hi")])
        runtime.perform(.startChat(pane: 2, requestID: 2, provider: "sim", request: quick))
        func progress() -> [PaneStatus] {
            messages.withLock { list in
                list.compactMap { if case .chatProgress(2, 2, let status) = $0 { status } else { nil } }
            }
        }
        for _ in 0..<1000 where progress().isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        XCTAssertEqual(progress(), [.queued])
        XCTAssertTrue(messages.withLock { $0.allSatisfy { if case .chatProgress(1, _, _) = $0 { false } else { true } } },
                      "the request admitted at once hears nothing")
        runtime.perform(.cancelChat(requestID: 1))
        for _ in 0..<1000 where progress().count < 2 { try await Task.sleep(for: .milliseconds(5)) }
        XCTAssertEqual(progress(), [.queued, .connecting])
        runtime.cancelAll()
        await pool.closeAll()
    }
}
