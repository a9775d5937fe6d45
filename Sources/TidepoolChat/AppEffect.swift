import TidepoolProviders

/// Work ``ChatApp/update(_:_:)`` asks the runtime to do. Effects are plain values, so the
/// update function stays pure and tests can assert on them.
public enum AppEffect: Sendable, Equatable {
    /// Stream `request` from `provider` for `pane`, reporting back with messages tagged by
    /// `requestID`.
    case startChat(pane: Int, requestID: Int, provider: String, request: ChatRequest)
    /// Stop the request with this id.
    case cancelChat(requestID: Int)
    /// Put this text on the system clipboard (OSC 52).
    case copyToClipboard(String)
    /// Leave the app.
    case quit
    /// Check `provider:model` against the catalogue, then send `.openPane` / `.changeModel`
    /// (or `.inputRejected` with the reason).
    case resolveModel(String, InputMode.ModelPickerPurpose)
    /// Search the stored conversations, then send `.showHistoryHits` (or a notice).
    case searchHistory(String)
    /// Rename the stored session, then send a notice.
    case renameSession(String)
    /// Hand the terminal to `$EDITOR` on `draft`, then send `.draftEdited` (Bubble Tea's
    /// `tea.ExecProcess`).
    case runExternalEditor(draft: String)
    /// Store the vote beside its broadcast in the history.
    case recordVote(BroadcastVote)
    /// Rank the models from the stored votes, then send `.showLeaderboard` (or a notice).
    case loadLeaderboard
}
