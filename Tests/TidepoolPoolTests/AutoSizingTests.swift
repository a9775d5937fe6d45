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

    func testA429LowersTheLimitAndIsCounted() async throws {
        let manager = PoolManager(defaultLimits: PoolLimits(maxConnections: 4))
        manager.setAutoSizing(.standard, for: origin)
        let ok = try await manager.send(HTTPRequest(url: server.url("/ok")))
        XCTAssertEqual(ok.head.status, 200)
        var pool = try XCTUnwrap(manager.stats().pool(for: origin))
        XCTAssertTrue(pool.autoSized)
        XCTAssertEqual(pool.concurrencyLimit, 4, "starts at the maximum")
        XCTAssertNil(pool.lastLimitChange)

        let rejected = try await manager.send(HTTPRequest(url: server.url("/status?code=429")))
        XCTAssertEqual(rejected.head.status, 429)
        pool = try XCTUnwrap(manager.stats().pool(for: origin))
        XCTAssertEqual(pool.concurrencyLimit ?? 0, 3.6, accuracy: 1e-9)
        XCTAssertEqual(pool.admissionLimit, 3)
        XCTAssertEqual(pool.lastLimitChange?.direction, .down)
        XCTAssertEqual(pool.lastLimitChange?.reason, .rateLimited)
        XCTAssertEqual(pool.limitChanges, [LimitChange.Key(direction: .down, reason: .rateLimited): 1])

        _ = try await manager.send(HTTPRequest(url: server.url("/status?code=503")))
        pool = try XCTUnwrap(manager.stats().pool(for: origin))
        XCTAssertEqual(pool.concurrencyLimit ?? 0, 3.24, accuracy: 1e-9)
        XCTAssertEqual(pool.limitChanges[LimitChange.Key(direction: .down, reason: .busy)], 1)
        XCTAssertEqual(manager.stats().total.limitChanges.values.reduce(0, +), 2, "the total adds them up")
        await manager.closeAll()
    }

    func testMonitoringAndDiscoveryNeverMoveIt() async throws {
        let manager = PoolManager(defaultLimits: PoolLimits(maxConnections: 4))
        manager.setAutoSizing(.standard, for: origin)
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
        manager.setAutoSizing(.standard, for: origin)
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
