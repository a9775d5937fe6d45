import TestSupport
import TidepoolPool
import XCTest

/// Auto sizing through a real pool: what feeds the controller, what the stats show.
final class AutoSizingTests: XCTestCase {
    private var server: ScriptedHTTPServer!

    override func setUp() async throws {
        server = try ScriptedHTTPServer()
    }

    override func tearDown() async throws {
        server.stop()
    }

    private var origin: Origin { Origin(scheme: "http", host: "127.0.0.1", port: server.port) }

    /// Waits (bounded) until the pool's stats satisfy `condition`; commands are posted, so a
    /// stats reader sees them a loop turn later.
    private func stats(
        _ manager: PoolManager, until condition: (PoolStats) -> Bool
    ) async throws -> PoolStats {
        for _ in 0..<1000 {
            if let pool = manager.stats().pool(for: origin), condition(pool) { return pool }
            try await Task.sleep(for: .milliseconds(2))
        }
        return try XCTUnwrap(manager.stats().pool(for: origin))
    }

    /// `count` streams of `/stall` (a head and one chunk, then silence) that stay in flight
    /// like answers being generated; the stream yields once per stream whose first body byte
    /// reached its reader. Cancelling a task ends its stream.
    private func heldStreams(
        _ manager: PoolManager, _ count: Int
    ) -> (tasks: [Task<Void, Never>], firstBodies: AsyncStream<Void>) {
        let (firstBodies, continuation) = AsyncStream<Void>.makeStream()
        let url = server.url("/stall")
        let tasks = (0..<count).map { _ in
            Task {
                var seen = false
                do {
                    for try await event in manager.stream(HTTPRequest(url: url)) {
                        if case .body = event, !seen {
                            seen = true
                            continuation.yield()
                        }
                    }
                } catch {}
            }
        }
        return (tasks, firstBodies)
    }

    /// From an explicit 4, a 429 while two chats of ours stream (the server holds two) takes
    /// the limit to 2, not 4 × 0.9 = 3.6; once one of them ended, a 503 sent after that
    /// decrease is news again: 2 × 0.9 = 1.8, but the server holds one, so 1. Both counted.
    func testA429TakesTheLimitToTheChatsTheServerHoldsAndIsCounted() async throws {
        let manager = PoolManager(defaultLimits: PoolLimits(maxConnections: 4))
        manager.setAutoSizing(AutoSizing(initialLimit: 4), for: origin)
        let (streaming, firstBodies) = heldStreams(manager, 2)
        var arrived = firstBodies.makeAsyncIterator()
        for _ in 0..<2 { _ = await arrived.next() }  // Both have their first chunk.
        var pool = try XCTUnwrap(manager.stats().pool(for: origin))
        XCTAssertTrue(pool.autoSized)
        XCTAssertEqual(pool.concurrencyLimit, 4, "an explicit start")
        XCTAssertNil(pool.lastLimitChange)

        let rejected = try await manager.send(HTTPRequest(url: server.url("/status?code=429")))
        XCTAssertEqual(rejected.head.status, 429)
        pool = try XCTUnwrap(manager.stats().pool(for: origin))
        XCTAssertEqual(pool.concurrencyLimit, 2)
        XCTAssertEqual(pool.admissionLimit, 2)
        XCTAssertEqual(pool.lastLimitChange?.direction, .down)
        XCTAssertEqual(pool.lastLimitChange?.reason, .rateLimited)
        XCTAssertEqual(pool.limitChanges, [LimitChange.Key(direction: .down, reason: .rateLimited): 1])

        streaming[0].cancel()  // One of the two ends.
        pool = try await stats(manager) { $0.inFlight == 1 }
        XCTAssertEqual(pool.inFlight, 1)
        _ = try await manager.send(HTTPRequest(url: server.url("/status?code=503")))
        pool = try XCTUnwrap(manager.stats().pool(for: origin))
        XCTAssertEqual(pool.concurrencyLimit, 1)
        XCTAssertEqual(pool.limitChanges[LimitChange.Key(direction: .down, reason: .busy)], 1)
        XCTAssertEqual(manager.stats().total.limitChanges.values.reduce(0, +), 2, "the total adds them up")
        await manager.closeAll()
        for task in streaming { await task.value }
    }

    /// Slow start: three chats at a limit of 1; each first body byte at full use admits one
    /// more (1 → 2 → 3), and the third, arriving with all three in flight, makes it 4. (The
    /// limit moves before the body reaches its reader, so the stats show it by then.)
    func testSlowStartAdmitsOneMorePerFirstToken() async throws {
        let manager = PoolManager(defaultLimits: PoolLimits(maxConnections: 8))
        manager.setAutoSizing(.standard, for: origin)
        let (streaming, firstBodies) = heldStreams(manager, 3)
        var arrived = firstBodies.makeAsyncIterator()
        for _ in 0..<3 { _ = await arrived.next() }
        let pool = try XCTUnwrap(manager.stats().pool(for: origin))
        XCTAssertEqual(pool.limitChanges, [LimitChange.Key(direction: .up, reason: .slowStart): 3])
        XCTAssertEqual(pool.concurrencyLimit, 4)
        XCTAssertEqual(pool.lastLimitChange?.reason, .slowStart)
        await manager.closeAll()
        for task in streaming { await task.value }
    }

