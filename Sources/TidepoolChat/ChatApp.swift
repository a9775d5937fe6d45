import TidepoolPool
import TidepoolProviders

/// The app's logic as one pure function, in the style of Elm and Bubble Tea: a message
/// changes the state and may ask for effects; nothing here touches the network or the screen.
public enum ChatApp {
    /// Applies `message` to `state` and returns the work to do.
    public static func update(_ state: inout AppState, _ message: AppMessage) -> [AppEffect] {
        switch message {
        case .submit(let text):
            return submit(text, in: &state)
        case .retryLast:
            return retry(in: &state)
        case .cancelFocused:
            guard let pane = state.focusedPane else { return [] }
            return cancel(paneIDs: [pane.id], in: &state)
        case .cancelAll:
            return cancel(paneIDs: state.panes.map(\.id), in: &state)

        case .chatEvent(let paneID, let request, let event):
            apply(event, pane: paneID, request: request, in: &state)
        case .chatProgress(let paneID, let request, let status):
            withAnswer(pane: paneID, request: request, in: &state) { pane, _ in
                if pane.status.isBusy && pane.status != .streaming { pane.status = status }
            }
        case .chatFailed(let paneID, let request, let text):
            withAnswer(pane: paneID, request: request, in: &state) { pane, turn in
                turn.status = .error
                turn.error = text
                pane.status = .error
                pane.activeRequest = nil
            }
        case .chatEnded(let paneID, let request):
            withAnswer(pane: paneID, request: request, in: &state) { pane, turn in
                turn.status = .done
                pane.status = .done
                pane.activeRequest = nil
            }
        case .poolStats(let stats):
            state.pool = stats
        case .serverReading(let origin, let reading):
            state.servers[origin] = reading

        case .focusNext:
            if !state.panes.isEmpty { state.focused = (state.focused + 1) % state.panes.count }
        case .focusPrevious:
            if !state.panes.isEmpty { state.focused = (state.focused + state.panes.count - 1) % state.panes.count }
        case .focus(let index):
            if state.panes.indices.contains(index) { state.focused = index }
        case .openPane(let provider, let model):
            let id = (state.panes.map(\.id).max() ?? 0) + 1
            state.panes.append(Pane(id: id, provider: provider, model: model))
            state.focused = state.panes.count - 1
            state.notice = "opened \(provider):\(model)"
        case .closeFocused:
            guard let pane = state.focusedPane else { return [] }
            let effects = pane.activeRequest.map { [AppEffect.cancelChat(requestID: $0)] } ?? []
            state.panes.remove(at: state.focused)
            state.focused = min(state.focused, max(0, state.panes.count - 1))
            if state.panes.count <= 1 { state.zoomed = false }
            state.notice = "closed \(pane.label)"
            return effects
        case .changeModel(let provider, let model):
            guard state.focusedPane != nil else { return [] }
            if state.panes[state.focused].provider != provider, state.panes[state.focused].status == .notRunning {
                // Another server: what was found about the old one no longer holds.
                state.panes[state.focused].status = .idle
                state.panes[state.focused].serverHint = nil
            }
            state.panes[state.focused].provider = provider
            state.panes[state.focused].model = model
            state.notice = "pane \(state.focused + 1) now talks to \(provider):\(model)"
        case .clearFocused:
            guard let pane = state.focusedPane else { return [] }
            let effects = pane.activeRequest.map { [AppEffect.cancelChat(requestID: $0)] } ?? []
            state.panes[state.focused].turns = []
            state.panes[state.focused].status = .idle
            state.panes[state.focused].activeRequest = nil
            state.panes[state.focused].scrollBack = 0
            return effects
        case .setSystemPrompt(let prompt, let allPanes):
            let cleaned = prompt.flatMap { $0.isEmpty ? nil : $0 }
            if allPanes {
                state.systemPrompt = cleaned
                for index in state.panes.indices { state.panes[index].systemPrompt = nil }
                state.notice = cleaned == nil ? "system prompt cleared for all panes" : "system prompt set for all panes"
            } else if state.focusedPane != nil {
                state.panes[state.focused].systemPrompt = cleaned
                state.notice = cleaned == nil ? "pane system prompt cleared" : "system prompt set for this pane"
            }
        case .toggleReasoning:
            if state.focusedPane != nil { state.panes[state.focused].reasoningFolded.toggle() }

        case .scroll(let lines):
            let targets = state.scrollLocked ? Array(state.panes.indices) : [state.focused]
            for index in targets where state.panes.indices.contains(index) {
                state.panes[index].scrollBack = max(0, state.panes[index].scrollBack + lines)
            }
        case .scrollToBottom:
            let targets = state.scrollLocked ? Array(state.panes.indices) : [state.focused]
            for index in targets where state.panes.indices.contains(index) { state.panes[index].scrollBack = 0 }
        case .toggleBroadcast:
            state.broadcast.toggle()
            state.notice = state.broadcast ? "broadcast on: prompts go to every pane" : "broadcast off: prompts go to the focused pane"
        case .togglePanel:
            state.panelVisible.toggle()
        case .toggleZoom:
            state.zoomed.toggle()
        case .toggleHelp:
            state.helpVisible.toggle()
        case .toggleComparison:
            state.comparisonVisible.toggle()
        case .toggleScrollLock:
            state.scrollLocked.toggle()
            state.notice = state.scrollLocked ? "scrolling locked across panes" : "scrolling unlocked"
        case .setTheme(let name):
            state.theme = name
            state.notice = "theme: \(name)"
        case .copyLastAnswer:
            guard let answer = state.focusedPane?.lastAnswer, !answer.text.isEmpty else {
                state.notice = "nothing to copy yet"
                return []
            }
            state.notice = "copied the last answer (\(answer.text.count) characters)"
            return [.copyToClipboard(answer.text)]
        case .notify(let text):
            state.notice = text
        case .showHistoryHits(let query, let hits):
            state.historyHits = (query, hits)
            state.helpVisible = false
            state.comparisonVisible = false
        case .closeHistoryHits:
            state.historyHits = nil

        case .vote, .setVoteNote, .toggleLeaderboard, .showLeaderboard:
            return updateVotes(&state, message)

        case .edit, .submitInput, .beginInput, .cancelInput, .inputRejected, .openExternalEditor, .draftEdited,
             .nextTheme:
            return updateInput(&state, message)

        case .requestQuit:
            if state.isStreaming && !state.confirmingQuit {
                state.confirmingQuit = true
                return []
            }
            return quit(&state)
        case .confirmQuit:
            return quit(&state)
        case .dismissQuit:
            state.confirmingQuit = false
        }
        return []
    }

