import TidepoolChat
import XCTest

/// The input box's modes as state, messages and effects: each mode recalls only its own
/// entries (issue 12 item 4), the draft waits while a one-off answer is typed, and each answer
/// becomes the effect or message it stands for.
final class InputModeTests: XCTestCase {
    private func state() -> AppState {
        var state = AppState(panes: AppState.panes([("sim", "sim-fast"), ("sim-ollama", "sim-steady")]))
        state.input.modelSuggestions = ["sim:sim-fast", "sim:sim-slow", "ollama:qwen3:4b"]
        return state
    }

    @discardableResult
    private func type(_ text: String, _ state: inout AppState) -> [AppEffect] {
        _ = ChatApp.update(&state, .edit(.insert(text)))
        return ChatApp.update(&state, .submitInput)
    }

    private func recall(_ state: inout AppState, steps: Int) -> [String] {
        var seen: [String] = []
        for _ in 0..<steps {
            _ = ChatApp.update(&state, .edit(.up))
            seen.append(state.input.editor.text)
        }
        return seen
    }

    func testUpInThePromptRecallsOnlyPrompts() {
        var state = state()
        state.historyUnavailable = nil
        type("first prompt", &state)
        _ = ChatApp.update(&state, .beginInput(.sessionTitle))
        type("A title", &state)
        _ = ChatApp.update(&state, .beginInput(.historySearch))
        type("tides", &state)
        _ = ChatApp.update(&state, .beginInput(.systemPrompt(allPanes: false)))
        type("You are terse.", &state)
        _ = ChatApp.update(&state, .beginInput(.model(.changeModel)))
        _ = ChatApp.update(&state, .edit(.insert("sim:sim-slow")))
        _ = ChatApp.update(&state, .submitInput)
        type("second prompt", &state)

        XCTAssertEqual(state.input.mode, .prompt)
        XCTAssertEqual(state.promptHistory, ["first prompt", "second prompt"])
        XCTAssertEqual(recall(&state, steps: 3), ["second prompt", "first prompt", "first prompt"])
        _ = ChatApp.update(&state, .edit(.down))
        _ = ChatApp.update(&state, .edit(.down))
        XCTAssertEqual(state.input.editor.text, "", "past the newest entry the (empty) draft is back")

        _ = ChatApp.update(&state, .beginInput(.sessionTitle))
        XCTAssertEqual(recall(&state, steps: 2), ["A title", "A title"])
        _ = ChatApp.update(&state, .cancelInput)
        _ = ChatApp.update(&state, .beginInput(.historySearch))
        XCTAssertEqual(recall(&state, steps: 1), ["tides"])
        _ = ChatApp.update(&state, .cancelInput)
        _ = ChatApp.update(&state, .beginInput(.systemPrompt(allPanes: true)))
        XCTAssertEqual(recall(&state, steps: 2), ["You are terse.", "You are terse."])
        XCTAssertEqual(state.input.history(.model), ["sim:sim-slow"])
    }

    func testTheDraftWaitsWhileAOneOffAnswerIsTypedAndComesBackOnCancel() {
        var state = state()
        _ = ChatApp.update(&state, .edit(.insert("half a thought")))
        _ = ChatApp.update(&state, .beginInput(.systemPrompt(allPanes: false)))
        XCTAssertEqual(state.input.editor.text, "")
        _ = ChatApp.update(&state, .edit(.insert("never mind")))
        _ = ChatApp.update(&state, .cancelInput)
        XCTAssertEqual(state.input.mode, .prompt)
        XCTAssertEqual(state.input.editor.text, "half a thought")
        XCTAssertEqual(state.notice, "cancelled")
        XCTAssertNil(state.panes[0].systemPrompt)
    }

