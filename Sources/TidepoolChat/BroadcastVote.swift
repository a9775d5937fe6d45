import TidepoolStore

/// The user's vote on one broadcast of this run, as the app state keeps it and the
/// ``HistoryRecorder`` stores it beside the broadcast's prompt.
public struct BroadcastVote: Sendable, Equatable {
    /// Which answer to vote for.
    public enum Choice: Sendable, Equatable {
        /// The focused pane's answer is the best (Alt-V).
        case bestFocused
        /// The answer of the pane numbered `paneNumber` (1 is the leftmost) is the best
        /// (1-9 in the comparison; `compare --winner`).
        case best(paneNumber: Int)
        /// The answers are equally good.
        case tie
        /// None is good.
        case allBad
    }

    /// The app's broadcast group.
    public var group: Int
    /// The verdict, with the winner's `provider:model` as it answered (not the pane's model now).
    public var verdict: VoteVerdict
    /// The user's note, if any.
    public var note: String?
    /// The broadcast's prompt in the history, for a broadcast of a resumed session (the
    /// recorder knows the prompts of this run itself).
    public var storedPromptID: Int64?

    /// Creates a vote.
    public init(group: Int, verdict: VoteVerdict, note: String? = nil, storedPromptID: Int64? = nil) {
        self.group = group
        self.verdict = verdict
        self.note = note
        self.storedPromptID = storedPromptID
    }
}
