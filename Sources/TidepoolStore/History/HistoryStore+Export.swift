import Foundation

extension HistoryStore {
    /// The session as Markdown: the title and date, then each prompt followed by its answers,
    /// each answer under `### provider:model` with a timings line such as
    /// `ttft 0.42 s · 38.1 tok/s · 212 tokens · 5.6 s`, and a voted broadcast's vote under
    /// its answers (`**Vote:** best: sim:sim-fast — “clearest”`).
    public func exportMarkdown(sessionID: Int64) throws(HistoryError) -> String {
        HistoryExport.markdown(try loadSession(sessionID))
    }

    /// The session as JSON, in the shape documented on ``HistoryExport/Document``.
    public func exportJSON(sessionID: Int64) throws(HistoryError) -> Data {
        let session = try loadSession(sessionID)
        do {
            return try HistoryExport.json(session)
        } catch {
            throw .database(path: path, operation: "export session \(sessionID) as JSON", reason: "\(error)")
        }
    }
}

/// Turns a stored session into Markdown or JSON. Pure: no database access.
public enum HistoryExport {
    /// The JSON export (`format` `tidepool-session`, `version` 1). Keys are snake_case and
    /// sorted; dates are ISO 8601 in UTC; absent values are omitted:
    ///
    /// ```
    /// { "format": "tidepool-session", "version": 1,
    ///   "session": { "id", "title", "created_at", "updated_at" },
    ///   "panes": [ { "id", "position", "provider", "model", "system_prompt"? } ],
    ///   "messages": [ { "id", "pane_id"?, "role": "user|assistant|system", "text", "reasoning"?,
    ///                   "provider"?, "model"?, "status": "streaming|complete|error|cancelled",
    ///                   "error"?, "created_at", "completed_at"?, "reply_to"?, "broadcast_group"?,
    ///                   "timings": { "ttft"?, "total"?, "tokens_per_second"? },
    ///                   "usage": { "input_tokens"?, "output_tokens"? } } ],
    ///   "votes"?: [ { "id", "prompt_id", "kind": "best|tie|all_bad", "winner"?: "provider:model",
    ///                 "note"?, "created_at" } ] }
    /// ```
    public struct Document: Sendable, Equatable, Codable {
        /// Always `tidepool-session`.
        public var format = "tidepool-session"
        /// The shape's version; a change that breaks readers increases it.
        public var version = 1
        /// The session's own fields.
        public var session: SessionHeader
        /// The panes in position order.
        public var panes: [StoredPane]
        /// The messages in the order they were written.
        public var messages: [StoredMessage]
        /// The votes on its broadcasts (absent when there are none).
        public var votes: [StoredVote]?
    }

    /// The session fields of ``Document``.
    public struct SessionHeader: Sendable, Equatable, Codable {
        /// The session id.
        public var id: Int64
        /// The title.
        public var title: String
        /// When it was created.
        public var createdAt: Date
        /// When it last changed.
        public var updatedAt: Date

        enum CodingKeys: String, CodingKey {
            case id, title
            case createdAt = "created_at"
            case updatedAt = "updated_at"
        }
    }

    /// Encodes `session` as a ``Document``.
    public static func json(_ session: StoredSession) throws -> Data {
        let document = Document(
            session: SessionHeader(
                id: session.id, title: session.title, createdAt: session.createdAt, updatedAt: session.updatedAt),
            panes: session.panes, messages: session.messages, votes: session.votes.isEmpty ? nil : session.votes)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(document)
    }

    /// Renders `session` as Markdown.
    public static func markdown(_ session: StoredSession) -> String {
        var lines: [String] = ["# " + session.title, ""]
        var subtitle = utcDate(session.createdAt)
        if !session.panes.isEmpty {
            subtitle += " · " + session.panes.map { $0.provider + ":" + $0.model }.joined(separator: ", ")
        }
        lines += ["_\(subtitle)_", ""]
        let answersByPrompt = session.answersByPrompt
        let votesByPrompt = session.votesByPrompt
        for message in session.messages {
            switch message.role {
            case .system:
                lines += ["## System", "", message.text, ""]
            case .user:
                lines += ["## You", "", message.text, ""]
                for answer in answersByPrompt[message.id] ?? [] { lines += section(answer) }
                if let vote = votesByPrompt[message.id] { lines += [voteLine(vote), ""] }
            case .assistant:
                // Answers are written after their prompt; an orphan (its prompt deleted) is
                // still shown where it was written.
                if message.replyTo == nil { lines += section(message) }
            }
        }
        while lines.last == "" { lines.removeLast() }
        return lines.joined(separator: "\n") + "\n"
    }

    static func section(_ answer: StoredMessage) -> [String] {
        var lines = ["### \(answer.provider ?? "?"):\(answer.model ?? "?")", ""]
        if let reasoning = answer.reasoning, !reasoning.isEmpty {
            lines += ["<details><summary>reasoning</summary>", "", reasoning, "", "</details>", ""]
        }
        if !answer.text.isEmpty { lines += [answer.text, ""] }
        switch answer.status {
        case .complete: break
        case .streaming: lines += ["_(interrupted: the answer was still streaming)_", ""]
        case .cancelled: lines += ["_(cancelled)_", ""]
        case .error: lines += ["_error: \(answer.errorText ?? "unknown")_", ""]
        }
        let timings = timingsLine(answer)
        if !timings.isEmpty { lines += [timings, ""] }
        return lines
    }

    /// `**Vote:** best: sim:sim-fast — “clearest”` under a voted broadcast's answers.
    static func voteLine(_ vote: StoredVote) -> String {
        "**Vote:** \(vote.verdict.summary)" + (vote.note.map { " — “\($0)”" } ?? "")
    }

    /// `ttft 0.42 s · 38.1 tok/s · 212 tokens · 5.6 s`, leaving out what was not measured.
    public static func timingsLine(_ answer: StoredMessage) -> String {
        var parts: [String] = []
        if let ttft = answer.timings.timeToFirstToken { parts.append("ttft " + fixed(ttft, 2) + " s") }
        if let rate = answer.timings.tokensPerSecond { parts.append(fixed(rate, 1) + " tok/s") }
        if let tokens = answer.usage.outputTokens { parts.append("\(tokens) tokens") }
        if let total = answer.timings.total { parts.append(fixed(total, 1) + " s") }
        return parts.joined(separator: " · ")
    }

    static func fixed(_ value: Double, _ digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }

    static func utcDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter.string(from: date)
    }
}
