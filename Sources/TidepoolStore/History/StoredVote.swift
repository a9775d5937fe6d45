import Foundation

/// The user's verdict on one broadcast: which answer was best, or that they tied, or that
/// every one was bad. A model's identity is `provider:model`.
public enum VoteVerdict: Sendable, Equatable, Hashable {
    /// This model's answer was the best of the broadcast.
    case best(provider: String, model: String)
    /// The answers were equally good.
    case tie
    /// No answer was good enough (stored, but left out of ratings: it says nothing about
    /// which model is better).
    case allBad

    /// The stored `kind` column: `best`, `tie` or `all_bad`.
    public var kind: String {
        switch self {
        case .best: "best"
        case .tie: "tie"
        case .allBad: "all_bad"
        }
    }

    /// The winner's `provider:model`, for `best`.
    public var winner: String? {
        if case .best(let provider, let model) = self { return "\(provider):\(model)" }
        return nil
    }

    /// The verdict as a person reads it: "best: sim:sim-fast", "tie", "all bad".
    public var summary: String {
        switch self {
        case .best(let provider, let model): "best: \(provider):\(model)"
        case .tie: "tie"
        case .allBad: "all bad"
        }
    }

    /// The verdict of a stored row (nil for a kind this version does not know).
    init?(kind: String, provider: String?, model: String?) {
        switch kind {
        case "best":
            guard let provider, let model else { return nil }
            self = .best(provider: provider, model: model)
        case "tie": self = .tie
        case "all_bad": self = .allBad
        default: return nil
        }
    }
}

/// A stored vote: the verdict on the broadcast whose prompt is ``promptID``.
public struct StoredVote: Sendable, Equatable, Codable {
    /// The vote's id.
    public var id: Int64
    /// The broadcast prompt judged (also the broadcast group of its answers).
    public var promptID: Int64
    /// The verdict.
    public var verdict: VoteVerdict
    /// The user's note, if any.
    public var note: String?
    /// When the vote was cast (or last changed).
    public var createdAt: Date

    /// Creates a vote (as read from the database).
    public init(id: Int64, promptID: Int64, verdict: VoteVerdict, note: String?, createdAt: Date) {
        self.id = id
        self.promptID = promptID
        self.verdict = verdict
        self.note = note
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, note
        case promptID = "prompt_id"
        case winner = "winner"
        case createdAt = "created_at"
    }

    /// Encodes as `{"id", "prompt_id", "kind", "winner"?: "provider:model", "note"?, "created_at"}`
    /// (the export's shape).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(promptID, forKey: .promptID)
        try container.encode(verdict.kind, forKey: .kind)
        try container.encodeIfPresent(verdict.winner, forKey: .winner)
        try container.encodeIfPresent(note, forKey: .note)
        try container.encode(createdAt, forKey: .createdAt)
    }

    /// Decodes the export's shape (a winner splits at its first colon: providers have none).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(Int64.self, forKey: .id)
        promptID = try container.decode(Int64.self, forKey: .promptID)
        let kind = try container.decode(String.self, forKey: .kind)
        let winner = try container.decodeIfPresent(String.self, forKey: .winner)
        let parts = winner?.split(separator: ":", maxSplits: 1).map(String.init)
        guard let verdict = VoteVerdict(kind: kind, provider: parts?.first, model: parts?.dropFirst().first) else {
            throw DecodingError.dataCorruptedError(forKey: .kind, in: container, debugDescription: "unknown vote \(kind)")
        }
        self.verdict = verdict
        note = try container.decodeIfPresent(String.self, forKey: .note)
        createdAt = try container.decode(Date.self, forKey: .createdAt)
    }
}

/// A voted broadcast with what the ranking needs: the vote, and each answer's model, status
/// and timings (``HistoryStore/votedBroadcasts(since:)``).
public struct VotedBroadcast: Sendable, Equatable {
    /// One answer of the broadcast.
    public struct Answer: Sendable, Equatable {
        /// The provider that answered.
        public var provider: String
        /// The model that answered.
        public var model: String
        /// How the answer ended.
        public var status: MessageStatus
        /// Its measured timings.
        public var timings: MessageTimings

        /// `provider:model`, the model's identity.
        public var identity: String { "\(provider):\(model)" }

        /// Creates an answer.
        public init(provider: String, model: String, status: MessageStatus = .complete, timings: MessageTimings = MessageTimings()) {
            self.provider = provider
            self.model = model
            self.status = status
            self.timings = timings
        }
    }

    /// The session the broadcast belongs to.
    public var sessionID: Int64
    /// The vote.
    public var vote: StoredVote
    /// The answers, in the order they were written.
    public var answers: [Answer]

    /// Creates a voted broadcast.
    public init(sessionID: Int64, vote: StoredVote, answers: [Answer]) {
        self.sessionID = sessionID
        self.vote = vote
        self.answers = answers
    }
}
