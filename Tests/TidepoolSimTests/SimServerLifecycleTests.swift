import Foundation
@testable import TidepoolSim
import XCTest

/// Starting, stopping, the connection and request counts, and the control endpoints.
final class SimServerLifecycleTests: XCTestCase {
    /// Servers a test started, stopped after it whatever its outcome.
    private var servers: [SimServer] = []

    override func tearDown() async throws {
        for server in servers { await server.stop() }
        servers = []
    }

    private func started(_ config: SimConfig = SimConfig()) async throws -> (SimServer, Int) {
        let server = SimServer(config: config)
        servers.append(server)
        return (server, try await server.start())
    }

    func testKeepAliveRequestsShareOneConnection() async throws {
        let (server, port) = try await started()
        let connection = try RawHTTPConnection(port: port)
        let first = try await connection.exchange("GET", "/_sim/ping")
        let second = try await connection.exchange(
            "POST", "/api/chat", body: #"{"model":"sim-instant","messages":[{"role":"user","content":"hi"}]}"#)
        XCTAssertEqual(first.status, 200)
        XCTAssertEqual(first.text, "pong\n")
        XCTAssertEqual(second.ending, .complete)
        let stats = server.stats
        XCTAssertEqual(stats.connectionsAccepted, 1)
        XCTAssertEqual(stats.requests, 2)
        XCTAssertEqual(stats.requestsPerConnection, [2])
        XCTAssertEqual(stats.openConnections, 1)
    }

    func testSeparateConnectionsAreCountedSeparately() async throws {
        let (server, port) = try await started()
        for _ in 0..<2 {
            let connection = try RawHTTPConnection(port: port)
            _ = try await connection.exchange("GET", "/_sim/ping")
        }
        try await waitUntil { server.stats.openConnections == 0 }
        let stats = server.stats
        XCTAssertEqual(stats.connectionsAccepted, 2)
        XCTAssertEqual(stats.requests, 2)
        XCTAssertEqual(stats.requestsPerConnection, [1, 1])
    }

    func testStatsAndResetEndpoints() async throws {
        let (server, port) = try await started()
        let warmup = try RawHTTPConnection(port: port)
        _ = try await warmup.exchange("GET", "/_sim/ping")
        _ = try await warmup.exchange("GET", "/_sim/ping")

        let observer = try RawHTTPConnection(port: port)
        let statsResponse = try await observer.exchange("GET", "/_sim/stats")
        let stats = try XCTUnwrap(WireParsing.object(statsResponse.body))
        XCTAssertEqual(stats["connections_accepted"] as? Int, 2)
        XCTAssertEqual(stats["requests"] as? Int, 3, "two pings and this stats request")
        XCTAssertEqual(stats["requests_per_connection"] as? [Int], [2, 1])
        XCTAssertEqual(stats["open_connections"] as? Int, 2)

        let reset = try await observer.exchange("POST", "/_sim/reset")
        XCTAssertEqual(reset.status, 200)
        XCTAssertEqual(server.stats.requests, 0)
        XCTAssertEqual(server.stats.connectionsAccepted, 0)
        XCTAssertEqual(server.stats.openConnections, 2, "reset leaves open connections open")
        let fresh = try RawHTTPConnection(port: port)
        _ = try await fresh.exchange("GET", "/_sim/ping")
        XCTAssertEqual(server.stats.requestsPerConnection, [1])
    }

    func testPortInUseIsATypedError() async throws {
        let (_, port) = try await started()
        let second = SimServer()
        do {
            _ = try await second.start(port: port)
            XCTFail("a second server must not bind the same port")
            await second.stop()
        } catch {
            XCTAssertEqual(error, .portInUse(host: "127.0.0.1", port: port))
            XCTAssertTrue(error.description.contains("already in use"))
        }
    }

    /// Issue 12 item 14: an address that is not this machine's gets a sentence.
    func testAnAddressOfAnotherMachineIsRefusedInASentence() async throws {
        let server = SimServer()
        do {
            _ = try await server.start(host: "192.0.2.1", port: 0)  // TEST-NET-1: nobody's address
            XCTFail("bound an address that is not this machine's")
            await server.stop()
        } catch {
            XCTAssertEqual(error.description, "tidepool sim: cannot listen on 192.0.2.1:0: 192.0.2.1 is not an address of "
                           + "this machine; use 127.0.0.1 or ::1 (the simulator is for this machine)")
            XCTAssertFalse(error.description.contains("bind("), error.description)
        }
    }

    func testStopClosesListenerAndConnections() async throws {
        let server = SimServer()
        let port = try await server.start()
        XCTAssertEqual(server.port, port)
        let idle = try RawHTTPConnection(port: port, timeout: 2)
        _ = try await idle.exchange("GET", "/_sim/ping")
        let stalled = try RawHTTPConnection(port: port, timeout: 2)
        try stalled.send("POST", "/api/chat", body: #"{"model":"fault-stall:instant","messages":[]}"#)
        try await waitUntil { server.stats.requests == 2 }

        let stopStart = ContinuousClock.now
        await server.stop()
        XCTAssertLessThan(ContinuousClock.now - stopStart, .seconds(2), "stop does not wait for stalled streams")
        XCTAssertNil(server.port)
        XCTAssertThrowsError(try RawHTTPConnection(port: port), "nothing listens after stop")
        let idleClosed = await idle.isClosedByServer()
        XCTAssertTrue(idleClosed)
    }

    func testStartAndStopAreFastAndRestartNeedsANewServer() async throws {
        let clockStart = ContinuousClock.now
        let server = SimServer()
        _ = try await server.start()
        await server.stop()
        XCTAssertLessThan(ContinuousClock.now - clockStart, .seconds(1))
        do {
            _ = try await server.start()
            XCTFail("a stopped server does not start again")
        } catch {
            XCTAssertEqual(error, .notStartable)
        }
    }

    func testPacingFollowsTheModel() async throws {
        let model = SimModel(name: "paced", timeToFirstToken: .milliseconds(100), tokensPerSecond: 100, answerTokens: 11)
        let (_, port) = try await started(SimConfig(models: [model]))
        let requestStart = ContinuousClock.now
        let response = try await RawHTTPConnection(port: port).exchange(
            "POST", "/api/chat", body: #"{"model":"paced","messages":[{"role":"user","content":"x"}]}"#)
        let elapsed = ContinuousClock.now - requestStart
        XCTAssertEqual(WireParsing.ndjson(response.body).count, 12)
        XCTAssertGreaterThanOrEqual(elapsed, .milliseconds(195), "100 ms to the first token, then 10 gaps of 10 ms")
        let final = WireParsing.ndjson(response.body).last ?? nil
        let promptEval = try XCTUnwrap(final?["prompt_eval_duration"] as? Int)
        XCTAssertGreaterThanOrEqual(promptEval, 95_000_000, "time to first token reported in ns")

        // Speed .infinity: the same answer, and a pacing that never waits (checked on the plan,
        // not on a wall clock that a loaded machine can stretch).
        let (_, fastPort) = try await started(SimConfig(models: [model], speed: .infinity))
        let fast = try await RawHTTPConnection(port: fastPort).exchange(
            "POST", "/api/chat", body: #"{"model":"paced","messages":[{"role":"user","content":"x"}]}"#)
        XCTAssertEqual(WireParsing.ndjson(fast.body).count, 12)
        XCTAssertTrue(SimPacing(model: model, speed: .infinity).isInstant, "speed .infinity skips all waits")
    }

    /// Polls a condition the server reaches asynchronously (connection close is seen a moment
    /// after the client closes), failing after a second.
    private func waitUntil(_ condition: @escaping () -> Bool, file: StaticString = #filePath, line: UInt = #line) async throws {
        let deadline = ContinuousClock.now + .seconds(1)
        while !condition() {
            if ContinuousClock.now > deadline {
                XCTFail("condition not reached within 1 s", file: file, line: line)
                return
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}

extension SimServerLifecycleTests {
    func testRunServesUntilSIGTERM() async throws {
        let server = SimServer()
        let (ports, listening) = AsyncStream.makeStream(of: Int.self)
        let running = Task { try await server.run(port: 0) { listening.yield($0) } }
        var port = 0
        for await bound in ports {
            port = bound
            break
        }
        XCTAssertGreaterThan(port, 0)
        XCTAssertEqual(server.baseURL, "http://127.0.0.1:\(port)")
        let ping = try await RawHTTPConnection(port: port).exchange("GET", "/_sim/ping")
        XCTAssertEqual(ping.status, 200)

        kill(getpid(), SIGTERM)  // run() has replaced SIGTERM's default action before listening
        try await running.value
        XCTAssertNil(server.port)
        XCTAssertThrowsError(try RawHTTPConnection(port: port), "nothing listens after the signal")
    }
}
