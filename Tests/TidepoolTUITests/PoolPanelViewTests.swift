import TidepoolPool
@testable import TidepoolTUI
import XCTest

final class PoolPanelViewTests: XCTestCase {
    private let theme = Theme.monochrome

    private func render(_ stats: PoolManagerStats?, width: Int = 34, height: Int) -> Screen {
        var screen = Screen(width: width, height: height)
        PoolPanelView(stats: stats).render(into: &screen, area: screen.bounds, theme: theme)
        return screen
    }

    func testNoSnapshotSaysSo() {
        assertScreen(render(nil, width: 20, height: 3), [
            "╭ Pool ────────────╮",
            "│no data yet       │",
            "╰──────────────────╯",
        ])
    }

    func testAPoolWithoutSamplesSaysNoDataNeverNaN() {
        var stats = ChatFixtures.twoPools()
        stats.pools = [stats.pools[1]]
        let screen = render(stats, height: 14)
        assertScreen(screen, [
            "╭ Pool ──────────────────────────╮",
            "│api.example.com:443 HTTP/2 TLS  │",
            "│conn [···················] 0+0/6│",
            "│queued 0 max 0                  │",
            "│requests 0: 0 ok                │",
            "│reuse — new 0 tls 0             │",
            "│latency  p50      p95           │",
            "│connect  no data                │",
            "│1st byte no data                │",
            "│ttft     no data                │",
            "│total    no data                │",
            "│recent                          │",
            "│                                │",
            "╰────────────────────────────────╯",
        ])
    }

    func testShortPanelKeepsWholePoolsAndCountsTheRest() {
        let screen = render(ChatFixtures.twoPools(), height: 14)
        let text = screen.lines.joined(separator: "\n")
        XCTAssertTrue(text.contains("127.0.0.1:11434 HTTP/1.1 plain"))
        XCTAssertTrue(text.contains("recent"))
        XCTAssertTrue(text.contains("+1 more"), text)
        XCTAssertFalse(text.contains("api.example.com"))
        // Even a panel too short for one pool shows its start rather than nothing.
        let tiny = render(ChatFixtures.twoPools(), height: 5).lines.joined(separator: "\n")
        XCTAssertTrue(tiny.contains("127.0.0.1:11434"), tiny)
        XCTAssertTrue(tiny.contains("+1 more"), tiny)
        for height in 0...30 { _ = render(ChatFixtures.twoPools(), width: height, height: height) }
    }

    func testFigureFormatting() {
        XCTAssertEqual(Figures.latency(0.00042), "0.4 ms")
        XCTAssertEqual(Figures.latency(0.012), "12 ms")
        XCTAssertEqual(Figures.latency(0.9996), "1.0 s")
        XCTAssertEqual(Figures.latency(1.23), "1.2 s")
        XCTAssertEqual(Figures.latency(95), "95 s")
        XCTAssertEqual(Figures.latency(.nan), "—")
        XCTAssertEqual(Figures.latency(-1), "—")
        XCTAssertEqual(Figures.seconds(0.421), "0.42 s")
        XCTAssertEqual(Figures.seconds(5.64), "5.6 s")
        XCTAssertEqual(Figures.seconds(.infinity), "—")
        XCTAssertEqual(Figures.rate(38.14), "38.1")
        XCTAssertEqual(Figures.percent(16.0 / 17.0), "94%")
        XCTAssertEqual(Figures.percent(nil), "—")
        XCTAssertEqual(Figures.bytes(512), "512 B")
        XCTAssertEqual(Figures.bytes(48_000), "47 KB")
        XCTAssertEqual(Figures.bytes(1_500), "1.5 KB")
        XCTAssertEqual(Figures.fixed(0.05, digits: 1), "0.1")
    }
}
