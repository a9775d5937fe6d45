import TidepoolChat
import TidepoolProviders
import TidepoolTUI
import XCTest

final class ChatScreenTests: XCTestCase {
    private let theme = Theme.monochrome

    private func frame(_ state: AppState, _ width: Int, _ height: Int, editor: LineEditor = LineEditor())
        -> (screen: Screen, cursor: (x: Int, y: Int)?)
    {
        let fresh = ChatScreen.render(state: state, editor: editor, theme: theme, width: width, height: height)
        // The cached path the chat loop uses must paint exactly the same cells.
        let cached = ChatScreen.render(state: state, editor: editor, theme: theme, width: width, height: height,
                                       cache: TranscriptCache())
        XCTAssertEqual(cached.screen.cells, fresh.screen.cells, "the cached rendering differs")
        // So must a frame drawn into an old one (the chat loop recycles the frame before last).
        var old = Screen(width: width, height: height, fill: Cell("#", style: Style(attributes: .bold)))
        old.put("stale 中文 text", x: 1, y: 1, style: .plain)
        var canvas: Screen? = old
        old = Screen(width: 0, height: 0)
        var editor = editor
        let recycled = ChatScreen.render(state: state, editor: &editor, theme: theme, width: width, height: height,
                                         cache: TranscriptCache(), canvas: &canvas)
        XCTAssertEqual(recycled.screen, fresh.screen, "a frame drawn into a recycled screen differs")
        XCTAssertNil(canvas, "the canvas is taken")
        return fresh
    }

    private func assertContains(
        _ screen: Screen, _ needles: [String], file: StaticString = #filePath, line: UInt = #line
    ) {
        let text = screen.lines.joined(separator: "\n")
        for needle in needles {
            XCTAssertTrue(text.contains(needle), "missing \"\(needle)\" in\n\(text)", file: file, line: line)
        }
        for bad in ["nan", "inf", "NaN"] {
            XCTAssertFalse(text.contains(bad), "\"\(bad)\" on screen", file: file, line: line)
        }
    }

    func testWideScreenShowsPanesPanelInputAndStatus() {
        let state = ChatFixtures.threePaneState()
        for (width, height) in [(200, 50), (160, 45)] {
            let (screen, cursor) = frame(state, width, height)
            assertContains(screen, [
                "1 ollama:llama3.2", "✓ done", "2 sim:sim-fast", "● streaming", "3 ollama:qwen3:8b", "✗ error",
                "› Explain HTTP keep-alive briefly", "Keep-alive lets a client reuse one TCP",
                "• fewer handshakes", "▾ reasoning", "The user wants a short answer.",
                "✗ no server at 127.0.0.1:11434; is", "running?", "`ollama serve`",
                // Short of room, the footer drops the prompt's tokens first (issue 12 item 7).
                width >= 200 ? "ttft 0.42 s · 38.1 tok/s · in 5 / out 212 tok · 5.6 s" : "ttft 0.42 s · 38.1 tok/s · 5.6 s",
                "╭ Pool", "127.0.0.1:11434 HTTP/1.1 plain", "conn [", "2 act 1 idle /4 +2q", "queued 2 max 2 exhausted ×3",
                "requests 20: 17 ok, 1 failed", "reuse 94% new 1 tls 0", "connect  —      —      0.4 ms",
                "1st byte —      —      12 ms", "ttft     —      —      310 ms", "total    —      —      1.2 s",
                "api.example.com:443 HTTP/2 TLS", "connect  no data", "all pools",
                "→ pane 2 (sim:sim-fast)", "Ask something…", "Enter  send", "Ctrl-Q  quit",
            ])
            // The focused pane has the heavy frame, the others the light one.
            XCTAssertTrue(screen.lines[0].hasPrefix("╭ 1 ollama:llama3.2"))
            XCTAssertTrue(screen.lines[0].contains("┏ 2 sim:sim-fast"))
            let input = ChatScreen.layout(state: state, editor: LineEditor(), width: width, height: height).input
            XCTAssertEqual(cursor?.x, input.x + 1)
            XCTAssertEqual(cursor?.y, input.y + 1)
            // The queue count is the alert style while requests wait.
            let row = screen.lines.firstIndex { $0.contains("queued 2 max") }!
            let column = Array(screen.lines[row]).firstIndex(of: "q")! + 7
            XCTAssertEqual(screen[column, row].text, "2")
            XCTAssertEqual(screen[column, row].style, theme[.alert])
        }
    }

    /// Issue 12 items 7 and 13: at 80 columns the panel is one line under the panes, which
    /// share the width; titles shorten their names and keep their states.
    func testStandardTerminalPutsPanesSideBySideWithThePanelAsOneLine() {
        let (screen, _) = frame(ChatFixtures.threePaneState(), 80, 24)
        assertContains(screen, [
            "╭ 1 llama3.2", "✓ done", "┏ 2 sim:sim-fast", "●", "╭ 3 qwen3:8b", "✗ error",
            "Pool 2 pools · conn ", "→ pane 2 (sim:sim-fast)", "ttft 0.42 s · 38.1 tok/s",
        ])
        XCTAssertFalse(screen.lines.joined().contains("╭ Pool"))
        XCTAssertFalse(screen.lines.joined().contains("api.example.com"))
        XCTAssertEqual(screen.lines[23].prefix(12), " Enter  send")
    }

    func testSmallTerminalHidesThePanelButKeepsTheModeMarker() {
        let (screen, cursor) = frame(ChatFixtures.threePaneState(), 40, 12)
        assertContains(screen, ["2 sim:sim-fast", "→ pane 2 (sim:sim-fast)"])
        XCTAssertFalse(screen.lines.joined().contains("Pool"))
        XCTAssertNotNil(cursor)
    }