    // MARK: Prompts

    private static func submit(_ raw: String, in state: inout AppState) -> [AppEffect] {
        let text = raw.trimmingTrailingWhitespace()
        guard !text.isEmpty else { return [] }
        guard !state.panes.isEmpty else {
            state.notice = "no pane to send to: open one first"
            return []
        }
        if state.promptHistory.last != text { state.promptHistory.append(text) }
        let targets = state.broadcast ? Array(state.panes.indices) : [state.focused]
        let group = state.broadcast && state.panes.count > 1 ? state.makeID() : nil
        if let group {
            state.lastBroadcast = group
        }
        var effects: [AppEffect] = []
        for index in targets {
            if let active = state.panes[index].activeRequest {
                effects.append(.cancelChat(requestID: active))
                markCancelled(&state.panes[index])
            }
            state.panes[index].turns.append(Turn(id: state.makeID(), role: .user, text: text, broadcastGroup: group))
            effects.append(start(paneAt: index, group: group, in: &state))
        }
        return effects
    }

    private static func retry(in state: inout AppState) -> [AppEffect] {
        let targets = state.broadcast ? Array(state.panes.indices) : [state.focused]
        var effects: [AppEffect] = []
        let group = state.broadcast && state.panes.count > 1 ? state.makeID() : nil
        if let group { state.lastBroadcast = group }
        for index in targets where state.panes.indices.contains(index) {
            guard let prompt = state.panes[index].lastPrompt else { continue }
            if let active = state.panes[index].activeRequest {
                effects.append(.cancelChat(requestID: active))
                markCancelled(&state.panes[index])
            }
            // Drop the failed or unwanted answer; the prompt stays and is sent again.
            if let last = state.panes[index].turns.last, last.role == .assistant {
                state.panes[index].turns.removeLast()
            }
            if let userIndex = state.panes[index].turns.lastIndex(where: { $0.id == prompt.id }) {
                state.panes[index].turns[userIndex].broadcastGroup = group
            }
            effects.append(start(paneAt: index, group: group, in: &state))
        }
        if effects.isEmpty { state.notice = "nothing to retry yet" }
        return effects
    }

