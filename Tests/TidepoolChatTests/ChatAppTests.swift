import TidepoolChat
import TidepoolPool
import TidepoolProviders
import XCTest

final class ChatAppTests: XCTestCase {
    private func threePanes(broadcast: Bool = false) -> AppState {
        AppState(panes: AppState.panes([("sim", "sim-fast"), ("sim-ollama", "sim-steady"), ("sim-anthropic", "sim-thinker")]),
                 broadcast: broadcast)
    }

    private func starts(_ effects: [AppEffect]) -> [(pane: Int, id: Int, provider: String, request: ChatRequest)] {
        effects.compactMap {
            if case .startChat(let pane, let id, let provider, let request) = $0 { return (pane, id, provider, request) }
            return nil
        }
    }

    func testSubmitGoesToTheFocusedPaneOnly() {
        var state = threePanes()
        state.focused = 1
        let effects = ChatApp.update(&state, .submit("Why is the sky blue?  \n"))
        let started = starts(effects)
        XCTAssertEqual(started.count, 1)
        XCTAssertEqual(started[0].pane, 2)
        XCTAssertEqual(started[0].provider, "sim-ollama")
        XCTAssertEqual(started[0].request.model, "sim-steady")
        XCTAssertEqual(started[0].request.messages, [ChatMessage(role: .user, text: "Why is the sky blue?")])
        XCTAssertEqual(state.panes[1].status, .connecting)
        XCTAssertEqual(state.panes[0].turns, [])
        XCTAssertEqual(state.promptHistory, ["Why is the sky blue?"])
    }

    func testBroadcastSendsToEveryPaneAsOneGroup() {
        var state = threePanes(broadcast: true)
        let started = starts(ChatApp.update(&state, .submit("hello")))
        XCTAssertEqual(started.map(\.pane), [1, 2, 3])
        let groups = Set(state.panes.compactMap { $0.turns.last?.broadcastGroup })
        XCTAssertEqual(groups.count, 1)
        XCTAssertEqual(state.lastBroadcast, groups.first)
    }

    func testStreamedEventsBuildTheAnswerAndEndDone() throws {
        var state = threePanes()
        let start = try XCTUnwrap(starts(ChatApp.update(&state, .submit("hi"))).first)
        _ = ChatApp.update(&state, .chatEvent(pane: start.pane, request: start.id, .reasoningDelta("thinking…")))
        _ = ChatApp.update(&state, .chatEvent(pane: start.pane, request: start.id, .textDelta("Hello")))
        XCTAssertEqual(state.panes[0].status, .streaming)
        _ = ChatApp.update(&state, .chatEvent(pane: start.pane, request: start.id, .textDelta(", world")))
        _ = ChatApp.update(&state, .chatEvent(pane: start.pane, request: start.id, .usage(inputTokens: 5, outputTokens: 3)))
        _ = ChatApp.update(&state, .chatEvent(pane: start.pane, request: start.id, .finish(reason: "stop")))
        _ = ChatApp.update(&state, .chatEnded(pane: start.pane, request: start.id))
        let answer = try XCTUnwrap(state.panes[0].lastAnswer)
        XCTAssertEqual(answer.text, "Hello, world")
        XCTAssertEqual(answer.reasoning, "thinking…")
        XCTAssertEqual(answer.outputTokens, 3)
        XCTAssertEqual(answer.finishReason, "stop")
        XCTAssertEqual(answer.status, .done)
        XCTAssertEqual(state.panes[0].status, .done)
        XCTAssertNil(state.panes[0].activeRequest)
        // The next prompt carries the conversation.
        let next = try XCTUnwrap(starts(ChatApp.update(&state, .submit("and then?"))).first)
        XCTAssertEqual(next.request.messages.map(\.text), ["hi", "Hello, world", "and then?"])
    }

