import Foundation

/// Who wrote a message.
public enum MessageRole: String, Sendable, Equatable, Codable {
    /// The person at the keyboard.
    case user
    /// A model's answer.
    case assistant
    /// A system prompt.
    case system
}

/// Where an answer is in its life. An answer is stored as `streaming` before its first token
/// and checkpointed while it grows, so a crash loses at most the last second of text.
public enum MessageStatus: String, Sendable, Equatable, Codable {
    /// Still arriving (or the process died while it was: the text is the last checkpoint).
    case streaming
    /// Finished normally.
    case complete
    /// Ended by an error; see the message's error text.
    case error
    /// Stopped by the user.
    case cancelled
}

/// How fast an answer came, as measured by the client.
public struct MessageTimings: Sendable, Equatable, Codable {
    /// Seconds from sending the request to the first token.
    public var timeToFirstToken: Double?
    /// Seconds from sending the request to the last byte.
    public var total: Double?
    /// Output tokens per second while generating.
    public var tokensPerSecond: Double?

    /// Creates timings.
    public init(timeToFirstToken: Double? = nil, total: Double? = nil, tokensPerSecond: Double? = nil) {
        self.timeToFirstToken = timeToFirstToken
        self.total = total
        self.tokensPerSecond = tokensPerSecond
    }

    enum CodingKeys: String, CodingKey {
        case timeToFirstToken = "ttft"
        case total
        case tokensPerSecond = "tokens_per_second"
    }
}

/// Token counts reported by the server.
public struct TokenUsage: Sendable, Equatable, Codable {
    /// Prompt tokens.
    public var inputTokens: Int?
    /// Generated tokens.
    public var outputTokens: Int?

    /// Creates usage counts.
    public init(inputTokens: Int? = nil, outputTokens: Int? = nil) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
    }

    enum CodingKeys: String, CodingKey {
        case inputTokens = "input_tokens"
        case outputTokens = "output_tokens"
    }
}

/// A session as listed by ``HistoryStore/listSessions(limit:)``.
public struct SessionSummary: Sendable, Equatable {
    /// The session id.
    public var id: Int64
    /// The title.
    public var title: String
    /// When it was created.
    public var createdAt: Date
    /// When anything in it last changed.
    public var updatedAt: Date
    /// `provider:model` of each pane, in pane order.
    public var paneModels: [String]
    /// How many messages it holds.
    public var messageCount: Int
}

/// One pane of a stored session.
public struct StoredPane: Sendable, Equatable, Codable {
    /// The pane id.
    public var id: Int64
    /// Left-to-right position, from 0.
    public var position: Int
    /// The provider name.
    public var provider: String
    /// The model name.
    public var model: String
    /// The pane's system prompt, if it had one.
    public var systemPrompt: String?
    /// When the pane was closed or its model changed; nil while it is open (and for every
    /// pane of a session stored before panes were tracked).
    public var closedAt: Date?
    /// The pane this one took over from when its model changed (same place on the screen).
    public var continues: Int64?

    /// Creates a stored pane (as read from the database).
    public init(id: Int64, position: Int, provider: String, model: String, systemPrompt: String? = nil,
                closedAt: Date? = nil, continues: Int64? = nil) {
        self.id = id
        self.position = position
        self.provider = provider
        self.model = model
        self.systemPrompt = systemPrompt
        self.closedAt = closedAt
        self.continues = continues
    }

    enum CodingKeys: String, CodingKey {
        case id, position, provider, model, continues
        case systemPrompt = "system_prompt"
        case closedAt = "closed_at"
    }
}

/// One stored message.
public struct StoredMessage: Sendable, Equatable, Codable {
    /// The message id (increasing in the order messages were written).
    public var id: Int64
    /// The pane it belongs to; nil for a prompt broadcast to every pane.
    public var paneID: Int64?
    /// Who wrote it.
    public var role: MessageRole
    /// The text (for a streaming answer, the last checkpoint).
    public var text: String
    /// The model's reasoning ("thinking") text, if any.
    public var reasoning: String?
    /// The provider that answered (answers only).
    public var provider: String?
    /// The model that answered (answers only).
    public var model: String?
    /// Where the answer is in its life; user and system messages are `complete`.
    public var status: MessageStatus
    /// What went wrong, for status `error`.
    public var errorText: String?
    /// When it was written.
    public var createdAt: Date
    /// When the answer finished.
    public var completedAt: Date?
    /// The user message this answers.
    public var replyTo: Int64?
    /// The id shared by a broadcast prompt and all its answers (the prompt's own id).
    public var broadcastGroup: Int64?
    /// Measured timings (answers only).
    public var timings: MessageTimings
    /// Reported token counts (answers only).
    public var usage: TokenUsage

    enum CodingKeys: String, CodingKey {
        case id, role, text, reasoning, provider, model, status, timings, usage
        case paneID = "pane_id"
        case errorText = "error"
        case createdAt = "created_at"
        case completedAt = "completed_at"
        case replyTo = "reply_to"
        case broadcastGroup = "broadcast_group"
    }
}

/// A whole session, for `--resume` and export.
public struct StoredSession: Sendable, Equatable {
    /// The session id.
    public var id: Int64
    /// The title.
    public var title: String
    /// When it was created.
    public var createdAt: Date
    /// When anything in it last changed.
    public var updatedAt: Date
    /// Its panes in position order.
    public var panes: [StoredPane]
    /// Its messages in the order they were written.
    public var messages: [StoredMessage]
    /// The user's votes on its broadcasts (``HistoryStore/recordVote(promptID:verdict:note:at:)``).
    public var votes: [StoredVote] = []

    /// The panes open when the session was last left, in screen order: what `--resume`
    /// reopens. Closed panes and panes replaced by a model change are left out.
    public var openPanes: [StoredPane] {
        panes.filter { $0.closedAt == nil }.sorted { ($0.position, $0.id) < ($1.position, $1.id) }
    }

    /// For each stored pane id, the open pane (index into ``openPanes``) that shows its
    /// messages: an open pane shows its own and those of the panes it continues (through
    /// model changes). Panes closed for good map to nothing.
    public var openPaneIndexByPaneID: [Int64: Int] {
        let byID = Dictionary(uniqueKeysWithValues: panes.map { ($0.id, $0) })
        var result: [Int64: Int] = [:]
        for (index, pane) in openPanes.enumerated() {
            var current: StoredPane? = pane
            while let link = current, result[link.id] == nil {
                result[link.id] = index
                current = link.continues.flatMap { byID[$0] }
            }
        }
        return result
    }
}

/// A search result.
public struct SearchHit: Sendable, Equatable {
    /// The matching message.
    public var messageID: Int64
    /// Its session.
    public var sessionID: Int64
    /// The session's title.
    public var sessionTitle: String
    /// Who wrote the message.
    public var role: MessageRole
    /// `provider:model` for answers.
    public var model: String?
    /// The matching text with the matched words between `[` and `]`, cut with `…`.
    public var snippet: String
    /// When the message was written.
    public var createdAt: Date
}
