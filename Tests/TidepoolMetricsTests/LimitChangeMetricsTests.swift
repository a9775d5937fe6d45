import TestSupport
import TidepoolPool
import XCTest
@testable import TidepoolMetrics

/// `tidepool_pool_limit_changes_total` from an auto-sized pool's counts, read back by
/// Python's `prometheus_client` parser.
final class LimitChangeMetricsTests: XCTestCase {
    /// Slow start from 1 with two chats that stay in flight (1 → 2 → 3, `up start` twice),
    /// then a 429 while the server holds those two (down to 2, `down 429`).
    func testEachMoveOfTheLimitIsCountedByDirectionAndReason() async throws {
        let server = try ScriptedHTTPServer()
        defer { server.stop() }
        let pool = PoolManager(defaultLimits: PoolLimits(maxConnections: 4))
        defer { pool.shutdown() }
        let exporter = PoolMetricsExporter(pool: pool)
        let origin = Origin(scheme: "http", host: "127.0.0.1", port: server.port)
        pool.setAutoSizing(.standard, for: origin)
        let (firstBodies, continuation) = AsyncStream<Void>.makeStream()
        let held = (0..<2).map { _ in
            Task {
                var seen = false
                do {
                    for try await event in pool.stream(HTTPRequest(url: server.url("/stall"))) {
                        if case .body = event, !seen {
                            seen = true
                            continuation.yield()
                        }
                    }
                } catch {}
            }
        }
        var arrived = firstBodies.makeAsyncIterator()
        for _ in 0..<2 { _ = await arrived.next() }
        _ = try await pool.send(HTTPRequest(url: server.url("/status?code=429")))
        let parsed = try ParsedExposition(exporter.scrape())
        let name = "tidepool_pool_limit_changes_total"
        XCTAssertEqual(parsed.sum(name, ["direction": "up", "reason": "start", "pool": origin.description]), 2)
        XCTAssertEqual(parsed.sum(name, ["direction": "down", "reason": "429", "pool": origin.description]), 1)
        XCTAssertEqual(parsed.sum(name, ["direction": "down", "reason": "503"]), 0)
        XCTAssertEqual(parsed.sum("tidepool_pool_concurrency_limit"), 2)
        await pool.closeAll()
        for task in held { await task.value }
    }
}
