import TidepoolTUI
import XCTest

final class ChatLayoutTests: XCTestCase {
    /// Every visible rect lies inside the screen and none overlap.
    func assertTiles(_ layout: ChatLayout, width: Int, height: Int, file: StaticString = #filePath, line: UInt = #line) {
        let screen = Rect(x: 0, y: 0, width: width, height: height)
        let rects = layout.panes.compactMap { $0 } + [layout.panel, layout.infoBar, layout.input, layout.status].compactMap { $0 }
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
        // Issue 12 item 13: below 120 columns the panel is a line under the panes, and the
        // panes get the whole width, side by side.
        XCTAssertNil(l.panel)
        XCTAssertTrue(l.panelCollapsed)
        XCTAssertEqual(l.infoBar, Rect(x: 0, y: 15, width: 80, height: 1))
        XCTAssertEqual(l.panes.map { $0?.width }, [40, 40])
        XCTAssertEqual(l.panes[0]!.y, l.panes[1]!.y)
        XCTAssertEqual(l.hiddenPanes, 0)
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

    /// Issue 12 item 13: the panel keeps its column from 120 columns up, Ctrl-P still hides
    /// the collapsed line, and panes that do not fit are counted where they would have been.
    func testThePanelCollapsesBelow120ColumnsAndHiddenPanesAreCounted() {
        XCTAssertNotNil(ChatLayout(width: 120, height: 40, paneCount: 2).panel)
        let narrow = ChatLayout(width: 119, height: 40, paneCount: 2)
        XCTAssertNil(narrow.panel)
        XCTAssertNotNil(narrow.infoBar)
        let off = ChatLayout(width: 100, height: 30, paneCount: 2, showPanel: false)
        XCTAssertNil(off.infoBar)
        XCTAssertFalse(off.panelCollapsed)

        // Twelve panes in four columns need three rows of three; eight rows of pane area hold two.
        let crowded = ChatLayout(width: 160, height: 12, paneCount: 12)
        assertTiles(crowded, width: 160, height: 12)
        XCTAssertNotNil(crowded.panel)
        XCTAssertEqual(crowded.hiddenPanes, 4)
        XCTAssertEqual(crowded.panes.filter { $0 == nil }.count, 4)
        XCTAssertNotNil(crowded.infoBar, "hidden panes are announced")
        XCTAssertLessThan(crowded.infoBar!.right, crowded.panel!.x + 1)
        XCTAssertEqual(ChatLayout(width: 160, height: 45, paneCount: 12).hiddenPanes, 0)
        XCTAssertNil(ChatLayout(width: 160, height: 45, paneCount: 12).infoBar)

        for w in stride(from: 20, through: 130, by: 11) {
            for h in [6, 9, 12, 24] {
                for n in 1...9 {
                    let l = ChatLayout(width: w, height: h, paneCount: n)
                    assertTiles(l, width: w, height: h)
                    XCTAssertEqual(l.hiddenPanes, l.panes.filter { $0 == nil }.count)
                    if l.hiddenPanes > 0 && !l.panes.allSatisfy({ $0 == nil }) {
                        XCTAssertNotNil(l.infoBar, "\(w)x\(h), \(n) panes: \(l.hiddenPanes) hidden without notice")
                    }
                }
            }
        }
    }
}
