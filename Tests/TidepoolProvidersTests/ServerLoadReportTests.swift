import TestSupport
import TidepoolPool
import TidepoolProviders
import XCTest

/// A server's monitoring snapshot reaches its auto-sized pool.
final class ServerLoadReportTests: XCTestCase {
    func testSlotsAndWaitingFromASnapshotMoveTheLimit() async throws {
        let server = try ScriptedHTTPServer()
        defer { server.stop() }
        let manager = PoolManager(defaultLimits: PoolLimits(maxConnections: 8))
        defer { manager.shutdown() }
        let origin = Origin(scheme: "http", host: "127.0.0.1", port: server.port)
        manager.setAutoSizing(AutoSizing(initialLimit: 8), for: origin)  // From 8: room to cap.
        _ = try await manager.send(HTTPRequest(url: server.url("/ok")))
        var snapshot = ServerSnapshot()
        manager.report(snapshot, for: origin)  // tells nothing: no change
        snapshot.slotsTotal = 4
        snapshot.requestsWaiting = 1
        manager.report(snapshot, for: origin)
        var pool = manager.stats().pool(for: origin)
        for _ in 0..<1000 where pool?.limitChanges.count != 2 {
            try await Task.sleep(for: .milliseconds(2))
            pool = manager.stats().pool(for: origin)
        }
        XCTAssertEqual(pool?.limitChanges, [
            LimitChange.Key(direction: .down, reason: .serverSlots): 1,
            LimitChange.Key(direction: .down, reason: .serverQueue): 1,
        ])
        XCTAssertEqual(pool?.concurrencyLimit ?? 0, 3.6, accuracy: 1e-9)
    }
}
