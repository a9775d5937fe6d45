import TidepoolTUI
import XCTest

final class WidgetTests: XCTestCase {
    let theme = Theme.monochrome

    func testBlockTitleAndFocus() {
        var wide = Screen(width: 20, height: 3)
        Block(title: "llama3.2", trailingTitle: "ok", focused: false).render(into: &wide, area: wide.bounds, theme: theme)
        assertScreen(wide, ["╭ llama3.2 ──── ok ╮", "│                  │", "╰──────────────────╯"])
        var screen = Screen(width: 16, height: 3)
        Block(title: "a very long model name", trailingTitle: "no room", focused: true)
            .render(into: &screen, area: screen.bounds, theme: theme)
        assertScreen(screen, ["┏ a very long… ┓", "┃              ┃", "┗━━━━━━━━━━━━━━┛"])
        XCTAssertEqual(Block().inner(screen.bounds), Rect(x: 1, y: 1, width: 14, height: 1))
    }

    func testGaugeShowsActiveIdleQueuedAndNoData() {
        var screen = Screen(width: 30, height: 3)
        Gauge(label: "conn", active: 2, idle: 1, queued: 4, limit: 8)
            .render(into: &screen, area: Rect(x: 0, y: 0, width: 30, height: 1), theme: theme)
        Gauge(label: "conn", active: 0, limit: 0)
            .render(into: &screen, area: Rect(x: 0, y: 1, width: 30, height: 1), theme: theme)
        Gauge(label: "x", active: .nan, idle: .infinity, queued: -1, limit: 4)
            .render(into: &screen, area: Rect(x: 0, y: 2, width: 30, height: 1), theme: theme)
        assertScreen(screen, [
            "conn [███▒▒········] 2+1/8 +4q",
            "conn no data                  ",
            "x [····················] 0+0/4",
        ])
        XCTAssertEqual(screen[6, 0].style, theme[.barFill])
        XCTAssertEqual(screen[9, 0].style, theme[.barFill])
        XCTAssertEqual(screen[11, 0].style, theme[.bar])
        XCTAssertEqual(screen[27, 0].style, theme[.barQueued])
        XCTAssertFalse(screen.lines.joined().contains("nan"))
    }

    func testGaugeOverLimitMarksOverflow() {
        var screen = Screen(width: 20, height: 1)
        Gauge(label: "", active: 10, limit: 4).render(into: &screen, area: screen.bounds, theme: theme)
        assertScreen(screen, ["[██████████▶] 10+0/4"])
    }

    func testSparklineScalesAndHandlesEmptyAndNaN() {
        XCTAssertEqual(Sparkline(values: [0, 1, 2, 3, 4, 5, 6, 7]).symbols(width: 8), "▁▂▃▄▅▆▇█")
        XCTAssertEqual(Sparkline(values: []).symbols(width: 8), "")
        XCTAssertEqual(Sparkline(values: [0, 0, .nan, -3]).symbols(width: 8), "▁▁▁▁")
        XCTAssertEqual(Sparkline(values: [1, 2, 100], maximum: 10).symbols(width: 2), "▂█")
        var screen = Screen(width: 6, height: 1)
        Sparkline(values: [1, 2, 3]).render(into: &screen, area: screen.bounds, theme: theme)
        assertScreen(screen, ["   ▃▆█"])
        Sparkline(values: []).render(into: &screen, area: Rect(x: 0, y: 0, width: 2, height: 1), theme: theme)
        assertScreen(screen, ["   ▃▆█"])
    }

    func testParagraphScrollsAndClamps() {
        let lines = (1...5).map { StyledLine("line \($0)") }
        var screen = Screen(width: 7, height: 2)
        Paragraph(lines: lines, scrollOffset: Paragraph.tailOffset(lineCount: 5, height: 2))
            .render(into: &screen, area: screen.bounds, theme: theme)
        assertScreen(screen, ["line 4 ", "line 5 "])
        Paragraph(lines: lines, scrollOffset: 99).render(into: &screen, area: screen.bounds, theme: theme)
        assertScreen(screen, ["line 4 ", "line 5 "])
        var wrapped = Screen(width: 4, height: 3)
        Paragraph(lines: [StyledLine("ab cd ef")], wrap: true).render(into: &wrapped, area: wrapped.bounds, theme: theme)
        assertScreen(wrapped, ["ab  ", "cd  ", "ef  "])
    }

    func testStatusLineKeepsRightSideAndTruncatesLeft() {
        var screen = Screen(width: 20, height: 1)
        StatusLine(left: [Span("focused: llama3.2 streaming")], right: [Span("^Q quit")])
            .render(into: &screen, area: screen.bounds, theme: theme)
        assertScreen(screen, ["focused: ll… ^Q quit"])
        XCTAssertEqual(screen.lines[0].count, 20)
        XCTAssertEqual(screen[0, 0].style, .plain)
    }
}