    func testEachAnswerBecomesItsEffectOrMessage() {
        var state = state()
        _ = ChatApp.update(&state, .edit(.insert("draft")))
        _ = ChatApp.update(&state, .beginInput(.model(.newPane)))
        XCTAssertEqual(type("  ollama:qwen3:4b ", &state), [.resolveModel("ollama:qwen3:4b", .newPane)])
        XCTAssertEqual(state.input.editor.text, "draft")
        _ = ChatApp.update(&state, .beginInput(.historySearch))
        XCTAssertEqual(type("sea salt", &state), [.searchHistory("sea salt")])
        _ = ChatApp.update(&state, .beginInput(.sessionTitle))
        XCTAssertEqual(type("Salt", &state), [.renameSession("Salt")])
        _ = ChatApp.update(&state, .beginInput(.systemPrompt(allPanes: false)))
        XCTAssertEqual(type("Be brief.", &state), [])
        XCTAssertEqual(state.panes[0].systemPrompt, "Be brief.")
        _ = ChatApp.update(&state, .beginInput(.sessionTitle))
        XCTAssertEqual(type("   ", &state), [], "a blank answer cancels")
        XCTAssertEqual(state.notice, "cancelled")
        XCTAssertEqual(ChatApp.update(&state, .openExternalEditor), [.runExternalEditor(draft: "draft")])
        _ = ChatApp.update(&state, .draftEdited("from the editor", notice: "draft taken from vi"))
        XCTAssertEqual(state.input.editor.text, "from the editor")
    }

    func testARejectedModelIsAskedForAgainWithItsText() {
        var state = state()
        _ = ChatApp.update(&state, .beginInput(.model(.changeModel)))
        type("nosuch:model", &state)
        _ = ChatApp.update(&state, .inputRejected(.model(.changeModel), text: "nosuch:model", reason: "unknown provider"))
        XCTAssertEqual(state.input.mode, .model(.changeModel))
        XCTAssertEqual(state.input.editor.text, "nosuch:model")
        XCTAssertEqual(state.notice, "unknown provider (Esc cancels)")
    }

    func testThePickerBrowsesTheKnownModelsWithUpAndDown() {
        var state = state()
        _ = ChatApp.update(&state, .beginInput(.model(.newPane)))
        _ = ChatApp.update(&state, .edit(.down))
        XCTAssertEqual(state.input.editor.text, "sim:sim-fast")
        _ = ChatApp.update(&state, .edit(.down))
        XCTAssertEqual(state.input.editor.text, "sim:sim-slow")
        _ = ChatApp.update(&state, .edit(.up))
        _ = ChatApp.update(&state, .edit(.up))
        XCTAssertEqual(state.input.editor.text, "ollama:qwen3:4b", "wraps around")
        XCTAssertEqual(state.notice, "model 3 of 3: Up/Down browse, Enter opens, Esc cancels")
    }

    func testHistoryModesSayWhyWhenHistoryIsOff() {
        var state = state()
        state.historyUnavailable = "history off: --no-history"
        _ = ChatApp.update(&state, .beginInput(.historySearch))
        XCTAssertEqual(state.input.mode, .prompt)
        XCTAssertEqual(state.notice, "history off: --no-history")
    }

    func testTheInputTitleNamesTheMode() {
        var state = state()
        state.focused = 1
        state.panes[1].systemPrompt = "You are terse."
        XCTAssertNil(ChatApp.inputTitle(state))
        let titles: [(InputMode, String)] = [
            (.model(.newPane), "new pane: PROVIDER:MODEL"),
            (.model(.changeModel), "model for pane 2 (now: sim-ollama:sim-steady)"),
            (.systemPrompt(allPanes: false), "system prompt for pane 2 (now: You are terse.)"),
            (.systemPrompt(allPanes: true), "system prompt for ALL panes (now: none)"),
            (.historySearch, "search history: WORDS"),
            (.sessionTitle, "rename this session: TITLE"),
        ]
        for (mode, title) in titles {
            _ = ChatApp.update(&state, .beginInput(mode))
            XCTAssertEqual(ChatApp.inputTitle(state), title)
            _ = ChatApp.update(&state, .cancelInput)
        }
    }

    func testNextThemeCyclesTheNamesTheScreenGave() {
        var state = state()
        state.themeNames = ["tidepool-dark", "nord", "solarized-dark"]
        _ = ChatApp.update(&state, .nextTheme)
        XCTAssertEqual(state.theme, "nord")
        _ = ChatApp.update(&state, .nextTheme)
        _ = ChatApp.update(&state, .nextTheme)
        XCTAssertEqual(state.theme, "tidepool-dark")
    }
}
