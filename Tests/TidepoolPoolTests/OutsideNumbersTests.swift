@testable import TidepoolPool
import TestSupport
import XCTest

/// Numbers from outside (config files, command lines) that are finite but huge, infinite or
/// NaN must never trap: not in the clock, not in libcurl's options, not in the admission limit.
final class OutsideNumbersTests: XCTestCase {
    func testTheClockSaturatesInsteadOfTrapping() {
        let now = MonotonicClock.now()
        XCTAssertEqual(MonotonicClock.adding(1e300, to: now), UInt64.max)
        XCTAssertEqual(MonotonicClock.adding(.infinity, to: now), UInt64.max)
        XCTAssertEqual(MonotonicClock.adding(Double(UInt64.max), to: 0), UInt64.max)
        XCTAssertEqual(MonotonicClock.adding(.nan, to: now), UInt64.max, "a limit that is no number limits nothing")
        XCTAssertEqual(MonotonicClock.adding(-5, to: now), now)
        XCTAssertEqual(MonotonicClock.adding(1, to: UInt64.max - 10), UInt64.max, "the sum saturates too")
        XCTAssertEqual(MonotonicClock.adding(0.5, to: 1_000), 500_001_000)
    }

    func testLibcurlDurationsAreClamped() {
        XCTAssertEqual(CurlDuration.milliseconds(1e300), Int(Int32.max))
        XCTAssertEqual(CurlDuration.milliseconds(.infinity), Int(Int32.max))
        XCTAssertEqual(CurlDuration.milliseconds(.nan), Int(Int32.max))
        XCTAssertEqual(CurlDuration.milliseconds(-.infinity), 1)
        XCTAssertEqual(CurlDuration.milliseconds(0.0001), 1)
        XCTAssertEqual(CurlDuration.milliseconds(2.5), 2500)
        XCTAssertEqual(CurlDuration.seconds(.infinity), Int(Int32.max))
        XCTAssertEqual(CurlDuration.seconds(89.2), 90)
        XCTAssertEqual(CurlDuration.count(Int.max), Int(Int32.max))
        XCTAssertEqual(CurlDuration.count(0), 1)
    }

    func testTimeoutMessagesNeverConvertAHugeNumberToInt() {
        let origin = "http://127.0.0.1:1"
        XCTAssertEqual(PoolError.timedOut(.idle, after: .infinity, origin: origin).description,
                       "timed out after forever waiting for more data (the stream went silent) (\(origin))")
        XCTAssertTrue(PoolError.timedOut(.queue, after: 1e300, origin: origin).description.contains("1e+300 s"))
        XCTAssertTrue(PoolError.timedOut(.queue, after: .nan, origin: origin).description.contains("an invalid time"))
        XCTAssertTrue(PoolError.timedOut(.queue, after: 2, origin: origin).description.contains("after 2 s"))
    }

    /// End to end: every limit and clock at its most absurd, one request through a real
    /// server. Before, setting up the transfer trapped (`Int(1e300 * 1000)`), as did the
    /// deadline clock and the HTTP/2 admission limit.
    func testAbsurdLimitsAndTimeoutsStillCarryARequest() async throws {
        let server = try ScriptedHTTPServer()
        defer { server.stop() }
        let huge = PoolLimits(maxConnections: Int.max, maxIdleConnections: Int.max, idleExpiry: .infinity,
                              maxStreamsPerConnection: Int.max)
        let manager = PoolManager(defaultLimits: huge)
        for timeouts in [
            RequestTimeouts(queue: 1e300, connect: 1e300, firstByte: 1e300, idle: 1e300, total: 1e300),
            RequestTimeouts(queue: .infinity, connect: .infinity, firstByte: .infinity, idle: .infinity, total: .infinity),
            RequestTimeouts(queue: .nan, connect: .nan, firstByte: .nan, idle: .nan, total: .nan),
        ] {
            let response = try await manager.send(HTTPRequest(url: server.url("/ok"), timeouts: timeouts))
            XCTAssertEqual(response.text, "ok\n")
        }
        manager.setDefaultLimits(PoolLimits(idleExpiry: 1e300))
        let response = try await manager.send(HTTPRequest(url: server.url("/ok")))
        XCTAssertEqual(response.head.status, 200)
        XCTAssertEqual(manager.stats().total.requestsFinished, 4)
    }
}
