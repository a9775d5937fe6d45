@testable import TidepoolPool
import XCTest

/// The last minute's percentiles and rates, on explicit times.
final class RecentWindowTests: XCTestCase {
    func testOnlyTheLastMinuteCounts() {
        var window = RecentWindow()
        // One sample a second for 100 s, each as large as its time: the old ones are slow.
        for second in 0..<100 {
            window.record(.total, seconds: Double(second), at: Double(second))
            window.recordEnd(at: Double(second))
            window.recordTokens(10, at: Double(second))
        }
        let recent = window.summary(now: 99.5, age: 99.5)
        // Samples after 39.5 s: 40...99.
        XCTAssertEqual(recent.latency(.total).count, 60)
        XCTAssertEqual(recent.latency(.total).p50, 69)
        XCTAssertEqual(recent.latency(.total).p95, 96)
        XCTAssertEqual(recent.latency(.total).max, 99)
        XCTAssertEqual(recent.requests, 60)
        XCTAssertEqual(recent.requestsPerSecond, 1)
        XCTAssertEqual(recent.tokensPerSecond, 10)
        XCTAssertEqual(recent.latency(.firstByte).count, 0, "a measure with no samples is no data")
        // A minute later with nothing new: empty, and the rates are zero, not stale.
        let later = window.summary(now: 200, age: 200)
        XCTAssertEqual(later.latency(.total).count, 0)
        XCTAssertEqual(later.requestsPerSecond, 0)
    }

    func testAYoungPoolsRateIsNotDilutedAndKeepsAtMostItsCapacity() {
        var window = RecentWindow()
        for index in 0..<(RecentWindow.capacity + 500) { window.recordEnd(at: 10 + Double(index) / 1e6) }
        window.record(.timeToFirstToken, seconds: .nan, at: 10)
        let recent = window.summary(now: 11, age: 2)
        XCTAssertEqual(recent.elapsed, 2)
        XCTAssertEqual(recent.requests, RecentWindow.capacity, "the newest samples are kept")
        XCTAssertEqual(recent.latency(.timeToFirstToken).count, 0, "NaN is never a sample")
        XCTAssertNil(RecentWindow().summary(now: 0.5, age: 0.5).requestsPerSecond, "no rate before a second")
    }
}
