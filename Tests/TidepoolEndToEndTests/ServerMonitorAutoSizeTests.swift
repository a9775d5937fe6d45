import TidepoolChat
import TidepoolPool
import TidepoolProviders
import TidepoolSim
import XCTest

/// What the server monitor reads reaches the auto-sized pool of the server it watches.
final class ServerMonitorAutoSizeTests: XCTestCase {
    func testTheServersSlotCountCapsItsPoolsLimit() async throws {
        let server = SimServer(config: SimConfig(slots: 2))
        let port = try await server.start()
        let origin = "http://127.0.0.1:\(port)"
        let catalog = ProviderCatalog.builtIn(simulatorOrigin: origin)
        let pool = PoolManager()
        catalog.applyLimits(to: pool)  // The simulator is local: auto sizing on, slow start from 1.
        let sim = try catalog.provider(named: "sim", transport: pool)
        let monitor = ServerMonitor(transport: pool, post: { _ in }, clock: { 0 }, runsTimer: false)
        monitor.requestStarted(sim)
        let polled = await monitor.poll(now: 0)
        XCTAssertEqual(polled, [sim.origin])
        var stats = pool.stats().pool(for: sim.origin)
        for _ in 0..<1000 where stats?.concurrencyLimit != 2 {
            try await Task.sleep(for: .milliseconds(2))
            stats = pool.stats().pool(for: sim.origin)
        }
        XCTAssertEqual(stats?.concurrencyLimit, 2)
        XCTAssertEqual(stats?.lastLimitChange?.reason, .serverSlots)
        // In slow start the slots are where it starts (up from 1; an explicit start above them
        // would be capped down: AutoSizingTests.testTheServersReportCapsAndLowersIt).
        XCTAssertEqual(stats?.limitChanges, [LimitChange.Key(direction: .up, reason: .serverSlots): 1])
        monitor.requestEnded(sim)
        await pool.closeAll()
        await server.stop()
    }
}
