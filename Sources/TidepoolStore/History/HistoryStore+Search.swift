import Foundation
import GRDB

extension HistoryStore {
    /// Full-text search over message text and reasoning, best matches first.
    ///
    /// The query is taken as plain words, never as FTS5 syntax: quotes, `*`, `NEAR`, `-` and
    /// other operators a user types are searched for as words (each word matches as a
    /// prefix), so no input can cause a syntax error. A query with no words returns nothing.
    public func search(_ query: String, limit: Int = 50) throws(HistoryError) -> [SearchHit] {
        guard let pattern = FTS5Pattern(matchingAllPrefixesIn: query) else { return [] }
        return try perform("search") {
            try database.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT m.id, m.session_id, s.title, m.role, m.provider, m.model, m.created_at,
                            snippet(messages_fts, -1, '[', ']', '…', 12) AS snippet
                        FROM messages_fts
                        JOIN messages m ON m.id = messages_fts.rowid
                        JOIN sessions s ON s.id = m.session_id
                        WHERE messages_fts MATCH ?
                        ORDER BY bm25(messages_fts), m.id DESC
                        LIMIT ?
                        """,
                    arguments: [pattern, limit]
                ).map { row in
                    let provider: String? = row["provider"]
                    let model: String? = row["model"]
                    return SearchHit(
                        messageID: row["id"], sessionID: row["session_id"], sessionTitle: row["title"],
                        role: MessageRole(rawValue: row["role"]) ?? .user,
                        model: provider.flatMap { provider in model.map { provider + ":" + $0 } },
                        snippet: row["snippet"], createdAt: Date(timeIntervalSince1970: row["created_at"]))
                }
            }
        }
    }
}
