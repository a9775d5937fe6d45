import TidepoolChat
import TidepoolProviders
import TidepoolStore
import TidepoolTUI
import XCTest

/// The comparison's pane numbers and vote marks, the vote keys, and the leaderboard overlay.
final class VoteViewTests: XCTestCase {
    private let theme = Theme.monochrome

    private func text(_ state: AppState, _ width: Int = 120, _ height: Int = 30) -> String {
        ChatScreen.render(state: state, editor: LineEditor(), theme: theme, width: width, height: height)
            .screen.lines.joined(separator: "\n")
    }

    /// Three finished answers where pane 3 is fastest and pane 1 slowest.
    private func finishedBroadcast() -> AppState {
        var state = AppState(panes: AppState.panes([("sim", "slow"), ("sim", "middle"), ("sim", "quick")]), broadcast: true)
        let starts = ChatApp.update(&state, .submit("compare")).compactMap {
            if case .startChat(let pane, let id, _, _) = $0 { (pane, id) } else { nil }
        }
        for (index, start) in starts.enumerated() {
            _ = ChatApp.update(&state, .chatEvent(pane: start.0, request: start.1, .textDelta("text")))
            _ = ChatApp.update(&state, .chatEvent(pane: start.0, request: start.1, .timings(
                ChatTimings(timeToFirstToken: 0.1, total: Double(3 - index), tokensPerSecond: 10))))
            _ = ChatApp.update(&state, .chatEnded(pane: start.0, request: start.1))
        }
        return state
    }

    func testTheFirstColumnIsThePaneNumberNotTheRank() throws {
        var state = finishedBroadcast()
        state.comparisonVisible = true
        let screen = text(state)
        let lines = screen.split(separator: "\n").map(String.init)
        // Fastest first, each row numbered by its pane.
        let quick = try XCTUnwrap(lines.firstIndex { $0.contains("3  sim:quick") }, screen)
        let middle = try XCTUnwrap(lines.firstIndex { $0.contains("2  sim:middle") }, screen)
        let slow = try XCTUnwrap(lines.firstIndex { $0.contains("1  sim:slow") }, screen)
        XCTAssertLessThan(quick, middle)
        XCTAssertLessThan(middle, slow)
        XCTAssertTrue(screen.contains(ComparisonView.footer), screen)
    }

    func testTheComparisonMarksTheVoteAndKeepsTheOldModelAfterAChange() throws {
        var state = finishedBroadcast()
        state.focused = 1
        _ = ChatApp.update(&state, .vote(.bestFocused, note: "tidy"))
        _ = ChatApp.update(&state, .changeModel(provider: "ollama", model: "qwen3:4b"))
        state.comparisonVisible = true
        let screen = text(state)
        XCTAssertTrue(screen.contains("2  ★ sim:middle"), screen)
        XCTAssertFalse(screen.contains("ollama:qwen3:4b  "), "the result keeps the model that produced it:\n\(screen)")
        XCTAssertTrue(screen.contains("your vote: best: sim:middle — “tidy”"), screen)
        _ = ChatApp.update(&state, .vote(.tie, note: ""))
        state.comparisonVisible = true
        XCTAssertTrue(text(state).contains("1  = sim:slow"))
    }

    func testVoteKeys() {
        let panes = KeyMap.Context()
        let compare = KeyMap.Context(comparisonVisible: true)
        func message(_ key: Key, _ context: KeyMap.Context) -> String {
            if case .message(let message) = KeyMap.action(for: key, in: context) { return "\(message)" }
            return "other"
        }
        XCTAssertEqual(message(.alt("v"), panes), "\(AppMessage.vote(.bestFocused))")
        XCTAssertEqual(message(.alt("="), panes), "\(AppMessage.vote(.tie))")
        XCTAssertEqual(message(.alt("x"), panes), "\(AppMessage.vote(.allBad))")
        XCTAssertEqual(message(.character("3"), compare), "\(AppMessage.vote(.best(paneNumber: 3)))")
        XCTAssertEqual(message(.character("="), compare), "\(AppMessage.vote(.tie))")
        XCTAssertEqual(message(.character("x"), compare), "\(AppMessage.vote(.allBad))")
        XCTAssertEqual(message(.function(3), panes), "\(AppMessage.toggleLeaderboard)")
        XCTAssertEqual(message(.escape, KeyMap.Context(leaderboardVisible: true)), "\(AppMessage.toggleLeaderboard)")
        // Typing in the draft is untouched.
        if case .edit = KeyMap.action(for: .character("3"), in: panes) {} else { XCTFail("3 types a 3 in the draft") }
    }

    func testTheLeaderboardOverlay() {
        var state = finishedBroadcast()
        _ = ChatApp.update(&state, .showLeaderboard(Leaderboard(broadcasts: [])))
        var screen = text(state)
        XCTAssertTrue(screen.contains("Leaderboard"), screen)
        XCTAssertTrue(screen.contains("No votes yet"), screen)
        let vote = StoredVote(id: 1, promptID: 1, verdict: .best(provider: "sim", model: "quick"), note: nil,
                              createdAt: Date(timeIntervalSince1970: 0))
        let board = Leaderboard(broadcasts: [VotedBroadcast(sessionID: 1, vote: vote, answers: [
            .init(provider: "sim", model: "quick", timings: MessageTimings(timeToFirstToken: 0.25, total: 1, tokensPerSecond: 42)),
            .init(provider: "sim", model: "slow"),
        ])])
        _ = ChatApp.update(&state, .showLeaderboard(board))
        for (width, height) in [(120, 30), (80, 24)] {
            screen = text(state, width, height)
            XCTAssertTrue(screen.contains("1 vote"), screen)
            XCTAssertTrue(screen.contains("sim:quick"), screen)
            XCTAssertTrue(screen.contains("0.25 s"), screen)
            XCTAssertTrue(screen.contains("1631"), "the rating of one win:\n\(screen)")
        }
        _ = ChatApp.update(&state, .toggleLeaderboard)
        XCTAssertNil(state.leaderboard)
    }
}
