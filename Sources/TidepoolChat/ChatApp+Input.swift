import Foundation

extension ChatApp {
    /// The input box's part of ``update(_:_:)``: editing, the input modes (model picker,
    /// system prompt, history search, session title), `$EDITOR` and the theme key.
    static func updateInput(_ state: inout AppState, _ message: AppMessage) -> [AppEffect] {
        switch message {
        case .edit(let command):
            if case .model = state.input.mode, !state.input.modelSuggestions.isEmpty,
               command == .up || command == .down {
                browseModels(down: command == .down, in: &state)
            } else {
                state.input.editor.apply(command, columnWidth: state.input.columnWidth)
            }
        case .submitInput:
            return submitInput(&state)
        case .beginInput(let mode):
            beginInput(mode, in: &state)
        case .cancelInput:
            guard state.input.mode != .prompt else { return [] }
            let wasNote = if case .voteNote = state.input.mode { true } else { false }
            state.input.switchTo(.prompt)
            state.notice = wasNote ? "vote kept without a note" : "cancelled"
        case .inputRejected(let mode, let text, let reason):
            state.input.switchTo(mode)
            state.input.editor.setText(text)
            state.notice = "\(reason) (Esc cancels)"
        case .openExternalEditor:
            return [.runExternalEditor(draft: state.input.editor.text)]
        case .draftEdited(let text, let notice):
            if let text { state.input.editor.setText(text) }
            state.notice = notice
        case .nextTheme:
            let names = state.themeNames
            guard !names.isEmpty else { return [] }
            let name = names.firstIndex(of: state.theme).map { names[($0 + 1) % names.count] } ?? names[0]
            return update(&state, .setTheme(name))
        default:
            break
        }
        return []
    }

    private static func beginInput(_ mode: InputMode, in state: inout AppState) {
        let count = state.input.modelSuggestions.count
        let notice: String
        switch mode {
        case .prompt:
            return
        case .model(.newPane):
            notice = "new pane: Up/Down browse the \(count) known models or type PROVIDER:MODEL; Enter opens, Esc cancels"
        case .model(.changeModel):
            notice = "change model: Up/Down browse the \(count) known models or type PROVIDER:MODEL; Enter, Esc"
        case .systemPrompt(let allPanes):
            notice = allPanes
                ? "system prompt for ALL panes: type it and Enter (empty clears; Esc cancels)"
                : "system prompt for this pane: type it and Enter (empty clears; Esc cancels)"
        case .historySearch:
            if let reason = state.historyUnavailable { return state.notice = reason }
            notice = "search history: type words and Enter (Esc cancels)"
        case .sessionTitle:
            if let reason = state.historyUnavailable { return state.notice = reason }
            notice = "rename this session: type a title and Enter (Esc cancels)"
        case .voteNote:
            notice = state.notice ?? "note on your vote: type it and Enter (Esc: no note)"
        }
        state.input.switchTo(mode)
        state.notice = notice
    }

    private static func browseModels(down: Bool, in state: inout AppState) {
        let suggestions = state.input.modelSuggestions
        let count = suggestions.count
        let step = down ? 1 : count - 1
        let next = state.input.suggestionIndex.map { ($0 + step) % count } ?? (down ? 0 : count - 1)
        state.input.suggestionIndex = next
        state.input.editor.setText(suggestions[next])
        state.notice = "model \(next + 1) of \(count): Up/Down browse, Enter opens, Esc cancels"
    }

    private static func submitInput(_ state: inout AppState) -> [AppEffect] {
        let mode = state.input.mode
        let text = state.input.editor.take()
        guard mode != .prompt else {
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return [] }
            return update(&state, .submit(text))
        }
        let answer = text.trimmingCharacters(in: .whitespacesAndNewlines)
        state.input.remember(answer, in: mode.recall)
        state.input.switchTo(.prompt)
        if case .systemPrompt(let allPanes) = mode {
            return update(&state, .setSystemPrompt(answer, allPanes: allPanes))
        }
        if case .voteNote(let group) = mode {
            return update(&state, .setVoteNote(group: group, answer))
        }
        guard !answer.isEmpty else {
            state.notice = "cancelled"
            return []
        }
        switch mode {
        case .model(let purpose): return [.resolveModel(answer, purpose)]
        case .historySearch: return [.searchHistory(answer)]
        case .sessionTitle: return [.renameSession(answer)]
        case .prompt, .systemPrompt, .voteNote: return []
        }
    }

    /// The input box's title for the mode in use: where a prompt goes is shown by the marker,
    /// every other mode says what it asks for.
    public static func inputTitle(_ state: AppState) -> String? {
        let pane = state.focusedPane == nil ? "no pane" : "pane \(state.focused + 1)"
        switch state.input.mode {
        case .prompt:
            return nil
        case .model(.newPane):
            return "new pane: PROVIDER:MODEL"
        case .model(.changeModel):
            let now = state.focusedPane.map { " (now: \($0.label))" } ?? ""
            return "model for \(pane)\(now)"
        case .systemPrompt(let allPanes):
            let current = allPanes ? state.systemPrompt : state.focusedPane?.systemPrompt ?? state.systemPrompt
            let shown = current.map { text in text.split(separator: "\n").joined(separator: " ") } ?? "none"
            let now = " (now: \(shown))"
            return allPanes ? "system prompt for ALL panes\(now)" : "system prompt for \(pane)\(now)"
        case .historySearch:
            return "search history: WORDS"
        case .sessionTitle:
            return "rename this session: TITLE"
        case .voteNote(let group):
            let verdict = state.votes[group].map { " (\($0.verdict.summary))" } ?? ""
            return "note on your vote\(verdict): Enter keeps it, Esc none"
        }
    }
}
