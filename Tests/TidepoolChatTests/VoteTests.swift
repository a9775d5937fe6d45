import Foundation
import Synchronization
import TidepoolChat
import TidepoolProviders
import TidepoolStore
import XCTest

/// F2's labels (issue 12 item 2) and voting on a broadcast (issue 13).
final class VoteTests: XCTestCase {
    private func threePanes() -> AppState {
        AppState(panes: AppState.panes([("sim", "sim-fast"), ("sim-ollama", "sim-steady"), ("sim-anthropic", "sim-thinker")]),
                 broadcast: true)
    }

    private func starts(_ effects: [AppEffect]) -> [(pane: Int, id: Int)] {
        effects.compactMap { if case .startChat(let pane, let id, _, _) = $0 { (pane, id) } else { nil } }
    }

    /// Broadcasts `prompt` and finishes every answer with `ttft`s in pane order.
    @discardableResult
    private func broadcast(_ prompt: String, in state: inout AppState, finish: Bool = true) -> [(pane: Int, id: Int)] {
        let started = starts(ChatApp.update(&state, .submit(prompt)))
        guard finish else { return started }
        for (index, start) in started.enumerated() {
            _ = ChatApp.update(&state, .chatEvent(pane: start.pane, request: start.id, .textDelta("answer \(index)")))
            _ = ChatApp.update(&state, .chatEvent(pane: start.pane, request: start.id, .timings(
                ChatTimings(timeToFirstToken: 0.1 * Double(index + 1), total: 1, tokensPerSecond: 10))))
            _ = ChatApp.update(&state, .chatEnded(pane: start.pane, request: start.id))
        }
        return started
    }

    func testComparisonKeepsTheModelThatAnsweredAfterAModelChange() {
        var state = threePanes()
        broadcast("compare", in: &state)
        state.focused = 2
        _ = ChatApp.update(&state, .changeModel(provider: "ollama", model: "qwen3:4b"))
        let entries = BroadcastComparison(group: state.lastBroadcast!, panes: state.panes).entries
        XCTAssertEqual(entries.map(\.label), ["sim:sim-fast", "sim-ollama:sim-steady", "sim-anthropic:sim-thinker"])
        XCTAssertEqual(entries.map(\.paneNumber), [1, 2, 3])
        XCTAssertEqual(state.panes[2].label, "ollama:qwen3:4b", "the pane itself talks to the new model")
    }

    func testVotingNeedsAFinishedBroadcast() {
        var state = threePanes()
        XCTAssertEqual(ChatApp.update(&state, .vote(.bestFocused)), [])
        XCTAssertTrue(state.notice?.contains("nothing to vote on") ?? false, state.notice ?? "")
        broadcast("compare", in: &state, finish: false)
        XCTAssertEqual(ChatApp.update(&state, .vote(.tie)), [])
        XCTAssertTrue(state.notice?.contains("still arriving") ?? false, state.notice ?? "")
        XCTAssertTrue(state.votes.isEmpty)
    }

