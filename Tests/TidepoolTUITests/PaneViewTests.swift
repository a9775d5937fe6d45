import TidepoolChat
import TidepoolProviders
@testable import TidepoolTUI
import XCTest

final class PaneViewTests: XCTestCase {
    private let theme = Theme.monochrome

    private func render(_ pane: Pane, width: Int, height: Int, focused: Bool = true) -> Screen {
        var screen = Screen(width: width, height: height)
        PaneView(pane: pane, number: 1, focused: focused).render(into: &screen, area: screen.bounds, theme: theme)
        // The cached path the chat loop uses must paint exactly the same cells.
        var cached = Screen(width: width, height: height)
        PaneView(pane: pane, number: 1, focused: focused, cache: TranscriptCache())
            .render(into: &cached, area: cached.bounds, theme: theme)
        XCTAssertEqual(cached.lines, screen.lines, "the cached rendering differs")
        XCTAssertEqual(cached.cells, screen.cells, "the cached rendering differs in style")
        return screen
    }

    private func answer(_ text: String, status: PaneStatus = .done) -> Turn {
        Turn(id: 2, role: .assistant, text: text, status: status)
    }

    func testEmptyPaneShowsTheHintAndNoFigures() {
        let screen = render(Pane(id: 1, provider: "sim", model: "sim-fast"), width: 40, height: 5)
        assertScreen(screen, [
            "┏ 1 sim:sim-fast ━━━━━━━━━━━━━ ○ idle ━┓",
            "┃type a prompt below; Enter sends      ┃",
            "┃                                      ┃",
            "┃—                                     ┃",
            "┗━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┛",
        ])
    }

