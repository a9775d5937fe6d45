@testable import TidepoolPool
@testable import TidepoolTUI
import XCTest

/// The panel's line for an auto-sized pool.
final class PoolPanelAutoSizeTests: XCTestCase {
    private let theme = Theme.monochrome

    private func pool(autoSized: Bool, change: LimitChange? = nil, admitted: Int = 16) -> PoolStats {
        var pool = PoolStats(name: "sim", origin: Origin(scheme: "http", host: "127.0.0.1", port: 8080),
                             limits: PoolLimits(maxConnections: 16))
        pool.autoSized = autoSized
        pool.lastLimitChange = change
        pool.admissionLimit = admitted
        pool.concurrencyLimit = Double(admitted)
        return pool
    }

    func testAFixedPoolHasNoLimitLine() {
        XCTAssertNil(PoolPanelView.autoSizeLine(pool(autoSized: false), theme: theme))
    }

    func testBeforeAnyMoveItSaysAuto() {
        XCTAssertEqual(PoolPanelView.autoSizeLine(pool(autoSized: true), theme: theme)?.plainText, "limit 16 auto")
    }

    func testTheLastMoveShowsDirectionReasonAndTime() throws {
        let at = 1_764_424_931.0  // some moment; its local time of day is what the line shows
        let down = LimitChange(direction: .down, reason: .rateLimited, from: 3.6, to: 3.24, at: at)
        let line = try XCTUnwrap(PoolPanelView.autoSizeLine(pool(autoSized: true, change: down, admitted: 3), theme: theme))
        XCTAssertEqual(line.plainText, "limit 3 ↓ 429 " + PoolPanelView.timeOfDay(at))
        XCTAssertLessThanOrEqual(line.width, 32, "fits the panel's interior")
        let up = LimitChange(direction: .up, reason: .fullUse, from: 4, to: 5, at: at)
        XCTAssertEqual(PoolPanelView.autoSizeLine(pool(autoSized: true, change: up, admitted: 5), theme: theme)?.plainText,
                       "limit 5 ↑ full " + PoolPanelView.timeOfDay(at))
        let start = LimitChange(direction: .up, reason: .slowStart, from: 15, to: 16, at: at)
        let started = try XCTUnwrap(PoolPanelView.autoSizeLine(pool(autoSized: true, change: start, admitted: 16), theme: theme))
        XCTAssertEqual(started.plainText, "limit 16 ↑ start " + PoolPanelView.timeOfDay(at))
        XCTAssertLessThanOrEqual(started.width, 32)
    }

    func testTimeOfDayIsTwoDigitsEach() {
        let text = PoolPanelView.timeOfDay(3_661)
        XCTAssertEqual(text.count, 8)
        XCTAssertTrue(text.hasSuffix(":01:01"), text)  // any whole-hour time zone
        XCTAssertEqual(PoolPanelView.timeOfDay(.nan).count, 8)
    }

    func testTheLineAppearsInThePoolsSection() {
        var stats = PoolManagerStats(pools: [pool(autoSized: true)], total: PoolStats(name: "total", origin: nil, limits: .default))
        stats.total.autoSized = false
        var screen = Screen(width: 34, height: 20)
        PoolPanelView(stats: stats).render(into: &screen, area: screen.bounds, theme: theme)
        XCTAssertTrue(screen.lines.contains { $0.contains("limit 16 auto") }, screen.lines.joined(separator: "\n"))
    }
}
