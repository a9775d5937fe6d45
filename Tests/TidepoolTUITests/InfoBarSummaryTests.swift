@testable import TidepoolPool
@testable import TidepoolTUI
import XCTest

/// The one-line pool summary of a small terminal counts the user's requests, as the side
/// panel does: the server monitor's polls are left out.
final class InfoBarSummaryTests: XCTestCase {
    func testMonitoringPollsAreNotTheUsersRequests() {
        var pool = PoolStats(name: "sim", origin: Origin(scheme: "http", host: "127.0.0.1", port: 8080),
                             limits: PoolLimits(maxConnections: 6))
        pool.requestsStarted = 12
        pool.requestsFinished = 11
        pool.requestsFailed = 1
        pool.requestsByPurpose = [.chat: 4, .monitor: 8]
        pool.reusedConnections = 10
        pool.newConnections = 1
        var polls = PurposeCounts()
        polls.requests = 8
        polls.ok = 8
        polls.reused = 8
        pool.byPurpose = [.monitor: polls]
        let stats = PoolManagerStats(pools: [pool], total: pool)
        let line = InfoBarView.summary(stats, width: 200)
        XCTAssertTrue(line.contains("req 4 ok 3 failed 1"), line)
        XCTAssertTrue(line.contains("reuse 67%"), line)
    }
}
