import TidepoolChat
import TidepoolTUI
import XCTest

/// The input box says what it is collecting (issue 12 item 8): where a prompt goes, or the
/// one-off answer asked for, with what is there now.
final class InputViewTests: XCTestCase {
    private func picture(_ state: AppState, width: Int = 64) -> Screen {
        var screen = Screen(width: width, height: 3)
        var editor = state.input.editor
        InputView(state: state).render(into: &screen, area: screen.bounds, theme: .monochrome, editor: &editor)
        return screen
    }

    private func state(_ mode: InputMode?) -> AppState {
        var state = AppState(panes: AppState.panes([("sim", "sim-fast"), ("sim-ollama", "sim-steady")]))
        state.focused = 1
        state.panes[1].systemPrompt = "You are terse."
        if let mode { _ = ChatApp.update(&state, .beginInput(mode)) }
        return state
    }

    func testPromptModeShowsWhereEnterSends() {
        assertScreen(picture(state(nil)), [
            "┏ → pane 2 (sim-ollama:sim-steady) ━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓",
            "┃Ask something… (Enter sends, Ctrl-J new line, F1 help)        ┃",
            "┗━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┛",
        ])
    }

    func testOneOffModesSayWhatTheyAskFor() {
        assertScreen(picture(state(.model(.newPane))), [
            "┏ ✎ new pane: PROVIDER:MODEL ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓",
            "┃Enter confirms, Esc cancels                                   ┃",
            "┗━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┛",
        ])
        assertScreen(picture(state(.systemPrompt(allPanes: false))), [
            "┏ ✎ system prompt for pane 2 (now: You are terse.) ━━━━━━━━━━━━┓",
            "┃Enter confirms, Esc cancels                                   ┃",
            "┗━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┛",
        ])
        var typing = state(.model(.changeModel))
        _ = ChatApp.update(&typing, .edit(.insert("ollama:qwen3:4b")))
        assertScreen(picture(typing), [
            "┏ ✎ model for pane 2 (now: sim-ollama:sim-steady) ━━━━━━━━━━━━━┓",
            "┃ollama:qwen3:4b                                               ┃",
            "┗━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┛",
        ])
    }

    func testALongTitleIsCutToTheBox() {
        var state = state(nil)
        state.panes[1].systemPrompt = "You answer in the style of a nineteenth-century naturalist's field notes."
        _ = ChatApp.update(&state, .beginInput(.systemPrompt(allPanes: false)))
        let top = picture(state, width: 40).lines[0]
        XCTAssertTrue(top.hasPrefix("┏ ✎ system prompt for pane 2 (now: "), top)
        XCTAssertTrue(top.hasSuffix("┓"), top)
        XCTAssertEqual(TextWidth.width(of: top), 40)
    }

    func testStatusBarHintsComeFromTheKeyTable() {
        XCTAssertEqual(StatusBarView.hints.map { "\($0.key) \($0.action)" },
                       ["Enter send", "Ctrl-J newline", "Tab next pane", "Ctrl-B broadcast", "F1 help", "Ctrl-Q quit"])
        for binding in KeyMap.bindings {
            guard let hint = binding.hint else { continue }
            XCTAssertTrue(binding.names.contains(hint.key), "\(hint.key) is not among \(binding.names)")
        }
    }
}