    func testTinyTerminalsNeverCrash() {
        var state = ChatFixtures.threePaneState()
        let (tiny, _) = frame(state, 20, 6)
        // The state stays; the provider gives way (issue 12 item 7).
        assertContains(tiny, ["→2", "1 llama3.2 ✓ done", "2 sim:sim-fast ●", "3 qwen3:8b ✗ error"])
        var editor = LineEditor()
        editor.insert("a draft\nwith two lines")
        for overlay in 0..<3 {
            state.helpVisible = overlay == 1
            state.comparisonVisible = overlay == 2
            for width in 0...32 {
                for height in 0...12 {
                    let (screen, cursor) = frame(state, width, height, editor: editor)
                    XCTAssertEqual(screen.width, width)
                    if let cursor {
                        XCTAssertTrue(screen.bounds.contains(x: cursor.x, y: cursor.y), "\(width)x\(height)")
                    }
                }
            }
        }
        state.zoomed = true
        state.panes = []
        _ = frame(state, 1, 1)
        assertContains(frame(state, 60, 20).screen, ["no panes: Alt-N opens one", "→ no pane"])
    }

    func testBroadcastMarker() {
        var state = ChatFixtures.threePaneState()
        state.broadcast = true
        assertContains(frame(state, 100, 30).screen, ["⇉ ALL 3 panes (broadcast)"])
        assertContains(frame(state, 20, 6).screen, ["⇉ALL"])
    }

    func testZoomShowsOnlyTheFocusedPane() {
        var state = ChatFixtures.threePaneState()
        state.zoomed = true
        let text = frame(state, 120, 30).screen.lines.joined()
        XCTAssertTrue(text.contains("2 sim:sim-fast"))
        XCTAssertFalse(text.contains("1 ollama:llama3.2"))
        XCTAssertTrue(text.contains("[zoom]"))
    }

    func testQuitConfirmationReplacesTheHints() {
        var state = ChatFixtures.threePaneState()
        state.confirmingQuit = true
        let (screen, _) = frame(state, 80, 24)
        XCTAssertEqual(screen.lines[23], (" Still streaming: quit? y/n " as String).padding(to: 80))
        XCTAssertEqual(screen[1, 23].style, theme[.alert])
        XCTAssertEqual(screen[79, 23].style, theme[.alert])
    }

    func testNoticeShowsOnTheRightSanitised() {
        var state = ChatFixtures.threePaneState()
        state.notice = "theme: \u{1b}[31mdusk"
        let (screen, _) = frame(state, 100, 30)
        XCTAssertTrue(screen.lines[29].hasSuffix(" theme: dusk "))
    }

    func testHelpListsEveryBinding() {
        var state = ChatFixtures.threePaneState()
        state.helpVisible = true
        for (width, height) in [(120, 40), (80, 24)] {
            let (screen, cursor) = frame(state, width, height)
            XCTAssertNil(cursor)
            assertContains(screen, ["Keys", HelpOverlay.closeHint])
            let text = screen.lines.joined(separator: "\n")
            for binding in KeyMap.bindings {
                XCTAssertTrue(
                    screen.lines.contains { $0.contains(binding.names) && $0.contains(binding.summary) },
                    "\(binding.names) \(binding.summary) missing at \(width)x\(height):\n\(text)")
            }
        }
        // Too small for the list: says how many are missing instead of hiding them silently.
        let (small, _) = frame(state, 40, 12)
        assertContains(small, ["more: enlarge"])
    }

    func testComparisonHighlightsTheBestFigures() {
        var state = ChatFixtures.threePaneState()
        // Pane 2 finishes: faster first token, slower generation than pane 1.
        state.panes[1].turns[1].status = .done
        state.panes[1].turns[1].timings = ChatTimings(timeToFirstToken: 0.2, total: 7.5, tokensPerSecond: 30)
        state.panes[1].turns[1].outputTokens = 180
        state.comparisonVisible = true
        let (screen, cursor) = frame(state, 100, 30)
        XCTAssertNil(cursor)
        assertContains(screen, ["Broadcast comparison", "ttft", "tok/s", "status", ComparisonView.footer])
        let rows = screen.lines
        let first = rows.firstIndex { $0.contains("1  ollama:llama3.2") }!
        let second = rows.firstIndex { $0.contains("2  sim:sim-fast") }!
        let third = rows.firstIndex { $0.contains("3  ollama:qwen3:8b") }!
        XCTAssertLessThan(first, second, "ranked by total time")
        XCTAssertLessThan(second, third, "the failed answer ranks last")
        func style(of text: String, row: Int) -> Style {
            let column = TextWidth.width(of: String(rows[row][..<rows[row].range(of: text)!.lowerBound]))
            return screen[column, row].style
        }
        XCTAssertEqual(style(of: "0.20 s", row: second), theme[.highlight], "best ttft")
        XCTAssertEqual(style(of: "0.42 s", row: first), theme[.panelValue])
        XCTAssertEqual(style(of: "38.1", row: first), theme[.highlight], "best tok/s")
        XCTAssertEqual(style(of: "30.0", row: second), theme[.panelValue])
        XCTAssertEqual(style(of: "5.6 s", row: first), theme[.highlight], "best total")

        state.lastBroadcast = nil
        assertContains(frame(state, 100, 30).screen, ["no broadcast yet"])
    }
}

extension String {
    /// The string padded with spaces to `width` columns.
    func padding(to width: Int) -> String {
        self + String(repeating: " ", count: max(0, width - TextWidth.width(of: self)))
    }
}
