import TestSupport
import TidepoolPool
import XCTest
@testable import TidepoolMetrics

/// `tidepool_pool_limit_changes_total` from an auto-sized pool's counts, read back by
/// Python's `prometheus_client` parser.
final class LimitChangeMetricsTests: XCTestCase {
    func testEachMoveOfTheLimitIsCountedByDirectionAndReason() async throws {
        let server = try ScriptedHTTPServer()
        defer { server.stop() }
        let pool = PoolManager(defaultLimits: PoolLimits(maxConnections: 4))
        defer { pool.shutdown() }
        let exporter = PoolMetricsExporter(pool: pool)
        let origin = Origin(scheme: "http", host: "127.0.0.1", port: server.port)
        pool.setAutoSizing(.standard, for: origin)
        for code in [429, 429, 503] {
            _ = try await pool.send(HTTPRequest(url: server.url("/status?code=\(code)")))
        }
        let parsed = try ParsedExposition(exporter.scrape())
        let name = "tidepool_pool_limit_changes_total"
        XCTAssertEqual(parsed.sum(name, ["direction": "down", "reason": "429", "pool": origin.description]), 2)
        XCTAssertEqual(parsed.sum(name, ["direction": "down", "reason": "503"]), 1)
        XCTAssertEqual(parsed.sum(name, ["direction": "up"]), 0)
        // 4 × 0.9³ = 2.9: two admitted at once.
        XCTAssertEqual(parsed.sum("tidepool_pool_concurrency_limit"), 2)
    }
}
