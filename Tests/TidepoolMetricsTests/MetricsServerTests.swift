import TestSupport
import TidepoolPool
import TidepoolStore
import XCTest
@testable import TidepoolMetrics

/// The endpoint itself: `GET /metrics` with the text format's content type, 404 elsewhere, a
/// port in use as a typed error naming the address, and a clean stop.
final class MetricsServerTests: XCTestCase {
    func testServesMetricsAnd404sEverythingElse() async throws {
        let pool = PoolManager()
        defer { pool.shutdown() }
        let exporter = PoolMetricsExporter(pool: pool)
        exporter.attach(to: pool)
        let server = MetricsServer(exporter: exporter, address: MetricsListenAddress(host: "127.0.0.1", port: 0))
        let port = try await server.start()
        XCTAssertEqual(server.port, port)
        // The scrape goes through the pool it describes, so its own request shows up next time.
        let first = try await pool.send(HTTPRequest(url: "http://127.0.0.1:\(port)/metrics"))
        XCTAssertEqual(first.head.status, 200)
        XCTAssertEqual(first.head.headers.value(for: "Content-Type"), "text/plain; version=0.0.4; charset=utf-8")
        let second = try await pool.send(HTTPRequest(url: "http://127.0.0.1:\(port)/metrics"))
        let parsed = try ParsedExposition(second.body)
        XCTAssertEqual(parsed.sum("tidepool_pool_requests_total", ["server_port": String(port), "outcome": "ok"]), 1)
        let missing = try await pool.send(HTTPRequest(url: "http://127.0.0.1:\(port)/"))
        XCTAssertEqual(missing.head.status, 404)
        let other = try await pool.send(HTTPRequest(url: "http://127.0.0.1:\(port)/metrics/x"))
        XCTAssertEqual(other.head.status, 404)

        await server.stop()
        XCTAssertNil(server.port)
        do {
            _ = try await pool.send(HTTPRequest(url: "http://127.0.0.1:\(port)/metrics", freshConnection: true))
            XCTFail("the stopped server still answered")
        } catch let error as PoolError {
            XCTAssertEqual(error.kind, .refused)
        }
    }

    func testAPortInUseIsATypedErrorThatSaysWhatToDo() async throws {
        let exporter = PoolMetricsExporter(stats: { nil })
        let first = MetricsServer(exporter: exporter, address: MetricsListenAddress(host: "127.0.0.1", port: 0))
        let port = try await first.start()
        let address = MetricsListenAddress(host: "127.0.0.1", port: port)
        let second = MetricsServer(exporter: exporter, address: address)
        do {
            try await second.start()
            XCTFail("two servers listened on one port")
        } catch {
            XCTAssertEqual(error, .addressInUse(address))
            XCTAssertTrue(error.description.contains("127.0.0.1:\(port)"))
            XCTAssertTrue(error.description.contains("--metrics-listen"))
        }
        await first.stop()
        await second.stop()
    }
}
