@testable import TidepoolPool
import Synchronization
import TestSupport
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// The pool's parts that need no server: stats arithmetic, the stream hand-off, thread
/// ownership, and what happens when the system refuses the network thread's descriptors.
final class PoolInternalsTests: XCTestCase {
    func testStatsAddSumsCountersAndErrorsByKind() {
        var total = PoolStats(name: "total", origin: nil, limits: .default)
        var one = PoolStats(name: "a", origin: nil, limits: .default)
        one.socketsOpened = 2
        one.requestsFinished = 5
        one.maxQueued = 3
        one.bytesIn = 100
        one.errors = [.cancelled: 1, .refused: 2]
        var two = PoolStats(name: "b", origin: nil, limits: .default)
        two.socketsOpened = 1
        two.requestsFinished = 1
        two.maxQueued = 7
        two.bytesIn = 1
        two.errors = [.cancelled: 4]
        total.add(one)
        total.add(two)
        XCTAssertEqual(total.socketsOpened, 3)
        XCTAssertEqual(total.requestsFinished, 6)
        XCTAssertEqual(total.maxQueued, 7, "the longest queue is a maximum, not a sum")
        XCTAssertEqual(total.bytesIn, 101)
        XCTAssertEqual(total.errors, [.cancelled: 5, .refused: 2])
        XCTAssertEqual(total.name, "total")
    }

    func testErrorKindsKeepTheirShortNames() {
        XCTAssertEqual(PoolError.poolClosed("x").kind, .poolClosed)
        XCTAssertEqual(PoolError.Kind.poolClosed.description, "pool_closed")
        XCTAssertEqual(PoolError.timedOut(.firstByte, after: 1, origin: "o").kind.rawValue, "timeout_first_byte")
        XCTAssertEqual(PoolError.unavailable("epoll").kind.rawValue, "unavailable")
        XCTAssertEqual([PoolError.Kind.transport, .cancelled, .dns].sorted(), [.cancelled, .dns, .transport])
    }

    /// Chunks that arrive while the reader is busy become ONE pending append, not a queue of
    /// events: a thousand chunks, one `.body`.
    func testAStreamCoalescesChunksWhileItsReaderIsBusy() async throws {
        let slot = StreamSlot(cancelTransfer: {})
        slot.push(head: ResponseHead(status: 200, headers: [], httpVersion: .http1_1))
        let chunk: [UInt8] = Array("data: x\n\n".utf8)
        for _ in 0..<1000 { chunk.withUnsafeBytes { slot.push(body: $0) } }
        slot.wake()
        var events: [ResponseEvent] = []
        guard case .head(let head)? = try await slot.next() else { return XCTFail("expected the head first") }
        XCTAssertEqual(head.status, 200)
        guard case .body(let bytes)? = try await slot.next() else { return XCTFail("expected the body") }
        XCTAssertEqual(bytes.count, chunk.count * 1000, "all pending chunks in one event")
        slot.finish(.success(TransferMetrics(bytesIn: bytes.count)))
        while let event = try await slot.next() { events.append(event) }
        XCTAssertEqual(events.count, 1)
        guard case .end(let metrics)? = events.first else { return XCTFail("expected the end") }
        XCTAssertEqual(metrics.bytesIn, 9000)
    }

