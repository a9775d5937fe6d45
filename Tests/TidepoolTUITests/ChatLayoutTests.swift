import TidepoolTUI
import XCTest

final class ChatLayoutTests: XCTestCase {
    /// Every visible rect lies inside the screen and none overlap.
    func assertTiles(_ layout: ChatLayout, width: Int, height: Int, file: StaticString = #filePath, line: UInt = #line) {
        let screen = Rect(x: 0, y: 0, width: width, height: height)
        let rects = layout.panes.compactMap { $0 } + [layout.panel, layout.input, layout.status].compactMap { $0 }
        for r in rects where !r.isEmpty {
            XCTAssertEqual(r.intersection(screen), r, "\(r) outside \(width)x\(height)", file: file, line: line)
        }
        for (i, a) in rects.enumerated() {
            for b in rects[(i + 1)...] where !a.isEmpty && !b.isEmpty {
                XCTAssertTrue(a.intersection(b).isEmpty, "\(a) overlaps \(b)", file: file, line: line)
            }
        }
    }

    func testLargeTerminalsPutPanesSideBySideWithPanel() {
        let l = ChatLayout(width: 200, height: 50, paneCount: 4)
        assertTiles(l, width: 200, height: 50)
        XCTAssertEqual(l.panel, Rect(x: 166, y: 0, width: 34, height: 46))
        XCTAssertEqual(l.panes.map { $0?.width }, [42, 42, 41, 41])
        XCTAssertEqual(l.input, Rect(x: 0, y: 46, width: 200, height: 3))
        XCTAssertEqual(l.status, Rect(x: 0, y: 49, width: 200, height: 1))
        XCTAssertFalse(l.compact)
    }

    func testSixPanesWrapIntoRowsAt160x45() {
        let l = ChatLayout(width: 160, height: 45, paneCount: 6, draftLines: 3)
        assertTiles(l, width: 160, height: 45)
        XCTAssertEqual(l.input.height, 5)
        XCTAssertEqual(Set(l.panes.map { $0!.y }).count, 2)
        XCTAssertEqual(l.panes[4]!.width + l.panes[5]!.width, 126)  // last row shares the width
    }

    func testClassicTerminal80x24() {
        let l = ChatLayout(width: 80, height: 24, paneCount: 2, draftLines: 20)
        assertTiles(l, width: 80, height: 24)
        XCTAssertEqual(l.panel?.width, 34)
        // 46 columns beside the panel are too few for two 24-column panes: they stack.
        XCTAssertEqual(l.panes.map { $0?.width }, [46, 46])
        XCTAssertLessThan(l.panes[0]!.y, l.panes[1]!.y)
        XCTAssertEqual(l.input.height, 7)  // capped at a third of the rows
        XCTAssertNotNil(l.panes[0])
        XCTAssertNotNil(l.panes[1])
    }

    func testSmallTerminalStacksPanesAndHidesPanel() {
        let l = ChatLayout(width: 40, height: 12, paneCount: 2)
        assertTiles(l, width: 40, height: 12)
        XCTAssertNil(l.panel)
        XCTAssertEqual(l.panes[0]!.x, l.panes[1]!.x)
        XCTAssertLessThan(l.panes[0]!.y, l.panes[1]!.y)
        XCTAssertEqual(l.panes[0]!.width, 40)
    }

    func testTinyTerminalDegrades() {
        let l = ChatLayout(width: 20, height: 6, paneCount: 3, draftLines: 4, zoomedPane: nil)
        assertTiles(l, width: 20, height: 6)
        XCTAssertTrue(l.compact)
        XCTAssertEqual(l.status.height, 1)
        XCTAssertEqual(l.input.height, 2)
        XCTAssertNotNil(l.panes[0])
        for (w, h) in [(0, 0), (1, 1), (5, 2), (20, 6), (3, 40)] {
            for n in 0...5 {
                assertTiles(ChatLayout(width: w, height: h, paneCount: n, draftLines: 9), width: w, height: h)
            }
        }
    }

    func testZoomedPaneTakesTheWholeArea() {
        let normal = ChatLayout(width: 120, height: 40, paneCount: 3)
        let zoomed = ChatLayout(width: 120, height: 40, paneCount: 3, zoomedPane: 1)
        XCTAssertNil(zoomed.panes[0])
        XCTAssertNil(zoomed.panes[2])
        XCTAssertEqual(zoomed.panes[1]!.width, normal.panes.compactMap { $0 }.reduce(0) { $0 + $1.width })
        XCTAssertEqual(zoomed.panes[1]!.height, normal.panes[0]!.height)
    }

    func testScreenRendersAtEverySize() {
        // A whole frame drawn with real widgets at each size must not crash and must fill rows.
        for (w, h) in [(200, 50), (160, 45), (80, 24), (40, 12), (20, 6)] {
            let layout = ChatLayout(width: w, height: h, paneCount: 3)
            var screen = Screen(width: w, height: h)
            for (i, rect) in layout.panes.enumerated() {
                guard let rect else { continue }
                let block = Block(title: "pane \(i)", focused: i == 0)
                block.render(into: &screen, area: rect, theme: .default)
                Paragraph(lines: MarkdownRenderer(theme: .default).render("**hi** 中文", width: max(1, rect.width - 2)))
                    .render(into: &screen, area: layout.compact ? rect : block.inner(rect), theme: .default)
            }
            if let panel = layout.panel { Gauge(label: "c", active: 1, limit: 4).render(into: &screen, area: panel, theme: .default) }
            StatusLine(left: [Span("ready")]).render(into: &screen, area: layout.status, theme: .default)
            XCTAssertEqual(screen.lines.count, h)
            XCTAssertTrue(screen.lines.allSatisfy { TextWidth.width(of: $0) == w }, "\(w)x\(h)")
        }
    }
}
