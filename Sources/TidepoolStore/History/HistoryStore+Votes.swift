import Foundation
import GRDB

extension HistoryStore {
    /// Stores the user's verdict on the broadcast whose prompt is `promptID`, replacing an
    /// earlier vote on it (people change their minds), and returns the vote's id.
    ///
    /// - Throws: ``HistoryError/notFound(what:id:)`` for an unknown prompt,
    ///   ``HistoryError/invalidVote(reason:)`` when the prompt was not broadcast or the winner
    ///   is not one of the models that answered it.
    @discardableResult
    public func recordVote(promptID: Int64, verdict: VoteVerdict, note: String? = nil, at date: Date = Date())
        throws(HistoryError) -> Int64
    {
        try perform("store a vote") {
            try database.write { db in
                guard let prompt = try Row.fetchOne(
                    db, sql: "SELECT session_id, role, broadcast_group FROM messages WHERE id = ?", arguments: [promptID])
                else { throw HistoryError.notFound(what: "message", id: promptID) }
                let group: Int64? = prompt["broadcast_group"]
                guard prompt["role"] as String == MessageRole.user.rawValue, group == promptID else {
                    throw HistoryError.invalidVote(reason: "message \(promptID) is not a broadcast prompt")
                }
                let models = try String.fetchAll(
                    db,
                    sql: """
                        SELECT DISTINCT provider || ':' || model FROM messages
                        WHERE reply_to = ? AND role = 'assistant' AND provider IS NOT NULL AND model IS NOT NULL
                        """,
                    arguments: [promptID])
                if let winner = verdict.winner, !models.contains(winner) {
                    throw HistoryError.invalidVote(
                        reason: "\(winner) did not answer this broadcast (it was answered by \(models.sorted().joined(separator: ", ")))")
                }
                var winnerProvider: String?
                var winnerModel: String?
                if case .best(let provider, let model) = verdict {
                    winnerProvider = provider
                    winnerModel = model
                }
                let sessionID: Int64 = prompt["session_id"]
                let cleanNote = note.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
                try db.execute(
                    sql: """
                        INSERT INTO votes (session_id, prompt_id, kind, winner_provider, winner_model, note, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT(prompt_id) DO UPDATE SET kind = excluded.kind,
                            winner_provider = excluded.winner_provider, winner_model = excluded.winner_model,
                            note = excluded.note, created_at = excluded.created_at
                        """,
                    arguments: [sessionID, promptID, verdict.kind, winnerProvider, winnerModel, cleanNote,
                                date.timeIntervalSince1970])
                try db.execute(
                    sql: "UPDATE sessions SET updated_at = MAX(updated_at, ?) WHERE id = ?",
                    arguments: [date.timeIntervalSince1970, sessionID])
                return try Int64.fetchOne(db, sql: "SELECT id FROM votes WHERE prompt_id = ?", arguments: [promptID]) ?? 0
            }
        }
    }

    /// Every vote cast at or after `since` (all when nil), oldest first, each with the
    /// answers of its broadcast: what `tidepool rank` ranks.
    public func votedBroadcasts(since: Date? = nil) throws(HistoryError) -> [VotedBroadcast] {
        try perform("read the votes") {
            try database.read { db in
                let rows = try Row.fetchAll(
                    db, sql: "SELECT * FROM votes WHERE created_at >= ? ORDER BY created_at, id",
                    arguments: [since?.timeIntervalSince1970 ?? -Double.greatestFiniteMagnitude])
                return try rows.compactMap { row -> VotedBroadcast? in
                    guard let vote = Self.vote(from: row) else { return nil }
                    let answers = try Row.fetchAll(
                        db,
                        sql: """
                            SELECT provider, model, status, ttft, total, tokens_per_second FROM messages
                            WHERE reply_to = ? AND role = 'assistant' AND provider IS NOT NULL AND model IS NOT NULL
                            ORDER BY id
                            """,
                        arguments: [vote.promptID]
                    ).map { answer in
                        VotedBroadcast.Answer(
                            provider: answer["provider"], model: answer["model"],
                            status: MessageStatus(rawValue: answer["status"]) ?? .error,
                            timings: MessageTimings(timeToFirstToken: answer["ttft"], total: answer["total"],
                                                    tokensPerSecond: answer["tokens_per_second"]))
                    }
                    return VotedBroadcast(sessionID: row["session_id"], vote: vote, answers: answers)
                }
            }
        }
    }

    /// The votes of one session, in the order of the prompts they judge.
    static func votes(sessionID: Int64, _ db: Database) throws -> [StoredVote] {
        try Row.fetchAll(db, sql: "SELECT * FROM votes WHERE session_id = ? ORDER BY prompt_id", arguments: [sessionID])
            .compactMap(vote(from:))
    }

    static func vote(from row: Row) -> StoredVote? {
        guard let verdict = VoteVerdict(kind: row["kind"], provider: row["winner_provider"], model: row["winner_model"])
        else { return nil }
        return StoredVote(id: row["id"], promptID: row["prompt_id"], verdict: verdict, note: row["note"],
                          createdAt: Date(timeIntervalSince1970: row["created_at"]))
    }
}

extension StoredSession {
    /// The vote on each broadcast prompt, by the prompt's message id.
    public var votesByPrompt: [Int64: StoredVote] {
        Dictionary(votes.map { ($0.promptID, $0) }, uniquingKeysWith: { _, last in last })
    }
}
