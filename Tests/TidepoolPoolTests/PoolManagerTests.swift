import TestSupport
import TidepoolBench
@testable import TidepoolPool
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// The pool against real HTTP on loopback: a scripted keep-alive server that counts its own
/// accepts, and nginx (plain, TLS, HTTP/2) with a per-connection access log.
final class PoolManagerTests: XCTestCase {
    private var server: ScriptedHTTPServer!

    override func setUp() async throws {
        server = try ScriptedHTTPServer()
    }

    override func tearDown() async throws {
        server.stop()
    }

    private func origin(_ server: ScriptedHTTPServer) -> Origin {
        Origin(scheme: "http", host: "127.0.0.1", port: server.port)
    }

    func testSequentialRequestsFromManyPanesOpenExactlyOneConnection() async throws {
        let manager = PoolManager()
        // Ten "panes" taking turns, five requests each, all to one host.
        for _ in 0..<5 {
            for pane in 0..<10 {
                let response = try await manager.send(HTTPRequest(url: server.url("/ok?pane=\(pane)")))
                XCTAssertEqual(response.head.status, 200)
                XCTAssertEqual(response.text, "ok\n")
            }
        }
        let counts = server.wait { $0.requests == 50 }
        XCTAssertEqual(counts.accepted, 1, "the server saw more than one connection")
        XCTAssertEqual(counts.requestsPerConnection, [50])
        let stats = manager.stats()
        XCTAssertEqual(stats.pools.count, 1)
        let pool = try XCTUnwrap(stats.pool(for: origin(server)))
        XCTAssertEqual(pool.socketsOpened, 1)
        XCTAssertEqual(pool.requestsFinished, 50)
        XCTAssertEqual(pool.newConnections, 1)
        XCTAssertEqual(pool.reusedConnections, 49)
        XCTAssertEqual(pool.open, 1)
        XCTAssertEqual(pool.idle, 1)
        XCTAssertEqual(pool.active, 0)
        XCTAssertEqual(pool.httpVersion, .http1_1)
        XCTAssertEqual(pool.latency(.total).count, 50)
        XCTAssertEqual(pool.latency(.connect).count, 1)
    }

