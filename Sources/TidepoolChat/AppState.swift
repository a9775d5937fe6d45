import TidepoolPool

/// Everything the screen shows, in one value. Only ``ChatApp/update(_:_:)`` changes it.
public struct AppState: Sendable {
    /// The panes, left to right.
    public var panes: [Pane]
    /// Index of the focused pane in ``panes``.
    public var focused = 0
    /// Prompts go to every pane.
    public var broadcast: Bool
    /// The pool panel is visible.
    public var panelVisible = true
    /// The focused pane fills the pane area.
    public var zoomed = false
    /// The help overlay is visible.
    public var helpVisible = false
    /// The comparison of the last broadcast is visible.
    public var comparisonVisible = false
    /// Scrolling moves every pane together.
    public var scrollLocked = false
    /// Waiting for the user to confirm quitting while something streams.
    public var confirmingQuit = false
    /// The name of the theme in use (the one source: the screen loads the theme by this name).
    public var theme: String
    /// The system prompt for panes without their own.
    public var systemPrompt: String?
    /// A history search's results, shown over the panes until dismissed.
    public var historyHits: (query: String, hits: [HistoryHit])?
    /// The latest pool snapshot.
    public var pool: PoolManagerStats?
    /// The latest reading of each monitored server, by the origin of its pool.
    public var servers: [Origin: ServerReading] = [:]
    /// A short message for the status line.
    public var notice: String?
    /// The input box: editor, mode and each mode's recall history.
    public var input = InputState()
    /// Prompts sent, oldest first (the prompt mode's recall with Up/Down).
    public var promptHistory: [String] {
        get { input.history(.prompt) }
        set { input.setHistory(.prompt, newValue) }
    }
    /// The themes Ctrl-T cycles through, in order (the screen fills it from its catalogue).
    public var themeNames: [String] = []
    /// Why history search and session rename are unavailable (history is off), else nil.
    public var historyUnavailable: String?
    /// The last broadcast's group id, for the comparison view.
    public var lastBroadcast: Int?
    /// The user's votes, by broadcast group.
    public var votes: [Int: BroadcastVote] = [:]
    /// The stored prompt of each broadcast group restored by `--resume` (votes on them are
    /// stored beside that prompt).
    public var storedBroadcastPrompts: [Int: Int64] = [:]
    /// The leaderboard overlay's contents while it is open (F3).
    public var leaderboard: Leaderboard?
    /// Counter for turn, request and broadcast ids.
    var nextID = 1

    /// Creates a state with these panes.
    public init(panes: [Pane], broadcast: Bool = false, theme: String = "tidepool-dark", systemPrompt: String? = nil) {
        self.panes = panes
        self.broadcast = broadcast
        self.theme = theme
        self.systemPrompt = systemPrompt
    }

    /// Creates panes for `provider:model` pairs, numbering them.
    public static func panes(_ models: [(provider: String, model: String)]) -> [Pane] {
        models.enumerated().map { Pane(id: $0.offset + 1, provider: $0.element.provider, model: $0.element.model) }
    }

    /// The focused pane, if there are panes.
    public var focusedPane: Pane? { panes.indices.contains(focused) ? panes[focused] : nil }

    /// True while any pane is waiting for or receiving an answer.
    public var isStreaming: Bool { panes.contains { $0.status.isBusy } }

    mutating func makeID() -> Int {
        defer { nextID += 1 }
        return nextID
    }
}