    /// The pool's queue signal: "queued" while the request waits, "connecting" once admitted,
    /// and never over a stream that already has tokens.
    func testARequestWaitingInThePoolShowsQueuedUntilAdmitted() throws {
        var state = threePanes()
        let id = try XCTUnwrap(starts(ChatApp.update(&state, .submit("hi"))).first?.id)
        _ = ChatApp.update(&state, .chatProgress(pane: 1, request: id, .queued))
        XCTAssertEqual(state.panes[0].status, .queued)
        XCTAssertEqual(state.panes[0].turns.last?.status, .queued)
        XCTAssertTrue(state.isStreaming, "a queued request is in flight")
        _ = ChatApp.update(&state, .chatProgress(pane: 1, request: id, .connecting))
        XCTAssertEqual(state.panes[0].status, .connecting)
        XCTAssertEqual(state.panes[0].turns.last?.status, .connecting)
        _ = ChatApp.update(&state, .chatEvent(pane: 1, request: id, .textDelta("Hello")))
        _ = ChatApp.update(&state, .chatProgress(pane: 1, request: id, .queued))
        XCTAssertEqual(state.panes[0].status, .streaming, "a late signal never hides a stream")
        XCTAssertEqual(state.panes[0].turns.last?.status, .streaming)
    }

    func testAFailureStaysInItsPaneAndKeepsTheText() throws {
        var state = threePanes(broadcast: true)
        let started = starts(ChatApp.update(&state, .submit("go")))
        _ = ChatApp.update(&state, .chatEvent(pane: started[0].pane, request: started[0].id, .textDelta("partial")))
        _ = ChatApp.update(&state, .chatFailed(pane: started[0].pane, request: started[0].id,
                                               message: "no server at 127.0.0.1:11434; is Ollama running? `ollama serve`"))
        _ = ChatApp.update(&state, .chatEvent(pane: started[1].pane, request: started[1].id, .textDelta("fine")))
        XCTAssertEqual(state.panes[0].status, .error)
        XCTAssertEqual(state.panes[0].lastAnswer?.text, "partial")
        XCTAssertEqual(state.panes[0].lastAnswer?.error, "no server at 127.0.0.1:11434; is Ollama running? `ollama serve`")
        XCTAssertEqual(state.panes[1].status, .streaming)
        // A failed answer is not sent back to the model; the retried prompt is.
        let retried = starts(ChatApp.update(&state, .retryLast))
        XCTAssertEqual(retried.count, 3, "broadcast retry goes to every pane")
        XCTAssertEqual(retried[0].request.messages.map(\.text), ["go"])
    }

    func testCancelStopsTheStreamAndLateEventsAreDropped() throws {
        var state = threePanes()
        let start = try XCTUnwrap(starts(ChatApp.update(&state, .submit("long story"))).first)
        _ = ChatApp.update(&state, .chatEvent(pane: start.pane, request: start.id, .textDelta("Once")))
        let effects = ChatApp.update(&state, .cancelFocused)
        XCTAssertEqual(effects, [.cancelChat(requestID: start.id)])
        XCTAssertEqual(state.panes[0].status, .cancelled)
        _ = ChatApp.update(&state, .chatEvent(pane: start.pane, request: start.id, .textDelta(" upon")))
        XCTAssertEqual(state.panes[0].lastAnswer?.text, "Once")
        XCTAssertEqual(state.panes[0].lastAnswer?.status, .cancelled)
    }

    func testQuittingWhileStreamingAsksFirst() throws {
        var state = threePanes()
        let start = try XCTUnwrap(starts(ChatApp.update(&state, .submit("x"))).first)
        XCTAssertEqual(ChatApp.update(&state, .requestQuit), [])
        XCTAssertTrue(state.confirmingQuit)
        _ = ChatApp.update(&state, .dismissQuit)
        XCTAssertFalse(state.confirmingQuit)
        XCTAssertEqual(ChatApp.update(&state, .confirmQuit), [.cancelChat(requestID: start.id), .quit])
        var idle = threePanes()
        XCTAssertEqual(ChatApp.update(&idle, .requestQuit), [.quit])
    }

