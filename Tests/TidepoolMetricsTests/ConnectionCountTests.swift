import TestSupport
import TidepoolBench
import TidepoolPool
import TidepoolProviders
import TidepoolSim
import XCTest
@testable import TidepoolMetrics

/// Counted, never estimated: `tidepool_pool_connections_opened_total` summed for one host
/// equals the connections that host accepted, by the simulator's own count and by nginx's
/// `$connection` log, with chats, discovery probes and monitoring polls mixed.
final class ConnectionCountTests: XCTestCase {
    private func exported(_ exporter: PoolMetricsExporter, port: Int) throws -> (opened: Double, byPurpose: [String: Double]) {
        let parsed = try ParsedExposition(exporter.scrape())
        let samples = parsed.matching("tidepool_pool_connections_opened_total", ["server_port": String(port)])
        var byPurpose: [String: Double] = [:]
        for sample in samples { byPurpose[sample.labels["purpose", default: "?"], default: 0] += sample.value }
        return (samples.reduce(0) { $0 + $1.value }, byPurpose)
    }

    func testOpenedConnectionsEqualTheSimulatorsAcceptedConnections() async throws {
        let sim = SimServer()
        let port = try await sim.start()
        let pool = PoolManager()
        let exporter = PoolMetricsExporter(pool: pool)
        exporter.attach(to: pool)
        let base = "http://127.0.0.1:\(port)"
        let provider = try Provider(preset: .ollama, baseURL: base, transport: pool)
        // Eight chats at once over six connections at most, fresh-connection probes and polls.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<8 {
                group.addTask {
                    let request = ChatRequest(model: "sim-fast", messages: [ChatMessage(role: .user, text: "q\(index)")])
                    for try await _ in provider.stream(request) {}
                }
            }
            for index in 0..<4 {
                group.addTask {
                    _ = try await pool.send(HTTPRequest(url: base + "/api/tags", freshConnection: index.isMultiple(of: 2), purpose: .discovery))
                    _ = try await pool.send(HTTPRequest(url: base + "/api/ps", freshConnection: true, purpose: .monitor))
                }
            }
            try await group.waitForAll()
        }
        let (opened, byPurpose) = try exported(exporter, port: port)
        let accepted = sim.stats.connectionsAccepted
        XCTAssertGreaterThan(accepted, 1)
        XCTAssertEqual(Int(opened), accepted, "exported \(byPurpose), the simulator accepted \(accepted)")
        XCTAssertEqual(byPurpose["monitor"], 4, "each fresh monitoring poll opened its own connection")
        XCTAssertGreaterThanOrEqual(byPurpose["discovery"] ?? 0, 2)
        pool.shutdown()
        await sim.stop()
    }

    func testOpenedConnectionsEqualNginxsConnectionLog() async throws {
        let nginx = try LocalNginx()
        let ports = try nginx.start()
        defer { nginx.stop() }
        let pool = PoolManager()
        defer { pool.shutdown() }
        let exporter = PoolMetricsExporter(pool: pool)
        exporter.attach(to: pool)
        let url = "http://127.0.0.1:\(ports.plain)/small"
        let purposes: [RequestPurpose] = [.chat, .discovery, .monitor]
        var sent = 0
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<24 {
                let purpose = purposes[index % 3]
                group.addTask {
                    _ = try await pool.send(HTTPRequest(url: url, freshConnection: index % 5 == 0, purpose: purpose))
                }
                sent += 1
            }
            try await group.waitForAll()
        }
        let logged = nginx.loggedRequests(atLeast: sent, port: ports.plain)
        XCTAssertEqual(logged.count, sent)
        let connections = Set(logged.map(\.connection)).count
        let (opened, byPurpose) = try exported(exporter, port: ports.plain)
        XCTAssertGreaterThan(connections, 1)
        XCTAssertEqual(Int(opened), connections, "exported \(byPurpose), nginx logged \(connections) connections")
        XCTAssertEqual(Set(byPurpose.keys), ["chat", "discovery", "monitor"])
    }
}
