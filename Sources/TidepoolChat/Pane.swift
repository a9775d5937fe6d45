import TidepoolProviders

/// One chat pane: a conversation with one model.
public struct Pane: Sendable, Equatable, Identifiable {
    /// Unique within the app run.
    public let id: Int
    /// The provider's name as the user wrote it (`ollama`, `openai`, `sim`, a config name).
    public var provider: String
    /// The model name (may contain colons, as Ollama's do).
    public var model: String
    /// A system prompt for this pane only (overrides the app-wide one).
    public var systemPrompt: String?
    /// The conversation, oldest first.
    public var turns: [Turn] = []
    /// What the pane is doing.
    public var status: PaneStatus = .idle
    /// The request in flight, if any.
    public var activeRequest: Int?
    /// Lines scrolled up from the bottom; 0 follows the stream.
    public var scrollBack = 0
    /// Whether reasoning text is folded to one line.
    public var reasoningFolded = false
    /// With ``PaneStatus/notRunning``: how to start the server, from its preset's table
    /// ("is Ollama running? `ollama serve`").
    public var serverHint: String?

    /// Creates an empty pane.
    public init(id: Int, provider: String, model: String) {
        self.id = id
        self.provider = provider
        self.model = model
    }

    /// `provider:model`, the form the command line takes.
    public var label: String { "\(provider):\(model)" }

    /// The last answer, if any.
    public var lastAnswer: Turn? { turns.last { $0.role == .assistant } }

    /// The last prompt the user sent here, if any.
    public var lastPrompt: Turn? { turns.last { $0.role == .user } }

    /// The last prompt that is still part of the conversation (not replaced by a resend).
    public var lastLivePrompt: Turn? { turns.last { $0.role == .user && !$0.superseded } }

    /// The conversation as provider messages: each prompt that got a complete answer, with
    /// that answer, then the newest prompt. Prompts whose answer failed or was cancelled are
    /// left out, so roles keep alternating as every provider expects; so are exchanges
    /// replaced by a resend (superseded). A prompt is sent with its attachments.
    public func history() -> [ChatMessage] {
        var messages: [ChatMessage] = []
        let live = turns.filter { !$0.superseded }
        for (index, turn) in live.enumerated() where turn.role == .user {
            let answer = live[(index + 1)...].first { $0.role == .assistant }
            let isNewest = !live[(index + 1)...].contains { $0.role == .user }
            if let answer, answer.status == .done, !answer.text.isEmpty {
                messages.append(ChatMessage(role: .user, text: turn.sentText))
                messages.append(ChatMessage(role: .assistant, text: answer.text))
            } else if isNewest {
                messages.append(ChatMessage(role: .user, text: turn.sentText))
            }
        }
        return messages
    }
}