    func testAStreamDeliversBufferedBytesBeforeItsError() async throws {
        let slot = StreamSlot(cancelTransfer: {})
        Array("partial".utf8).withUnsafeBytes { slot.push(body: $0) }
        slot.finish(.failure(.timedOut(.idle, after: 1, origin: "o")))
        guard case .body(let bytes)? = try await slot.next() else { return XCTFail("expected the body") }
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), "partial")
        do {
            _ = try await slot.next()
            XCTFail("expected the error")
        } catch let error as PoolError {
            XCTAssertEqual(error.kind, .timeoutIdle)
        }
    }

    func testAWaitingReaderIsWokenAndDroppingItCancelsOnce() async throws {
        let cancels = Counter()
        let slot = StreamSlot(cancelTransfer: { cancels.increment() })
        let reader = Task { try await slot.next() }
        // Wait until the reader is suspended, then deliver: it must be resumed by wake().
        while !slot.hasWaitingReader { await Task.yield() }
        Array("hi".utf8).withUnsafeBytes { slot.push(body: $0) }
        slot.wake()
        guard case .body(let bytes)? = try await reader.value else { return XCTFail("expected bytes") }
        XCTAssertEqual(bytes, Array("hi".utf8))
        slot.stopReading()
        slot.stopReading()
        XCTAssertEqual(cancels.value, 1, "a transfer is cancelled once, however often the reader stops")
        let afterStop = try await slot.next()
        XCTAssertNil(afterStop)
    }

    /// The inbox hands commands over in batches (its buffer and the thread's swap places
    /// once per loop turn): none may be lost or reordered, whether the thread drains one at a
    /// time or many at once. Four posters, 2,000 commands each, at the same time.
    func testTheInboxLosesAndReordersNoCommand() async throws {
        let manager = PoolManager()
        let posters = 4
        let perPoster = 2000
        let seen = SeenCommands(posters: posters)
        await withTaskGroup(of: Void.self) { group in
            for poster in 0..<posters {
                group.addTask {
                    for number in 0..<perPoster {
                        manager.runOnNetworkThread { _ in seen.lists.withLock { $0[poster].append(number) } }
                    }
                }
            }
        }
        // Everything posted before this command was carried out before it.
        let onThread = await withCheckedContinuation { (done: CheckedContinuation<Bool, Never>) in
            manager.runOnNetworkThread { done.resume(returning: $0) }
        }
        XCTAssertTrue(onThread)
        let lists = seen.lists.withLock { $0 }
        for (poster, list) in lists.enumerated() {
            XCTAssertEqual(list, Array(0..<perPoster), "poster \(poster)'s commands were lost or reordered")
        }
    }

    /// Chunk delivery costs one hand-off per batch of chunks: with a delivery interval the
    /// network thread resumes a waiting reader for body bytes at most once per interval
    /// (counted by the pool, the first bytes included), however many chunks came meanwhile.
    /// Bounded by the stream's own length as the test saw it (the pool's first and last
    /// wake-up lie inside it), so a slow machine only loosens the bound; a hand-off per chunk
    /// would count about 100.
    func testADeliveryIntervalBatchesChunkHandOffs() async throws {
        let server = try ScriptedHTTPServer()
        defer { server.stop() }
        let manager = PoolManager()
        var request = HTTPRequest(url: server.url("/stream?chunks=100&ms=2"))
        let interval = 0.05
        request.deliveryInterval = interval
        var text = ""
        let started = ContinuousClock.now
        for try await event in manager.stream(request) {
            if case .body(let bytes) = event { text += String(decoding: bytes, as: UTF8.self) }
        }
        let elapsed = started.duration(to: .now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        XCTAssertEqual(text, (0..<100).map { "chunk \($0)\n" }.joined(), "chunks were lost or reordered")
        let handOffs = manager.readerWakeUps
        XCTAssertGreaterThanOrEqual(handOffs, 1, "the reader was never woken for bytes")
        XCTAssertLessThanOrEqual(handOffs, Int(seconds / interval) + 1, "\(handOffs) hand-offs for 100 chunks in \(seconds) s")
        XCTAssertLessThan(handOffs, 50)
    }

    func testAFinishedStreamIsNotCancelledWhenItsReaderGoes() {
        let cancels = Counter()
        let slot = StreamSlot(cancelTransfer: { cancels.increment() })
        slot.finish(.success(TransferMetrics()))
        slot.stopReading()
        XCTAssertEqual(cancels.value, 0)
    }

    func testThreadOwnerKnowsItsThread() {
        var owner = ThreadOwner()
        XCTAssertTrue(owner.isOwnedOrUnclaimed, "unclaimed: anyone may use it")
        owner.claim()
        XCTAssertTrue(owner.isOwnedOrUnclaimed)
        let result = Box(owner)
        var other = pthread_t()
        pthread_create(&other, nil, { context in
            let box = Unmanaged<Box>.fromOpaque(context!).takeUnretainedValue()
            box.value = box.owner.isOwnedOrUnclaimed
            return nil
        }, Unmanaged.passUnretained(result).toOpaque())
        pthread_join(other, nil)
        XCTAssertFalse(result.value, "another thread is not the owner")
    }

    /// With no descriptors left, the network thread cannot make its epoll instance. Before,
    /// the -1 was kept and `epoll_wait(-1)` failed at once on every turn: a spinning thread
    /// and requests that never answered. Now every request fails at once, saying why.
    func testNoDescriptorsLeftFailsRequestsAtOnceWithTheReason() async throws {
        CurlGlobal.ensureInitialised()
        var saved = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &saved)
        var none = saved
        none.rlim_cur = 0
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &none)
        let manager = PoolManager()
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &saved)
        let started = ContinuousClock.now
        do {
            _ = try await manager.send(HTTPRequest(url: "http://127.0.0.1:9/ok"))
            XCTFail("a manager without an epoll instance answered")
        } catch let error as PoolError {
            XCTAssertEqual(error.kind, .unavailable)
            XCTAssertTrue(error.description.contains("epoll_create1 failed"), error.description)
        }
        do {
            for try await _ in manager.stream(HTTPRequest(url: "http://127.0.0.1:9/ok")) {}
            XCTFail("a stream without an epoll instance answered")
        } catch let error as PoolError {
            XCTAssertEqual(error.kind, .unavailable)
        }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(5))
        await manager.closeAll()
        manager.shutdown()
    }

    func testASelectorThatCannotBeMadeFailsRequestsWithItsReason() async throws {
        let manager = PoolManager(makeSelector: { () throws(PoolSetupError) -> EpollSelector in
            throw .system(call: "eventfd", errno: EMFILE)
        })
        do {
            _ = try await manager.send(HTTPRequest(url: "http://127.0.0.1:9/ok"))
            XCTFail("expected unavailable")
        } catch let error as PoolError {
            XCTAssertEqual(error, .unavailable("eventfd failed: Too many open files"))
        }
    }
}

/// What each poster's commands appended on the network thread, in the order carried out.
private final class SeenCommands: Sendable {
    let lists: Mutex<[[Int]]>
    init(posters: Int) { lists = Mutex(Array(repeating: [], count: posters)) }
}

private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}

private final class Box {
    let owner: ThreadOwner
    var value = true
    init(_ owner: ThreadOwner) { self.owner = owner }
}
