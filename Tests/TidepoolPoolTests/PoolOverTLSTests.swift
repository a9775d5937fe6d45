import TestSupport
import TidepoolBench
import TidepoolPool
import XCTest

/// The pool against nginx on loopback: plain HTTP/1.1, HTTP/1.1 over TLS and HTTP/2 over TLS,
/// checked against nginx's own log of which connection carried each request.
final class PoolOverTLSTests: XCTestCase {
    private static let nginx = Result { () throws -> LocalNginx in
        let server = try LocalNginx()
        try server.start()
        return server
    }

    override class func tearDown() {
        if case .success(let server) = nginx { server.stop() }
    }

    private func server() throws -> (LocalNginx, LocalNginx.Ports) {
        let server = try Self.nginx.get()
        server.clearLog()
        return (server, try XCTUnwrap(server.ports))
    }

    func testHTTP2CarriesTenConcurrentStreamsOnOneConnection() async throws {
        let (nginx, ports) = try server()
        let manager = PoolManager()
        let options = ConnectionOptions(caFile: nginx.certificatePath)
        let url = "https://127.0.0.1:\(ports.h2)/small"
        let versions = try await withThrowingTaskGroup(of: HTTPVersion.self) { group in
            for _ in 0..<10 {
                group.addTask {
                    try await manager.send(HTTPRequest(url: url, connectionOptions: options)).head.httpVersion
                }
            }
            return try await group.reduce(into: [HTTPVersion]()) { $0.append($1) }
        }
        XCTAssertEqual(versions, Array(repeating: .http2, count: 10))
        let pool = try XCTUnwrap(manager.stats().pools.first)
        XCTAssertEqual(pool.socketsOpened, 1, "HTTP/2 streams did not share one connection")
        XCTAssertEqual(pool.tlsHandshakes, 1)
        XCTAssertEqual(pool.httpVersion, .http2)
        XCTAssertEqual(pool.requestsFinished, 10)
        let logged = nginx.loggedRequests(atLeast: 10, port: ports.h2)
        XCTAssertEqual(logged.count, 10)
        XCTAssertEqual(Set(logged.map(\.connection)).count, 1, "nginx saw more than one connection")
    }

    func testSequentialTLSRequestsShakeHandsOnceAndMatchTheServerLog() async throws {
        let (nginx, ports) = try server()
        let manager = PoolManager()
        let options = ConnectionOptions(caFile: nginx.certificatePath)
        for _ in 0..<20 {
            let response = try await manager.send(HTTPRequest(url: "https://127.0.0.1:\(ports.tls)/ping",
                                                              connectionOptions: options))
            XCTAssertEqual(response.text, "pong\n")
            XCTAssertEqual(response.head.httpVersion, .http1_1)
        }
        let pool = try XCTUnwrap(manager.stats().pools.first)
        XCTAssertEqual(pool.tlsHandshakes, 1)
        XCTAssertEqual(pool.newConnections, 1)
        XCTAssertEqual(pool.reusedConnections, 19)
        XCTAssertEqual(pool.latency(.tls).count, 1)
        XCTAssertGreaterThan(pool.latency(.tls).p50, 0)
        let logged = nginx.loggedRequests(atLeast: 20, port: ports.tls)
        XCTAssertEqual(logged.count, 20)
        XCTAssertEqual(Set(logged.map(\.connection)).count, pool.socketsOpened)
        XCTAssertEqual(logged.map(\.requestOnConnection), Array(1...20))
    }

    func testPlainConcurrentRequestsMatchTheServersConnectionCount() async throws {
        let (nginx, ports) = try server()
        let manager = PoolManager(defaultLimits: PoolLimits(maxConnections: 4))
        let url = "http://127.0.0.1:\(ports.plain)/small"
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<200 { group.addTask { _ = try await manager.send(HTTPRequest(url: url)) } }
            try await group.waitForAll()
        }
        let pool = try XCTUnwrap(manager.stats().pools.first)
        let logged = nginx.loggedRequests(atLeast: 200, port: ports.plain)
        XCTAssertEqual(logged.count, 200)
        XCTAssertEqual(pool.requestsFinished, 200)
        XCTAssertLessThanOrEqual(pool.socketsOpened, 4)
        XCTAssertEqual(Set(logged.map(\.connection)).count, pool.socketsOpened)
        XCTAssertEqual(pool.reusedConnections, 200 - pool.socketsOpened)
    }

    func testAnUntrustedCertificateFailsWithATLSError() async throws {
        let (_, ports) = try server()
        let manager = PoolManager()
        do {
            _ = try await manager.send(HTTPRequest(url: "https://127.0.0.1:\(ports.tls)/ping"))
            XCTFail("a self-signed certificate was trusted without a CA file")
        } catch let error as PoolError {
            XCTAssertEqual(error.kind.rawValue, "tls", error.description)
            XCTAssertTrue(error.description.hasPrefix("TLS failed with https://127.0.0.1:\(ports.tls)"), error.description)
        }
        // Turning verification off is its own pool, and works.
        let response = try await manager.send(HTTPRequest(
            url: "https://127.0.0.1:\(ports.tls)/ping", connectionOptions: ConnectionOptions(verifyTLS: false)))
        XCTAssertEqual(response.head.status, 200)
        XCTAssertEqual(manager.stats().pools.count, 2)
    }

    func testWarmUpDoesTheTLSHandshakeAheadOfTheFirstRequest() async throws {
        let (nginx, ports) = try server()
        let manager = PoolManager()
        let options = ConnectionOptions(caFile: nginx.certificatePath)
        let origin = Origin(scheme: "https", host: "127.0.0.1", port: ports.h2)
        let open = try await manager.warm(origin, connections: 1, options: options)
        XCTAssertEqual(open, 1)
        let response = try await manager.send(HTTPRequest(url: "https://127.0.0.1:\(ports.h2)/ping",
                                                          connectionOptions: options))
        XCTAssertTrue(response.metrics.reusedConnection)
        XCTAssertEqual(response.metrics.tls, 0)
        XCTAssertEqual(manager.stats().pools.first?.tlsHandshakes, 1)
    }
}