    func testAVoteNamesTheModelThatAnsweredAndTakesANote() throws {
        var state = threePanes()
        broadcast("compare", in: &state)
        let group = try XCTUnwrap(state.lastBroadcast)
        state.focused = 1
        _ = ChatApp.update(&state, .changeModel(provider: "ollama", model: "qwen3:4b"))

        let effects = ChatApp.update(&state, .vote(.bestFocused))
        let expected = BroadcastVote(group: group, verdict: .best(provider: "sim-ollama", model: "sim-steady"))
        XCTAssertEqual(effects, [.recordVote(expected)])
        XCTAssertEqual(state.votes[group], expected)
        XCTAssertEqual(state.input.mode, .voteNote(group: group), "the note is asked for next")
        XCTAssertEqual(ChatApp.inputTitle(state), "note on your vote (best: sim-ollama:sim-steady): Enter keeps it, Esc none")

        _ = ChatApp.update(&state, .edit(.insert("clearest")))
        let noted = ChatApp.update(&state, .submitInput)
        var withNote = expected
        withNote.note = "clearest"
        XCTAssertEqual(noted, [.recordVote(withNote)])
        XCTAssertEqual(state.input.mode, .prompt)

        // From the comparison: pane 3 by its number; then a tie, then all bad, each replacing the last.
        XCTAssertEqual(ChatApp.update(&state, .vote(.best(paneNumber: 3), note: "")),
                       [.recordVote(BroadcastVote(group: group, verdict: .best(provider: "sim-anthropic", model: "sim-thinker")))])
        XCTAssertEqual(state.input.mode, .prompt, "a vote with its note given does not ask for one")
        XCTAssertEqual(ChatApp.update(&state, .vote(.best(paneNumber: 7), note: "")), [])
        XCTAssertTrue(state.notice?.contains("pane 7") ?? false)
        XCTAssertEqual(ChatApp.update(&state, .vote(.allBad, note: "all wrong")),
                       [.recordVote(BroadcastVote(group: group, verdict: .allBad, note: "all wrong"))])
        _ = ChatApp.update(&state, .vote(.tie))
        _ = ChatApp.update(&state, .cancelInput)
        XCTAssertEqual(state.notice, "vote kept without a note")
        XCTAssertEqual(state.votes[group]?.verdict, .tie)
    }

    func testVotesAreStoredAndComeBackOnResumeAndInTheLeaderboard() throws {
        let directory = NSTemporaryDirectory() + "tidepool-votes-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try HistoryStore(path: directory + "/h.sqlite")
        let recorder = HistoryRecorder(store: store, checkpointInterval: .seconds(3600))
        var state = threePanes()
        func send(_ message: AppMessage) {
            let effects = ChatApp.update(&state, message)
            recorder.record(message)
            for effect in effects {
                if case .recordVote(let vote) = effect { recorder.recordVote(vote) }
            }
            recorder.record(effects, in: state) { _ in }
            recorder.waitUntilWritten()
        }
        var started: [(pane: Int, id: Int)] = []
        do {
            // As the screen does: the effects go through the recorder, which stores the prompt.
            let effects = ChatApp.update(&state, .submit("first"))
            started = starts(effects)
            recorder.record(effects, in: state) { _ in }
            recorder.waitUntilWritten()
        }
        for (index, start) in started.enumerated() {
            send(.chatEvent(pane: start.pane, request: start.id, .timings(
                ChatTimings(timeToFirstToken: 0.1 * Double(index + 1), total: 1, tokensPerSecond: 10))))
            send(.chatEnded(pane: start.pane, request: start.id))
        }
        state.focused = 2
        send(.vote(.bestFocused, note: "best prose"))
        XCTAssertNil(recorder.notice)

        let session = try store.loadSession(try XCTUnwrap(recorder.sessionID))
        XCTAssertEqual(session.votes.count, 1)
        XCTAssertEqual(session.votes[0].verdict, .best(provider: "sim-anthropic", model: "sim-thinker"))
        XCTAssertEqual(session.votes[0].note, "best prose")

        // --resume: the vote is back on its broadcast, and voting again replaces it in place.
        var resumed = AppState(resuming: session)
        let group = try XCTUnwrap(resumed.lastBroadcast)
        XCTAssertEqual(resumed.votes[group]?.verdict, .best(provider: "sim-anthropic", model: "sim-thinker"))
        XCTAssertEqual(resumed.votes[group]?.note, "best prose")
        let again = HistoryRecorder(store: store, resuming: session, checkpointInterval: .seconds(3600))
        for effect in ChatApp.update(&resumed, .vote(.tie, note: "on reflection")) {
            if case .recordVote(let vote) = effect { again.recordVote(vote) }
        }
        again.waitUntilWritten()
        XCTAssertNil(again.notice)
        let reloaded = try store.loadSession(session.id)
        XCTAssertEqual(reloaded.votes.map(\.verdict), [.tie])
        XCTAssertEqual(reloaded.votes.map(\.note), ["on reflection"])

        let board = Leaderboard(broadcasts: try store.votedBroadcasts())
        XCTAssertEqual(board.votes, 1)
        XCTAssertEqual(board.rows.map(\.ties), [2, 2, 2])
    }
}
