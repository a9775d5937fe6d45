import TidepoolPool
import TidepoolProviders

/// Everything that can change the app's state: the user's commands (already decoded from
/// keys by the screen layer) and what the network reports. Each is applied by
/// ``ChatApp/update(_:_:)``.
public enum AppMessage: Sendable {
    // Prompts
    /// Send this prompt to the focused pane, or to every pane when broadcast is on.
    case submit(String)
    /// Send the last prompt again to the focused pane (or every pane when broadcasting).
    case retryLast
    /// Stop the focused pane's answer.
    case cancelFocused
    /// Stop every answer.
    case cancelAll

    // Network
    /// A streamed event for one request.
    case chatEvent(pane: Int, request: Int, ChatEvent)
    /// The request is waiting in the pool's queue, or has been sent.
    case chatProgress(pane: Int, request: Int, PaneStatus)
    /// The request failed; `message` says what to do.
    case chatFailed(pane: Int, request: Int, message: String)
    /// The stream ended normally.
    case chatEnded(pane: Int, request: Int)
    /// A fresh snapshot of the pool, for the side panel.
    case poolStats(PoolManagerStats)
    /// What a local server says about its own load (``ServerMonitor``), for the panel.
    case serverReading(origin: Origin, ServerReading)

    // Panes
    /// Focus the next or previous pane.
    case focusNext
    case focusPrevious
    /// Focus a pane by position (0-based).
    case focus(Int)
    /// Open a pane on `provider:model`.
    case openPane(provider: String, model: String)
    /// Close the focused pane (cancelling its answer).
    case closeFocused
    /// Switch the focused pane to another model; its conversation stays.
    case changeModel(provider: String, model: String)
    /// Forget the focused pane's conversation.
    case clearFocused
    /// Set the system prompt of the focused pane, or of all panes (nil clears it).
    case setSystemPrompt(String?, allPanes: Bool)
    /// Fold or unfold reasoning text in the focused pane.
    case toggleReasoning

    // View
    /// Scroll the focused pane (or all panes when scrolling is locked) by `lines`
    /// (positive = towards older text).
    case scroll(lines: Int)
    /// Follow the stream again.
    case scrollToBottom
    case toggleBroadcast
    case togglePanel
    case toggleZoom
    case toggleHelp
    case toggleComparison
    case toggleScrollLock
    /// Use this theme from now on.
    case setTheme(String)
    /// Copy the focused pane's last answer to the clipboard.
    case copyLastAnswer
    /// Show a short message in the status line.
    case notify(String)
    /// Show what a history search found.
    case showHistoryHits(query: String, [HistoryHit])
    /// Close the history search results.
    case closeHistoryHits

    // Votes and ranking
    /// Vote on the last broadcast; with `note` nil the input then asks for an optional note.
    case vote(BroadcastVote.Choice, note: String? = nil)
    /// Attach this note to the vote on broadcast `group` (empty: no note).
    case setVoteNote(group: Int, String)
    /// Open the leaderboard (reading the votes from the history), or close it.
    case toggleLeaderboard
    /// Show this leaderboard.
    case showLeaderboard(Leaderboard)

    // Input
    /// An editing step in the input box (in the model picker, Up/Down browse the known models).
    case edit(EditCommand)
    /// Enter: send the prompt, or give the one-off answer the input mode asks for.
    case submitInput
    /// Ask for a one-off answer (a model, a system prompt, a search, a title); the draft waits.
    case beginInput(InputMode)
    /// Esc in a one-off mode: back to the draft.
    case cancelInput
    /// The one-off answer `text` could not be used (e.g. an unknown provider): ask again.
    case inputRejected(InputMode, text: String, reason: String)
    /// Edit the draft in `$EDITOR`.
    case openExternalEditor
    /// The external editor finished: the new draft (nil: unchanged) and what to tell the user.
    case draftEdited(String?, notice: String)
    /// Switch to the next theme of ``AppState/themeNames``.
    case nextTheme

    // Quitting
    /// Quit, or ask first when something is streaming.
    case requestQuit
    /// The user confirmed quitting.
    case confirmQuit
    /// The user changed their mind.
    case dismissQuit
}
