import TidepoolChat
import TidepoolProviders
@testable import TidepoolTUI
import XCTest

/// Issue 12 item 7: a pane's title gives way before its state does, and the footer drops its
/// least useful figure first. Issue 12 item 5: a pane whose server is down says so at once.
final class PaneHeaderTests: XCTestCase {
    private let theme = Theme.monochrome

    /// Four panes on long model names, each in a different state.
    private func fourPanes() -> AppState {
        var state = AppState(panes: AppState.panes([
            ("sim-anthropic", "sim-thinker"), ("ollama", "llama3.1:8b-instruct-q4_K_M"),
            ("openrouter", "anthropic/claude-sonnet-4-20250514"), ("lmstudio", "qwen2.5-coder-32b-instruct"),
        ]))
        let states: [PaneStatus] = [.streaming, .cancelled, .done, .error]
        for (index, status) in states.enumerated() { state.panes[index].status = status }
        return state
    }

    func testEveryPaneKeepsItsStateAtFourPanesOn80And160Columns() {
        let state = fourPanes()
        for (width, height) in [(160, 45), (80, 24), (100, 30)] {
            let screen = ChatScreen.render(state: state, editor: LineEditor(), theme: theme, width: width, height: height).screen
            let text = screen.lines.joined(separator: "\n")
            // Every state shows: in words where the panes are wide enough, else its symbol.
            let states = width >= 160 ? ["● streaming", "■ cancelled", "✓ done", "✗ error"] : ["●", "■", "✓", "✗"]
            let titles = screen.lines.filter { $0.contains("╭") || $0.contains("┏") }.joined(separator: "\n")
            for state in states {
                XCTAssertTrue(titles.contains(state), "\(width)x\(height): \"\(state)\" missing in\n\(text)")
            }
            // Each title still starts with its number and a recognisable piece of the model.
            for piece in ["1 sim-thinker", "2 llama3.1", "3 anthropi", "qwen2.5"] {
                XCTAssertTrue(text.contains(piece), "\(width)x\(height): \"\(piece)\" missing in\n\(text)")
            }
        }
    }

    func testTheProviderGoesFirstThenTheModelsEndThenTheStatesWord() {
        func header(_ width: Int, bordered: Bool = true) -> (title: String, status: String) {
            PaneView.header(number: 1, provider: "sim-anthropic", model: "sim-thinker", status: .streaming,
                            width: width, bordered: bordered)
        }
        // "1 sim-anthropic:sim-thinker" is 27 columns, "● streaming" 11, a frame takes 8.
        XCTAssertEqual(header(46).title, "1 sim-anthropic:sim-thinker")
        XCTAssertEqual(header(46).status, "● streaming")
        XCTAssertEqual(header(45).title, "1 sim-thinker")
        XCTAssertEqual(header(32).title, "1 sim-thinker")
        XCTAssertEqual(header(31).title, "1 sim-think…")
        XCTAssertEqual(header(31).status, "● streaming")
        XCTAssertEqual(header(28).title, "1 sim-thinker")
        XCTAssertEqual(header(28).status, "●")
        XCTAssertEqual(header(15).title, "1 sim…")
        XCTAssertEqual(header(15).status, "●")
        XCTAssertEqual(header(14, bordered: false).title, "1 sim-think…")
        XCTAssertEqual(header(14, bordered: false).status, "●")

        // Drawn: the state sits in the border and the title is never covered.
        for width in [16, 20, 28, 31, 40, 60] {
            var pane = Pane(id: 1, provider: "sim-anthropic", model: "sim-thinker")
            pane.status = .cancelled
            var screen = Screen(width: width, height: 6)
            PaneView(pane: pane, number: 1, focused: false).render(into: &screen, area: screen.bounds, theme: theme)
            let top = screen.lines[0]
            XCTAssertTrue(top.contains("■"), "\(width): no state in \(top)")
            XCTAssertTrue(top.contains("1 sim"), "\(width): no title in \(top)")
        }
    }

    func testTheFooterDropsThePromptTokensFirstAndTimeToFirstTokenLast() {
        var pane = Pane(id: 1, provider: "sim", model: "sim-fast")
        var answer = Turn(id: 2, role: .assistant, text: "Hi.", status: .done)
        answer.timings = ChatTimings(firstByte: 0.1, timeToFirstToken: 0.21, total: 3.4, tokensPerSecond: 41.5, outputTokens: 120)
        answer.inputTokens = 8
        answer.outputTokens = 120
        pane.turns = [Turn(id: 1, role: .user, text: "hello"), answer]
        let view = PaneView(pane: pane, number: 1, focused: false)
        func footer(_ width: Int?) -> String { view.footerLine(theme: theme, width: width).plainText }
        let full = footer(nil)
        XCTAssertEqual(full, "ttft 0.21 s · 41.5 tok/s · in 8 / out 120 tok · 3.4 s")
        XCTAssertEqual(footer(full.count), full)
        XCTAssertEqual(footer(full.count - 1), "ttft 0.21 s · 41.5 tok/s · 120 tok · 3.4 s")
        XCTAssertEqual(footer(37), "ttft 0.21 s · 41.5 tok/s · 3.4 s")
        XCTAssertEqual(footer(31), "ttft 0.21 s · 41.5 tok/s")
        XCTAssertEqual(footer(23), "ttft 0.21 s")
    }

    func testAPaneWhoseServerIsDownSaysSoBeforeAnyPrompt() {
        var state = AppState(panes: AppState.panes([("sim", "sim-fast"), ("ollama", "qwen3:4b")]))
        state.panes[1].status = .notRunning
        state.panes[1].serverHint = "is Ollama running? `ollama serve`"
        for (width, height) in [(160, 45), (100, 30), (80, 24)] {
            let text = ChatScreen.render(state: state, editor: LineEditor(), theme: theme, width: width, height: height)
                .screen.lines.joined(separator: "\n")
            XCTAssertTrue(text.contains("✗ not running"), "\(width)x\(height):\n\(text)")
            XCTAssertTrue(text.contains("is Ollama running?"), "\(width)x\(height):\n\(text)")
            XCTAssertTrue(text.contains("○ idle"), "the simulator's pane is idle:\n\(text)")
        }
    }
}
