import TidepoolStore

extension ChatApp {
    /// The votes' part of ``update(_:_:)``: voting on the last broadcast (best, tie, all bad),
    /// its optional note, and the leaderboard overlay.
    static func updateVotes(_ state: inout AppState, _ message: AppMessage) -> [AppEffect] {
        switch message {
        case .vote(let choice, let note):
            return vote(choice, note: note, in: &state)
        case .setVoteNote(let group, let text):
            guard var vote = state.votes[group] else { return [] }
            let note = text.trimmingCharacters(in: .whitespacesAndNewlines)
            vote.note = note.isEmpty ? nil : note
            state.votes[group] = vote
            state.notice = vote.note == nil ? "vote kept without a note" : "note saved with your vote (\(vote.verdict.summary))"
            return [.recordVote(vote)]
        case .toggleLeaderboard:
            if state.leaderboard != nil {
                state.leaderboard = nil
                return []
            }
            if let reason = state.historyUnavailable {
                state.notice = "the leaderboard reads the votes in the history, which is off: \(reason)"
                return []
            }
            state.helpVisible = false
            state.comparisonVisible = false
            return [.loadLeaderboard]
        case .showLeaderboard(let board):
            state.leaderboard = board
            state.helpVisible = false
            state.comparisonVisible = false
            state.historyHits = nil
        default:
            break
        }
        return []
    }

    /// Records the user's verdict on the last broadcast, once all its answers have ended.
    /// The winner is named by the model that wrote the answer (a pane switched to another
    /// model since still votes for the one that answered). Without a `note` the input box
    /// then offers to add one.
    private static func vote(_ choice: BroadcastVote.Choice, note: String?, in state: inout AppState) -> [AppEffect] {
        if let reason = state.historyUnavailable {
            state.notice = "votes are kept in the history, which is off: \(reason)"
            return []
        }
        guard let group = state.lastBroadcast else {
            state.notice = "nothing to vote on yet: broadcast a prompt (Ctrl-B, then Enter), then vote"
            return []
        }
        let entries = BroadcastComparison(group: group, panes: state.panes).entries
        guard entries.count >= 2 else {
            state.notice = "the last broadcast has fewer than two answers on screen: nothing to compare"
            return []
        }
        guard !entries.contains(where: { $0.status.isBusy }) else {
            state.notice = "answers are still arriving: vote once they have finished (Ctrl-X stops them)"
            return []
        }
        let verdict: VoteVerdict
        switch choice {
        case .tie:
            verdict = .tie
        case .allBad:
            verdict = .allBad
        case .bestFocused, .best:
            let entry: BroadcastComparison.Entry?
            if case .best(let number) = choice {
                entry = entries.first { $0.paneNumber == number }
                guard entry != nil else {
                    state.notice = "pane \(number) has no answer in the last broadcast; panes: "
                        + entries.map { "\($0.paneNumber)" }.joined(separator: ", ")
                    return []
                }
            } else {
                let focused = state.focusedPane?.id
                entry = entries.first { $0.paneID == focused }
                guard entry != nil else {
                    state.notice = "the focused pane has no answer in the last broadcast: focus one that has (Tab)"
                    return []
                }
            }
            let parts = entry!.label.split(separator: ":", maxSplits: 1).map(String.init)
            verdict = .best(provider: parts[0], model: parts.count > 1 ? parts[1] : "")
        }
        let vote = BroadcastVote(group: group, verdict: verdict, note: note.flatMap { $0.isEmpty ? nil : $0 },
                                 storedPromptID: state.storedBroadcastPrompts[group])
        state.votes[group] = vote
        state.comparisonVisible = false
        if note == nil {
            state.notice = "voted \(verdict.summary): add a note and Enter, or Esc for none"
            state.input.switchTo(.voteNote(group: group))
        } else {
            state.notice = "voted \(verdict.summary)"
        }
        return [.recordVote(vote)]
    }
}
