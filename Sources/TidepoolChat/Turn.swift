import TidepoolProviders

/// One message of a pane's conversation: a prompt the user sent, or a model's answer.
public struct Turn: Sendable, Equatable, Identifiable {
    /// Who wrote it.
    public enum Role: String, Sendable, Equatable {
        case user
        case assistant
    }

    /// Unique within the app run.
    public let id: Int
    /// Who wrote it.
    public let role: Role
    /// The text (for answers: as streamed so far).
    public var text: String
    /// Reasoning ("thinking") text streamed before or beside the answer.
    public var reasoning: String
    /// For answers: where the answer is (streaming, done, error, cancelled).
    public var status: PaneStatus
    /// Timings of a finished answer.
    public var timings: ChatTimings?
    /// Prompt tokens reported by the server.
    public var inputTokens: Int?
    /// Answer tokens reported by the server.
    public var outputTokens: Int?
    /// The server's finish reason (`stop`, `length`, ...).
    public var finishReason: String?
    /// What went wrong, in words a person can act on.
    public var error: String?
    /// The broadcast this turn belongs to, if it was sent to every pane at once.
    public var broadcastGroup: Int?
    /// For answers: the `provider:model` that wrote it, fixed when the request starts, so a
    /// later model change (Alt-M) never relabels an earlier answer.
    public var modelLabel: String?

    /// Creates a turn.
    public init(id: Int, role: Role, text: String, status: PaneStatus = .done, broadcastGroup: Int? = nil) {
        self.id = id
        self.role = role
        self.text = text
        reasoning = ""
        self.status = status
        self.broadcastGroup = broadcastGroup
    }
}