    func testTenConcurrentHTTP1RequestsWithLimitTwoOpenTwoAndQueueTheRest() async throws {
        let manager = PoolManager()
        manager.setLimits(PoolLimits(maxConnections: 2), for: origin(server))
        let url = server.url("/slow?ms=60")
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<10 {
                group.addTask { try await manager.send(HTTPRequest(url: url)).head.status }
            }
            for try await status in group { XCTAssertEqual(status, 200) }
        }
        let counts = server.wait { $0.requests == 10 }
        XCTAssertEqual(counts.accepted, 2)
        let pool = try XCTUnwrap(manager.stats().pool(for: origin(server)))
        XCTAssertEqual(pool.limits.maxConnections, 2)
        XCTAssertEqual(pool.socketsOpened, 2)
        XCTAssertEqual(pool.queueExhaustionEvents, 8)
        XCTAssertEqual(pool.maxQueued, 8)
        XCTAssertEqual(pool.queuedNow, 0)
        XCTAssertGreaterThan(pool.latency(.queue).p95, 0.05, "queued requests waited at least one slow answer")
    }

    func testSameOriginFromHundredConcurrentTasksUsesOnePool() async throws {
        let manager = PoolManager()
        let url = server.url("/ok?n=")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for number in 0..<100 {
                group.addTask {
                    let response = try await manager.send(HTTPRequest(url: url + "\(number)"))
                    XCTAssertEqual(response.head.status, 200)
                }
            }
            try await group.waitForAll()
        }
        let stats = manager.stats()
        XCTAssertEqual(stats.pools.count, 1)
        let counts = server.wait { $0.requests == 100 }
        XCTAssertEqual(counts.requests, 100)
        XCTAssertLessThanOrEqual(counts.accepted, PoolLimits.default.maxConnections)
        XCTAssertEqual(stats.pools[0].socketsOpened, counts.accepted, "pool and server disagree on connections")
        XCTAssertEqual(stats.total.requestsFinished, 100)
    }

    func testDifferentOriginsAndConnectionOptionsGetDifferentPools() async throws {
        let other = try ScriptedHTTPServer()
        defer { other.stop() }
        let manager = PoolManager()
        _ = try await manager.send(HTTPRequest(url: server.url("/ok")))
        _ = try await manager.send(HTTPRequest(url: other.url("/ok")))
        _ = try await manager.send(HTTPRequest(url: server.url("/ok"), connectionOptions: ConnectionOptions(verifyTLS: false)))
        _ = try await manager.send(HTTPRequest(url: server.url("/ok"), timeouts: RequestTimeouts(connect: 3)))
        let pools = manager.stats().pools
        XCTAssertEqual(pools.count, 3, "timeouts must not split a pool; origins and TLS options must")
        XCTAssertEqual(Set(pools.map(\.name)).count, 3)
    }

    func testRequestsAfterCloseAllFailWithAClearError() async throws {
        let manager = PoolManager()
        _ = try await manager.send(HTTPRequest(url: server.url("/ok")))
        await manager.closeAll()
        await manager.closeAll()  // idempotent
        do {
            _ = try await manager.send(HTTPRequest(url: server.url("/ok")))
            XCTFail("a request after closeAll() succeeded")
        } catch let error as PoolError {
            guard case .poolClosed = error else { return XCTFail("unexpected \(error)") }
            XCTAssertTrue(error.description.contains("closed"), error.description)
        }
        let counts = server.wait { $0.closed == 1 }
        XCTAssertEqual(counts.closed, 1, "closeAll() left the connection open")
        XCTAssertEqual(manager.stats().pools[0].open, 0)
    }

    func testClosingOnePoolEndsItsTransfersAndLeavesOthersWorking() async throws {
        let other = try ScriptedHTTPServer()
        defer { other.stop() }
        let manager = PoolManager()
        let url = server.url("/stream?chunks=100&ms=20")
        let streaming = Task { try await manager.send(HTTPRequest(url: url)) }
        _ = server.wait { $0.requests == 1 }
        await manager.close(origin(server))
        await manager.close(origin(server))  // idempotent
        do {
            _ = try await streaming.value
            XCTFail("the transfer survived close()")
        } catch let error as PoolError {
            XCTAssertEqual(error, .poolClosed("http://127.0.0.1:\(server.port)"))
        }
        let response = try await manager.send(HTTPRequest(url: other.url("/ok")))
        XCTAssertEqual(response.head.status, 200)
        do {
            _ = try await manager.send(HTTPRequest(url: server.url("/ok")))
            XCTFail("a closed pool accepted a request")
        } catch let error as PoolError {
            XCTAssertEqual(error.kind.rawValue, "pool_closed")
        }
    }

    func testStreamDeliversChunksAsTheyArrive() async throws {
        let manager = PoolManager()
        var chunks: [String] = []
        var sawHead = false
        var metrics: TransferMetrics?
        for try await event in manager.stream(HTTPRequest(url: server.url("/stream?chunks=5&ms=30"))) {
            switch event {
            case .head(let head):
                sawHead = true
                XCTAssertEqual(head.status, 200)
                XCTAssertEqual(head.headers.value(for: "content-type"), "text/plain")
            case .body(let bytes): chunks.append(String(decoding: bytes, as: UTF8.self))
            case .end(let end): metrics = end
            }
        }
        XCTAssertTrue(sawHead)
        XCTAssertEqual(chunks.joined(), (0..<5).map { "chunk \($0)\n" }.joined())
        let end = try XCTUnwrap(metrics)
        XCTAssertGreaterThan(end.total, 0.1)
        XCTAssertFalse(end.reusedConnection)
        XCTAssertGreaterThan(end.localPort, 0)
    }

    /// The server sends each chunk only after the test received the one before, so every chunk
    /// must arrive as its own event: none may wait for the next or for the end.
    func testEachChunkIsDeliveredBeforeTheNextIsSent() async throws {
        let manager = PoolManager()
        var chunks: [String] = []
        server.step()
        for try await event in manager.stream(HTTPRequest(url: server.url("/stepped?chunks=5"))) {
            if case .body(let bytes) = event {
                chunks.append(String(decoding: bytes, as: UTF8.self))
                server.step()
            }
        }
        XCTAssertEqual(chunks, (0..<5).map { "chunk \($0)\n" }, "chunks were not delivered as they arrived")
    }

    /// With a delivery interval, bytes arriving within it of the last wake-up wait in the
    /// stream's buffer while the reader waits, and come as one `.body`; the first bytes and
    /// the end are not held. (Held for 30 s.)
    ///
    /// No timing margin: each of chunks 1-3 is sent only once the pool has taken every byte
    /// sent before, that loop turn's wake-ups are made, and the reader waits again. So a pool
    /// that handed chunk 1 or 2 over when it arrived would have delivered it alone (and the
    /// reader would have taken it) before the next chunk existed: only holding them can put
    /// chunks 1-3 into one `.body`.
    func testADeliveryIntervalHoldsChunksBackButNeverTheFirstOrTheEnd() async throws {
        let manager = PoolManager()
        var request = HTTPRequest(url: server.url("/stepped?chunks=4"))
        request.deliveryInterval = 30
        let chunkBytes = "chunk 0\n".utf8.count
        let started = ContinuousClock.now
        var bodies: [String] = []
        let server = self.server!
        server.step()
        let stepper = Task { await stepWhenQuiet(manager, server, chunks: 3, chunkBytes: chunkBytes) }
        for try await event in manager.stream(request) {
            guard case .body(let bytes) = event else { continue }
            bodies.append(String(decoding: bytes, as: UTF8.self))
        }
        await stepper.value
        XCTAssertEqual(bodies, ["chunk 0\n", "chunk 1\nchunk 2\nchunk 3\n"],
                       "the first chunk must come alone and the held ones together with the end")
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(10), "the end waited for the delivery interval")
    }

    /// A pool that may pause up to 60 s and a stepped stream of `chunks` with a 60 s delivery
    /// interval, read up to its first body, once the network thread paced it (no turn before
    /// the first delivery can pace; the first one after it does). Nil (a failure recorded)
    /// when the stream ended early or was never paced.
    private func startPacedStream(chunks: Int) async throws
        -> (manager: PoolManager, events: AsyncThrowingStream<ResponseEvent, any Error>.AsyncIterator, first: String)?
    {
        let manager = PoolManager()
        await manager.setMaximumPacingPause(60)
        var request = HTTPRequest(url: server.url("/stepped?chunks=\(chunks)"))
        request.deliveryInterval = 60
        server.step()
        var events = manager.stream(request).makeAsyncIterator()
        var first: String?
        while first == nil {
            guard let event = try await events.next() else {
                XCTFail("the stream ended early")
                return nil
            }
            if case .body(let bytes) = event { first = String(decoding: bytes, as: UTF8.self) }
        }
        for _ in 0..<1000 where manager.pacingWaits == 0 { usleep(10_000) }
        guard manager.pacingWaits > 0 else {
            XCTFail("the network thread never paced the stream")
            return nil
        }
        return (manager, events, first!)
    }

    /// Pacing (`NetworkThread+Pacing.swift`): once a stream with a delivery interval had its
    /// first bytes, the network thread waits for commands only, so chunks that arrive
    /// meanwhile stay in the socket and are read together, in a turn a command starts.
    ///
    /// The longest pause is set to 60 s, so what ends one is a command or libcurl's own timer
    /// (a pause never outlasts it; on this libcurl its happy-eyeballs timer fires once, 200 ms
    /// after connecting, and its connect timer after 10 s): at most two socket turns for the
    /// three chunks and the end. A pool that did not pace reads each chunk as it comes: each is
    /// sent only once the one before was written and the pool got up to 200 ms to read it, so
    /// at least three turns.
    func testAPacedStreamsChunksAreReadTogether() async throws {
        let server = self.server!
        guard let paced = try await startPacedStream(chunks: 4) else { return }
        let manager = paced.manager
        var events = paced.events
        var bodies = [paced.first]
        XCTAssertEqual(bodies, ["chunk 0\n"])
        let turnsBefore = manager.socketTurns
        for writes in 2...4 {
            let turns = manager.socketTurns
            server.step()
            XCTAssertGreaterThanOrEqual(server.wait(seconds: 10) { $0.steppedWrites >= writes }.steppedWrites, writes)
            for _ in 0..<20 where manager.socketTurns == turns { usleep(10_000) }
        }
        XCTAssertEqual(server.wait(seconds: 10) { $0.steppedWrites == 5 }.steppedWrites, 5, "the end was not sent")
        _ = await manager.streamsInFlight()  // a command: ends the pause
        while let event = try await events.next() {
            if case .body(let bytes) = event { bodies.append(String(decoding: bytes, as: UTF8.self)) }
        }
        XCTAssertEqual(bodies, ["chunk 0\n", "chunk 1\nchunk 2\nchunk 3\n"])
        let turns = manager.socketTurns - turnsBefore
        XCTAssertGreaterThanOrEqual(turns, 1)
        XCTAssertLessThanOrEqual(turns, 2, "the paced stream's socket was read \(turns) times for three chunks and the end")
    }

    /// Pacing never holds a plain request back: with a stream paced for up to 60 s in flight,
    /// a second request to the same pool makes the pool unpaceable and completes at once.
    func testANonStreamRequestEndsPacing() async throws {
        let server = self.server!
        guard let paced = try await startPacedStream(chunks: 2) else { return }
        let manager = paced.manager
        var events = paced.events
        let started = ContinuousClock.now
        let response = try await manager.send(HTTPRequest(url: server.url("/slow?ms=100")))
        XCTAssertEqual(response.text, "ok")
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(20), "the plain request waited for the pacing pause")
        server.step()
        while try await events.next() != nil {}
    }

    func testCancellingMidStreamClosesTheHTTP1Connection() async throws {
        let manager = PoolManager()
        let url = server.url("/stream?chunks=200&ms=10")
        let task = Task {
            var received = 0
            for try await event in manager.stream(HTTPRequest(url: url)) {
                if case .body = event { received += 1 }
            }
            return received
        }
        _ = server.wait { $0.requests == 1 }
        try await Task.sleep(for: .milliseconds(60))
        task.cancel()
        _ = try? await task.value
        let counts = server.wait { $0.closed == 1 }
        XCTAssertEqual(counts.closed, 1, "a cancelled HTTP/1.1 stream left its connection open")
        let pool = try await waitForStats(manager) { $0.open == 0 }
        XCTAssertEqual(pool.open, 0)
        XCTAssertEqual(pool.errors[.cancelled], 1)
        // The next request must not find a half-read connection.
        let response = try await manager.send(HTTPRequest(url: server.url("/ok")))
        XCTAssertEqual(response.text, "ok\n")
        XCTAssertEqual(server.wait { $0.accepted == 2 }.accepted, 2)
    }

    func testStalledServerHitsTheIdleTimeout() async throws {
        let manager = PoolManager()
        let started = ContinuousClock.now
        var text = ""
        do {
            let request = HTTPRequest(url: server.url("/stall"), timeouts: RequestTimeouts(idle: 0.3))
            for try await event in manager.stream(request) {
                if case .body(let bytes) = event { text += String(decoding: bytes, as: UTF8.self) }
            }
            XCTFail("a stalled stream ended without error")
        } catch let error as PoolError {
            XCTAssertEqual(error.kind.rawValue, "timeout_idle")
            XCTAssertTrue(error.description.contains("went silent"), error.description)
            XCTAssertTrue(error.description.contains("300 ms"), error.description)
        }
        XCTAssertEqual(text, "hello\n", "text received before the stall was lost")
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(2))
    }

    func testSlowFirstByteHitsTheFirstByteTimeout() async throws {
        let manager = PoolManager()
        do {
            _ = try await manager.send(HTTPRequest(url: server.url("/slow?ms=1500"), timeouts: RequestTimeouts(firstByte: 0.2)))
            XCTFail("expected a first-byte timeout")
        } catch let error as PoolError {
            XCTAssertEqual(error, .timedOut(.firstByte, after: 0.2, origin: "http://127.0.0.1:\(server.port)"))
        }
    }

    func testQueuedRequestTimesOutWhileWaiting() async throws {
        let manager = PoolManager()
        manager.setLimits(PoolLimits(maxConnections: 1), for: origin(server))
        let url = server.url("/slow?ms=800")
        let slow = Task { try await manager.send(HTTPRequest(url: url)) }
        _ = server.wait { $0.requests == 1 }
        do {
            _ = try await manager.send(HTTPRequest(url: server.url("/ok"), timeouts: RequestTimeouts(queue: 0.1)))
            XCTFail("expected a queue timeout")
        } catch let error as PoolError {
            XCTAssertEqual(error.kind.rawValue, "timeout_queue")
            XCTAssertTrue(error.description.contains("waiting for a free connection"))
        }
        _ = try await slow.value
    }

    func testConnectionRefusedNamesTheServer() async throws {
        let manager = PoolManager()
        let port = server.port
        server.stop()
        do {
            _ = try await manager.send(HTTPRequest(url: "http://127.0.0.1:\(port)/ok"))
            XCTFail("expected connection refused")
        } catch let error as PoolError {
            XCTAssertEqual(error, .connectionRefused(host: "127.0.0.1", port: port))
            XCTAssertEqual(error.description, "no server at 127.0.0.1:\(port) (connection refused)")
        }
        XCTAssertEqual(manager.stats().total.errors[.refused], 1)
    }

    func testWarmOpensConnectionsThatLaterRequestsReuse() async throws {
        let manager = PoolManager()
        let open = try await manager.warm(origin(server), connections: 3)
        XCTAssertEqual(open, 3)
        XCTAssertEqual(server.wait { $0.accepted == 3 }.accepted, 3)
        let url = server.url("/slow?ms=50")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<3 { group.addTask { _ = try await manager.send(HTTPRequest(url: url)) } }
            try await group.waitForAll()
        }
        XCTAssertEqual(server.snapshot.accepted, 3, "requests after warm-up opened new connections")
        let pool = try XCTUnwrap(manager.stats().pool(for: origin(server)))
        XCTAssertEqual(pool.socketsOpened, 3)
        XCTAssertEqual(pool.reusedConnections, 3)
    }

    func testIdleConnectionsBeyondTheKeepAliveLimitAreClosed() async throws {
        let manager = PoolManager()
        manager.setLimits(PoolLimits(maxConnections: 4, maxIdleConnections: 1), for: origin(server))
        let url = server.url("/slow?ms=300")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 { group.addTask { _ = try await manager.send(HTTPRequest(url: url)) } }
            try await group.waitForAll()
        }
        XCTAssertEqual(server.wait { $0.accepted == 4 }.accepted, 4, "\(manager.stats().pools[0])")
        let pool = try await waitForStats(manager) { $0.open == 1 }
        XCTAssertEqual(pool.open, 1)
        XCTAssertEqual(pool.idle, 1)
        XCTAssertEqual(server.wait { $0.closed == 3 }.closed, 3)
    }

    func testIdleConnectionsCloseAfterTheirExpiry() async throws {
        let manager = PoolManager()
        manager.setLimits(PoolLimits(idleExpiry: 0.3), for: origin(server))
        _ = try await manager.send(HTTPRequest(url: server.url("/ok")))
        XCTAssertEqual(manager.stats().pools[0].open, 1)
        XCTAssertEqual(server.wait(seconds: 3) { $0.closed == 1 }.closed, 1, "the idle connection outlived its expiry")
        let pool = try await waitForStats(manager) { $0.open == 0 }
        XCTAssertEqual(pool.socketsClosed, 1)
        // The pool still works afterwards, on a new connection.
        _ = try await manager.send(HTTPRequest(url: server.url("/ok")))
        XCTAssertEqual(server.wait { $0.accepted == 2 }.accepted, 2)
    }

    func testPostBodyIsSentAndCounted() async throws {
        let manager = PoolManager()
        let body = Array("{\"model\":\"m\",\"messages\":[]}".utf8)
        let response = try await manager.send(HTTPRequest(
            method: "POST", url: server.url("/echo"), headers: [HTTPHeader("Content-Type", "application/json")], body: body))
        XCTAssertEqual(response.body, body)
        XCTAssertEqual(response.metrics.bytesOut, body.count)
        XCTAssertEqual(manager.stats().total.bytesOut, body.count)
    }

    func testAnIdleManagerUsesNoCPU() async throws {
        let manager = PoolManager()
        _ = try await manager.send(HTTPRequest(url: server.url("/ok")))
        let before = Self.processCPUSeconds()
        try await Task.sleep(for: .seconds(1))
        let used = Self.processCPUSeconds() - before
        XCTAssertLessThan(used, 0.05, "an idle pool manager used \(used) s of CPU in one second")
        XCTAssertEqual(manager.stats().pools[0].open, 1)
    }

    func testInvalidURLFailsClearly() async throws {
        let manager = PoolManager()
        do {
            _ = try await manager.send(HTTPRequest(url: "localhost:11434/api/chat"))
            XCTFail("expected invalidURL")
        } catch let error as PoolError {
            XCTAssertEqual(error.description, "'localhost:11434/api/chat' is not an absolute http:// or https:// URL")
        }
    }

    // MARK: Helpers

    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }

    /// Polls the first pool's stats until `condition` holds (the network thread updates them
    /// just after the caller's stream ends).
    private func waitForStats(_ manager: PoolManager, until condition: (PoolStats) -> Bool) async throws -> PoolStats {
        for _ in 0..<200 {
            if let pool = manager.stats().pools.first, condition(pool) { return pool }
            try await Task.sleep(for: .milliseconds(10))
        }
        return try XCTUnwrap(manager.stats().pools.first)
    }
}

/// Lets the server send `chunks` more chunks of `chunkBytes` each, each one once the pool has
/// taken every byte sent before and the reader waits again (``waitForQuietStream``).
private func stepWhenQuiet(_ manager: PoolManager, _ server: ScriptedHTTPServer, chunks: Int, chunkBytes: Int) async {
    for sent in 1...chunks {
        guard await waitForQuietStream(manager, bytesIn: sent * chunkBytes) else {
            return XCTFail("chunk \(sent - 1) never reached the pool with the reader waiting again")
        }
        server.step()
    }
}

/// Waits (up to 10 s) until the one stream in flight has received exactly `bytesIn` body
/// bytes and its reader is suspended waiting for more; false if that never happens.
private func waitForQuietStream(_ manager: PoolManager, bytesIn: Int) async -> Bool {
    let deadline = ContinuousClock.now + .seconds(10)
    while ContinuousClock.now < deadline {
        let streams = await manager.streamsInFlight()
        if streams.count == 1, streams[0].bytesIn == bytesIn, streams[0].readerWaiting { return true }
        try? await Task.sleep(for: .milliseconds(1))
    }
    return false
}