    /// Slow start at 1 with a second request queued behind one whose first body byte does not
    /// come (`/stepped` sends its head, then waits for a step): after the patience (1 s) the
    /// second is admitted anyway, so a server that answers only once several requests arrived
    /// cannot hold the pool at 1.
    func testSlowStartsPatienceAdmitsOneMoreWithoutAFirstToken() async throws {
        let manager = PoolManager(defaultLimits: PoolLimits(maxConnections: 8))
        manager.setAutoSizing(.standard, for: origin)
        let url = server.url("/stepped?chunks=1")
        let requests = (0..<2).map { _ in Task { _ = try? await manager.send(HTTPRequest(url: url)) } }
        let pool = try await stats(manager) { $0.inFlight == 2 }
        XCTAssertEqual(pool.inFlight, 2)
        XCTAssertEqual(pool.limitChanges, [LimitChange.Key(direction: .up, reason: .slowStart): 1])
        XCTAssertEqual(pool.concurrencyLimit, 2)
        await manager.closeAll()
        for request in requests { await request.value }
    }

    func testMonitoringAndDiscoveryNeverMoveIt() async throws {
        let manager = PoolManager(defaultLimits: PoolLimits(maxConnections: 4))
        manager.setAutoSizing(AutoSizing(initialLimit: 4), for: origin)
        for purpose in [RequestPurpose.monitor, .discovery] {
            let response = try await manager.send(HTTPRequest(url: server.url("/status?code=503"), purpose: purpose))
            XCTAssertEqual(response.head.status, 503)
        }
        let pool = try XCTUnwrap(manager.stats().pool(for: origin))
        XCTAssertEqual(pool.concurrencyLimit, 4)
        XCTAssertTrue(pool.limitChanges.isEmpty)
        // The same answer to a chat request does move it: the test above is not vacuous.
        _ = try await manager.send(HTTPRequest(url: server.url("/status?code=503")))
        XCTAssertEqual(manager.stats().pool(for: origin)?.limitChanges.values.reduce(0, +), 1)
        await manager.closeAll()
    }

    func testTheServersReportCapsAndLowersIt() async throws {
        let manager = PoolManager(defaultLimits: PoolLimits(maxConnections: 8))
        manager.setAutoSizing(AutoSizing(initialLimit: 8), for: origin)
        _ = try await manager.send(HTTPRequest(url: server.url("/ok")))
        manager.reportServerLoad(origin: origin, waiting: 0, slots: 3)
        var pool = try await stats(manager) { $0.concurrencyLimit == 3 }
        XCTAssertEqual(pool.concurrencyLimit, 3)
        XCTAssertEqual(pool.lastLimitChange?.reason, .serverSlots)
        manager.reportServerLoad(origin: origin, waiting: 2, slots: nil)
        pool = try await stats(manager) { $0.lastLimitChange?.reason == .serverQueue }
        XCTAssertEqual(pool.concurrencyLimit ?? 0, 2.7, accuracy: 1e-9)
        await manager.closeAll()
    }

    func testPinningGoesBackToTheFixedLimit() async throws {
        let manager = PoolManager(defaultLimits: PoolLimits(maxConnections: 8))
        manager.setConcurrencyLimit(2, for: origin)
        manager.setAutoSizing(AutoSizing(initialLimit: 6), for: origin)
        _ = try await manager.send(HTTPRequest(url: server.url("/ok")))
        var pool = try XCTUnwrap(manager.stats().pool(for: origin))
        XCTAssertEqual(pool.concurrencyLimit, 6)
        manager.setAutoSizing(nil, for: origin)
        pool = try await stats(manager) { !$0.autoSized }
        XCTAssertFalse(pool.autoSized)
        XCTAssertEqual(pool.concurrencyLimit, 2)
        await manager.closeAll()
    }

    /// Four requests at a limit of 2 (two in flight, two queued): a full round of good
    /// answers raises the limit to 3.
    func testFullUseRaisesIt() async throws {
        let manager = PoolManager(defaultLimits: PoolLimits(maxConnections: 8))
        manager.setAutoSizing(AutoSizing(initialLimit: 2, delaySlack: 5), for: origin)
        let url = server.url("/slow?ms=150")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 { group.addTask { _ = try await manager.send(HTTPRequest(url: url)) } }
            try await group.waitForAll()
        }
        let pool = try XCTUnwrap(manager.stats().pool(for: origin))
        XCTAssertEqual(pool.limitChanges[LimitChange.Key(direction: .up, reason: .fullUse)], 1)
        XCTAssertEqual(pool.concurrencyLimit, 3)
        await manager.closeAll()
    }
}
