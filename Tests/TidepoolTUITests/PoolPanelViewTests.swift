import TidepoolChat
import TidepoolPool
import TidepoolProviders
@testable import TidepoolTUI
import XCTest

final class PoolPanelViewTests: XCTestCase {
    private let theme = Theme.monochrome

    private func render(
        _ stats: PoolManagerStats?, width: Int = 34, height: Int, servers: [Origin: ServerReading] = [:]
    ) -> Screen {
        var screen = Screen(width: width, height: height)
        PoolPanelView(stats: stats, servers: servers).render(into: &screen, area: screen.bounds, theme: theme)
        return screen
    }

    private static let local = Origin(scheme: "http", host: "127.0.0.1", port: 11434)

    /// The busy local pool alone, with a minute of samples and rates.
    private func busyLocal() -> PoolManagerStats {
        var stats = ChatFixtures.twoPools()
        var pool = stats.pools[0]
        pool.recent = RecentStats(
            span: 60, elapsed: 60,
            latency: [.firstByte: LatencySummary(count: 5, p50: 0.011, p95: 0.03),
                      .timeToFirstToken: LatencySummary(count: 5, p50: 0.25, p95: 0.5),
                      .total: LatencySummary(count: 5, p50: 2.5, p95: 4.1)],
            requests: 48, outputTokens: 2520)
        pool.errors = [.timeoutFirstByte: 1]
        stats.pools = [pool]
        return stats
    }

    func testAMonitoredPoolShowsTheServersNumbersBesideItsOwn() {
        let reading = ServerReading(snapshot: ServerSnapshot(
            requestsRunning: 4, requestsWaiting: 5, slotsBusy: 4, slotsTotal: 4, kvCacheUsage: 0.63))
        assertScreen(render(busyLocal(), height: 18, servers: [Self.local: reading]), [
            "╭ Pool ──────────────────────────╮",
            "│127.0.0.1:11434 HTTP/1.1 plain  │",
            "│conn [███▒·] 2 act 1 idle /4 +2q│",
            "│queued here 2 · at server 5 ×3  │",
            "│server slots 4/4 busy · kv 63%  │",
            "│requests 20: 17 ok, 1 failed    │",
            "│reuse 94% new 1 tls 0           │",
            "│60s: 0.8 req/s 42.0 tokens/s    │",
            "│errors timeout_first_byte 1     │",
            "│last 60s p50    p95    p50 all  │",
            "│connect  —      —      0.4 ms   │",
            "│1st byte 11 ms  30 ms  12 ms    │",
            "│ttft     250 ms 500 ms 310 ms   │",
            "│total    2.5 s  4.1 s  1.2 s    │",
            "│recent                     ▃▃▃█▃│",
            "│                                │",
            "│                                │",
            "╰────────────────────────────────╯",
        ])
    }

    func testAnOllamaServerShowsItsModelsAndAServerThatToldNothingSaysNoData() {
        let gib = 1 << 30
        let ollama = ServerReading(snapshot: ServerSnapshot(models: [
            .init(name: "qwen3:4b", loaded: true, sizeBytes: 3 * gib, vramBytes: 2 * gib),
            .init(name: "llama3.2", loaded: true, sizeBytes: 2 * gib, vramBytes: 2 * gib),
        ]))
        let ollamaLines = render(busyLocal(), height: 18, servers: [Self.local: ollama]).lines
        XCTAssertEqual(ollamaLines[3], "│queued here 2 ×3                │")
        XCTAssertEqual(ollamaLines[4], "│models 2 · VRAM 4.0 GB of 5.0 GB│")
        let silent = ServerReading(snapshot: ServerSnapshot(), problem: "GET /api/ps answered 404")
        let silentLines = render(busyLocal(), height: 18, servers: [Self.local: silent]).lines
        XCTAssertEqual(silentLines[4], "│server no data                  │")
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
        let screen = render(stats, height: 15)
        assertScreen(screen, [
            "╭ Pool ──────────────────────────╮",
            "│api.example.com:443 HTTP/2 TLS  │",
            "│conn [·········] 0 act 0 idle /6│",
            "│queued 0 max 0                  │",
            "│requests 0: 0 ok                │",
            "│reuse — new 0 tls 0             │",
            "│60s: — req/s — tokens/s         │",
            "│last 60s p50    p95    p50 all  │",
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
        let screen = render(ChatFixtures.twoPools(), height: 15)
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