    func testComparisonRanksTheBroadcastAnswers() {
        var state = threePanes(broadcast: true)
        let started = starts(ChatApp.update(&state, .submit("compare")))
        let figures: [(ttft: Double, tps: Double, total: Double)] = [(0.5, 20, 3), (0.1, 80, 1), (0.3, 50, 2)]
        for (start, figure) in zip(started, figures) {
            var timings = ChatTimings(queue: 0, dns: 0, connect: 0, tls: 0, firstByte: 0.05, timeToFirstToken: figure.ttft,
                                      total: figure.total, tokensPerSecond: figure.tps, outputTokens: 40,
                                      reusedConnection: true, httpVersion: .http1_1)
            timings.outputTokens = 40
            _ = ChatApp.update(&state, .chatEvent(pane: start.pane, request: start.id, .textDelta("answer")))
            _ = ChatApp.update(&state, .chatEvent(pane: start.pane, request: start.id, .timings(timings)))
            _ = ChatApp.update(&state, .chatEnded(pane: start.pane, request: start.id))
        }
        let comparison = BroadcastComparison(group: state.lastBroadcast!, panes: state.panes)
        XCTAssertEqual(comparison.entries.count, 3)
        XCTAssertEqual(comparison.ranking(by: \.timeToFirstToken), [1, 2, 0])
        XCTAssertEqual(comparison.ranking(by: \.tokensPerSecond, higherIsBetter: true), [1, 2, 0])
    }

    func testPaneManagementAndToggles() {
        var state = threePanes()
        _ = ChatApp.update(&state, .focusPrevious)
        XCTAssertEqual(state.focused, 2)
        _ = ChatApp.update(&state, .focusNext)
        XCTAssertEqual(state.focused, 0)
        _ = ChatApp.update(&state, .openPane(provider: "ollama", model: "qwen3:4b"))
        XCTAssertEqual(state.panes.last?.label, "ollama:qwen3:4b")
        XCTAssertEqual(state.focused, 3)
        _ = ChatApp.update(&state, .changeModel(provider: "openai", model: "gpt-4o-mini"))
        XCTAssertEqual(state.panes[3].label, "openai:gpt-4o-mini")
        _ = ChatApp.update(&state, .closeFocused)
        XCTAssertEqual(state.panes.count, 3)
        XCTAssertEqual(state.focused, 2)
        _ = ChatApp.update(&state, .setSystemPrompt("Be terse.", allPanes: true))
        XCTAssertEqual(state.systemPrompt, "Be terse.")
        _ = ChatApp.update(&state, .toggleBroadcast)
        XCTAssertTrue(state.broadcast)
        XCTAssertEqual(ChatApp.update(&state, .copyLastAnswer), [])
        XCTAssertEqual(state.notice, "nothing to copy yet")
        _ = ChatApp.update(&state, .toggleScrollLock)
        _ = ChatApp.update(&state, .scroll(lines: 5))
        XCTAssertEqual(state.panes.map(\.scrollBack), [5, 5, 5])
        _ = ChatApp.update(&state, .scrollToBottom)
        XCTAssertEqual(state.panes.map(\.scrollBack), [0, 0, 0])
    }

    func testHistoryHitsShowOverEverythingAndClose() {
        var state = threePanes()
        state.helpVisible = true
        let hit = HistoryHit(sessionID: 4, title: "Tides", snippet: "how [tides] work")
        _ = ChatApp.update(&state, .showHistoryHits(query: "tides", [hit]))
        XCTAssertEqual(state.historyHits?.hits, [hit])
        XCTAssertEqual(state.historyHits?.query, "tides")
        XCTAssertFalse(state.helpVisible)
        _ = ChatApp.update(&state, .closeHistoryHits)
        XCTAssertNil(state.historyHits)
    }
}