    private static func start(paneAt index: Int, group: Int?, in state: inout AppState) -> AppEffect {
        let requestID = state.makeID()
        var pane = state.panes[index]
        var answer = Turn(id: requestID, role: .assistant, text: "", status: .connecting, broadcastGroup: group)
        answer.status = .connecting
        answer.modelLabel = pane.label
        pane.turns.append(answer)
        pane.status = .connecting
        pane.activeRequest = requestID
        pane.scrollBack = 0
        state.panes[index] = pane
        let request = ChatRequest(
            model: pane.model, messages: pane.history(), systemPrompt: pane.systemPrompt ?? state.systemPrompt)
        return .startChat(pane: pane.id, requestID: requestID, provider: pane.provider, request: request)
    }

    private static func cancel(paneIDs: [Int], in state: inout AppState) -> [AppEffect] {
        var effects: [AppEffect] = []
        for index in state.panes.indices where paneIDs.contains(state.panes[index].id) {
            guard let active = state.panes[index].activeRequest else { continue }
            effects.append(.cancelChat(requestID: active))
            markCancelled(&state.panes[index])
        }
        return effects
    }

    private static func markCancelled(_ pane: inout Pane) {
        if let last = pane.turns.indices.last, pane.turns[last].role == .assistant, pane.turns[last].status.isBusy {
            pane.turns[last].status = .cancelled
        }
        pane.status = .cancelled
        pane.activeRequest = nil
    }

    private static func quit(_ state: inout AppState) -> [AppEffect] {
        var effects = state.panes.compactMap { $0.activeRequest.map { AppEffect.cancelChat(requestID: $0) } }
        effects.append(.quit)
        state.confirmingQuit = false
        return effects
    }

    // MARK: Streams

    private static func apply(_ event: ChatEvent, pane paneID: Int, request: Int, in state: inout AppState) {
        withAnswer(pane: paneID, request: request, in: &state) { pane, turn in
            switch event {
            case .textDelta(let text):
                turn.text += text
                turn.status = .streaming
                pane.status = .streaming
            case .reasoningDelta(let text):
                turn.reasoning += text
                turn.status = .streaming
                pane.status = .streaming
            case .usage(let input, let output):
                if let input { turn.inputTokens = input }
                if let output { turn.outputTokens = output }
            case .finish(let reason):
                turn.finishReason = reason
            case .timings(let timings):
                turn.timings = timings
                if turn.outputTokens == nil { turn.outputTokens = timings.outputTokens }
            }
        }
    }

    /// Runs `change` on the pane and answer that `request` belongs to, if that request is
    /// still the pane's current one (late events of a cancelled request are dropped).
    private static func withAnswer(
        pane paneID: Int, request: Int, in state: inout AppState, _ change: (inout Pane, inout Turn) -> Void
    ) {
        guard let paneIndex = state.panes.firstIndex(where: { $0.id == paneID }),
              state.panes[paneIndex].activeRequest == request,
              let turnIndex = state.panes[paneIndex].turns.lastIndex(where: { $0.id == request }) else { return }
        // Move the pane and the turn out (leaving cheap placeholders) instead of copying them:
        // a copy would leave the array holding a second reference to the answer's text, so
        // `turn.text += delta` would copy the whole answer on every token (O(answer), not
        // O(token)). Swapping keeps each buffer uniquely referenced and appends in place.
        var pane = Pane(id: -1, provider: "", model: "")
        swap(&pane, &state.panes[paneIndex])
        var turn = Turn(id: -1, role: .assistant, text: "")
        swap(&turn, &pane.turns[turnIndex])
        change(&pane, &turn)
        swap(&turn, &pane.turns[turnIndex])
        swap(&pane, &state.panes[paneIndex])
    }
}

extension String {
    /// The text without trailing spaces, tabs and newlines (a prompt's leading indentation
    /// may matter, e.g. in pasted code, so it stays).
    func trimmingTrailingWhitespace() -> String {
        var text = Substring(self)
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