    func testEscapeSequencesInModelTextNeverReachCells() {
        var pane = Pane(id: 1, provider: "sim", model: "evil\u{1b}]0;title\u{07}")
        pane.turns = [
            Turn(id: 1, role: .user, text: "hi\u{1b}[2J"),
            answer("hello \u{1b}]0;pwned\u{07}world\u{1b}[2J and \u{1b}[31mred\u{1b}[0m"),
        ]
        pane.turns[1].reasoning = "think\u{1b}]52;c;Y2xpcA==\u{07}ing"
        var failed = answer("partial\u{1b}[1A", status: .error)
        failed.error = "server said \u{1b}[2Jno"
        pane.turns.append(Turn(id: 3, role: .user, text: "again"))
        pane.turns.append(failed)
        let screen = render(pane, width: 50, height: 16)
        let text = screen.lines.joined(separator: "\n")
        XCTAssertTrue(text.contains("hello world and red"), text)
        XCTAssertTrue(text.contains("thinking"), text)
        XCTAssertTrue(text.contains("✗ server said no"), text)
        XCTAssertTrue(text.contains("partial"), text)
        for bad in ["pwned", "[2J", "[31m", "]52", "title"] { XCTAssertFalse(text.contains(bad), bad) }
        for cell in screen.cells {
            for scalar in cell.text.unicodeScalars {
                XCTAssertFalse(scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value), "control \(scalar.value) in a cell")
            }
        }
    }

    func testWideCharactersWrapWhole() {
        var pane = Pane(id: 1, provider: "sim", model: "m")
        let cjk = "日本語のテキストを折り返すテスト😀😀😀 ok"
        pane.turns = [answer(cjk)]
        // Inner width 11 is odd, so a wide character would straddle the edge if wrapping were wrong.
        let screen = render(pane, width: 13, height: 12)
        for row in 1..<screen.height - 1 {
            for column in 1..<screen.width - 1 where screen[column, row].width == 2 {
                XCTAssertTrue(column + 1 < screen.width - 1, "wide char at the edge, row \(row)")
                XCTAssertTrue(screen[column + 1, row].isContinuation)
            }
        }
        let body = screen.lines[1..<(screen.height - 2)].map { $0.dropFirst().dropLast() }.joined()
        XCTAssertEqual(body.filter { $0 != " " }, cjk.filter { $0 != " " })
    }

    func testScrolledUpShowsHowMuchIsBelow() {
        var pane = Pane(id: 1, provider: "sim", model: "m")
        pane.turns = (1...30).map { Turn(id: $0, role: .user, text: "line \($0)") }
        pane.scrollBack = 5
        var text = render(pane, width: 30, height: 12).lines.joined(separator: "\n")
        XCTAssertTrue(text.contains("↓ 5 more"), text)
        XCTAssertFalse(text.contains("line 30"), text)
        // Following the stream: the newest line shows, no marker.
        pane.scrollBack = 0
        text = render(pane, width: 30, height: 12).lines.joined(separator: "\n")
        XCTAssertTrue(text.contains("› line 30"), text)
        XCTAssertFalse(text.contains("more"), text)
        // Scrolling past the top stops at the top.
        pane.scrollBack = 10_000
        text = render(pane, width: 30, height: 12).lines.joined(separator: "\n")
        XCTAssertTrue(text.contains("› line 1 "), text)
        XCTAssertTrue(text.contains("more"), text)
    }

    func testWindowArithmetic() {
        XCTAssertEqual(PaneView.window(lineCount: 0, height: 5, scrollBack: 3).lines, 0..<0)
        XCTAssertEqual(PaneView.window(lineCount: 3, height: 5, scrollBack: 3).lines, 0..<3)
        XCTAssertEqual(PaneView.window(lineCount: 20, height: 5, scrollBack: 0).lines, 15..<20)
        let back = PaneView.window(lineCount: 20, height: 5, scrollBack: 2)
        XCTAssertEqual(back.lines, 14..<18)
        XCTAssertEqual(back.below, 2)
        XCTAssertEqual(PaneView.window(lineCount: 20, height: 5, scrollBack: 99).lines, 0..<4)
        XCTAssertEqual(PaneView.window(lineCount: 20, height: 1, scrollBack: 2).lines, 17..<18)
    }

    func testReasoningFoldsToOneLineAndCancelledAnswersSaySo() {
        var pane = Pane(id: 1, provider: "sim", model: "m")
        var turn = answer("The answer.", status: .cancelled)
        turn.reasoning = "first I think about it carefully"
        pane.turns = [Turn(id: 1, role: .user, text: "q"), turn]
        pane.reasoningFolded = true
        let screen = render(pane, width: 40, height: 9)
        let text = screen.lines.joined(separator: "\n")
        XCTAssertTrue(text.contains("▸ reasoning (6 words, folded)"), text)
        XCTAssertFalse(text.contains("carefully"))
        XCTAssertTrue(text.contains("The answer.\n") || text.contains("The answer. "), text)
        XCTAssertTrue(text.contains("(cancelled)"), text)
        let row = screen.lines.firstIndex { $0.contains("▸ reasoning") }!
        XCTAssertEqual(screen[1, row].style, theme[.reasoning])
    }

    func testErrorKeepsTheTextReceivedAndUsesTheErrorStyle() {
        var pane = Pane(id: 1, provider: "ollama", model: "llama3.2")
        var failed = answer("half an ans", status: .error)
        failed.error = ChatFixtures.ollamaError
        pane.turns = [Turn(id: 1, role: .user, text: "q"), failed]
        pane.status = .error
        let screen = render(pane, width: 44, height: 9)
        let lines = screen.lines
        let textRow = lines.firstIndex { $0.contains("half an ans") }!
        let errorRow = lines.firstIndex { $0.contains("✗ no server at 127.0.0.1:11434;") }!
        XCTAssertLessThan(textRow, errorRow)
        XCTAssertEqual(screen[1, errorRow].style, theme[.error])
        XCTAssertTrue(lines[0].contains("✗ error"))
        XCTAssertEqual(screen[lines[0].count - 4, 0].style, theme[.error])
    }

    func testFooterLeavesOutAbsentAndNonFiniteFigures() {
        var pane = Pane(id: 1, provider: "sim", model: "m")
        var turn = answer("x")
        turn.timings = ChatTimings(timeToFirstToken: .nan, total: .infinity, tokensPerSecond: 12.25)
        turn.outputTokens = 40
        pane.turns = [turn]
        XCTAssertEqual(PaneView(pane: pane, number: 1, focused: false).footerLine(theme: theme).plainText, "12.3 tok/s · 40 tok")
        pane.turns[0].timings = nil
        pane.turns[0].outputTokens = nil
        XCTAssertEqual(PaneView(pane: pane, number: 1, focused: false).footerLine(theme: theme).plainText, "—")
    }

    func testTwentyTurnPaneRendersQuickly() {
        var pane = Pane(id: 1, provider: "sim", model: "m")
        for i in 0..<10 {
            pane.turns.append(Turn(id: 2 * i, role: .user, text: "question \(i) about pools and queues"))
            pane.turns.append(answer(String(repeating: "Some **bold** text and `code` in a line.\n- item\n", count: 20)))
        }
        var screen = Screen(width: 60, height: 40)
        let view = PaneView(pane: pane, number: 1, focused: true)
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for _ in 0..<5 { view.render(into: &screen, area: screen.bounds, theme: theme) }
        }
        // Generous bound (debug build, shared machine): a regression to quadratic work shows.
        XCTAssertLessThan(elapsed, .milliseconds(1500), "\(elapsed) for 5 renders")
    }
}
