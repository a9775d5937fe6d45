import TestSupport
import TidepoolPool
import XCTest

/// The run-time concurrency limit and request purposes through a real pool.
final class ConcurrencyLimitTests: XCTestCase {
    private var server: ScriptedHTTPServer!

    override func setUp() async throws {
        server = try ScriptedHTTPServer()
    }

    override func tearDown() async throws {
        server.stop()
    }

    private var origin: Origin { Origin(scheme: "http", host: "127.0.0.1", port: server.port) }

    func testALimitOfOnePointNineAdmitsOneRequestAtATime() async throws {
        let manager = PoolManager()
        manager.setConcurrencyLimit(1.9, for: origin)
        let url = server.url("/slow?ms=50")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 { group.addTask { _ = try await manager.send(HTTPRequest(url: url)) } }
            try await group.waitForAll()
        }
        let pool = try XCTUnwrap(manager.stats().pool(for: origin))
        XCTAssertEqual(pool.concurrencyLimit, 1.9)
        XCTAssertEqual(pool.admissionLimit, 1)
        XCTAssertEqual(pool.socketsOpened, 1, "one request at a time needs one connection")
        XCTAssertEqual(pool.queueExhaustionEvents, 3)
        XCTAssertEqual(pool.requestsByPurpose, [.chat: 4])
    }

    /// With the only admitted chat stalled forever and another queued behind it, a monitoring
    /// request still goes (and a discovery request does not).
    func testAMonitoringRequestDoesNotQueueBehindTheStreamsItWatches() async throws {
        let manager = PoolManager()
        manager.setConcurrencyLimit(1, for: origin)
        let stalled = RequestTimeouts(queue: nil, firstByte: nil, idle: nil)
        let stallURL = server.url("/stall")
        let okURL = server.url("/ok")
        let first = Task { try await manager.send(HTTPRequest(url: stallURL, timeouts: stalled)) }
        _ = server.wait { $0.requests == 1 }
        let second = Task { try await manager.send(HTTPRequest(url: okURL, timeouts: stalled)) }
        for _ in 0..<500 where manager.stats().pool(for: origin)?.queuedNow != 1 {
            try await Task.sleep(for: .milliseconds(2))
        }
        XCTAssertEqual(manager.stats().pool(for: origin)?.queuedNow, 1)
        let monitor = try await manager.send(HTTPRequest(
            url: server.url("/ok"), timeouts: RequestTimeouts(queue: 5), purpose: .monitor))
        XCTAssertEqual(monitor.text, "ok\n")
        do {
            _ = try await manager.send(HTTPRequest(
                url: server.url("/ok"), timeouts: RequestTimeouts(queue: 0.2), purpose: .discovery))
            XCTFail("a discovery request overtook the queue")
        } catch let error as PoolError {
            XCTAssertEqual(error.kind, .timeoutQueue)
        }
        let pool = try XCTUnwrap(manager.stats().pool(for: origin))
        XCTAssertEqual(pool.requestsByPurpose, [.chat: 2, .monitor: 1, .discovery: 1])
        XCTAssertEqual(pool.queuedNow, 1, "the queued chat is still waiting")
        // Raising the limit lets the queued chat go at once.
        manager.setConcurrencyLimit(2, for: origin)
        let response = try await second.value
        XCTAssertEqual(response.text, "ok\n")
        first.cancel()
        _ = try? await first.value
        await manager.closeAll()
    }

    /// With every connection of an HTTP/1.1 pool held by a stalled chat, a monitoring request
    /// still gets through: it bypasses libcurl's connection cap too, not only the pool's queue.
    func testAMonitoringRequestGoesWhenEveryConnectionIsBusy() async throws {
        let manager = PoolManager()
        manager.setLimits(PoolLimits(maxConnections: 1, maxIdleConnections: 1), for: origin)
        let stalled = RequestTimeouts(queue: nil, firstByte: nil, idle: nil)
        let stallURL = server.url("/stall")
        let first = Task { try await manager.send(HTTPRequest(url: stallURL, timeouts: stalled)) }
        _ = server.wait { $0.requests == 1 }
        let monitor = try await manager.send(HTTPRequest(
            url: server.url("/ok"), timeouts: RequestTimeouts(queue: 2, connect: 2, firstByte: 2, idle: 2),
            purpose: .monitor))
        XCTAssertEqual(monitor.text, "ok\n")
        let pool = try XCTUnwrap(manager.stats().pool(for: origin))
        XCTAssertEqual(pool.socketsOpened, 2, "the monitoring request had a connection of its own")
        first.cancel()
        _ = try? await first.value
        await manager.closeAll()
    }
}
