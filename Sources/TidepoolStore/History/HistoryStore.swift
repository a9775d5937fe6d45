import Foundation
import GRDB

/// The chat history: sessions, their panes and messages, in a SQLite database (WAL mode)
/// with full-text search.
///
/// Every prompt is stored before it is sent and every answer as soon as it starts, then
/// checkpointed while it streams, so a crash or a kill loses at most the text since the last
/// checkpoint. The store never receives API keys: nothing it is given contains one.
///
/// All methods are synchronous and thread-safe (GRDB serialises writes and runs reads
/// concurrently); each write is one short transaction.
public final class HistoryStore: Sendable {
    /// The database file.
    public let path: String
    let database: DatabasePool

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    ///
    /// The history holds everything the user ever asked, so it is private: folders it creates
    /// are 0700 and the database with its WAL and shared-memory files 0600, tightened when
    /// they already exist with looser modes.
    ///
    /// - Parameters:
    ///   - busyTimeout: how long to wait for another process's lock before failing
    ///     with ``HistoryError/locked(path:)``.
    ///   - privateDirectory: also tighten the folder holding `path` when it already exists.
    ///     Only for a folder that is Tidepool's alone (its data directory): a database put in
    ///     a shared folder such as `/tmp` must not change that folder's mode.
    public init(path: String, busyTimeout: TimeInterval = 5, privateDirectory: Bool = false) throws(HistoryError) {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.foreignKeysEnabled = true
        configuration.label = "tidepool.history"
        configuration.prepareDatabase { db in
            // WAL with synchronous=NORMAL survives a killed process (the WAL is in the OS
            // cache); only a power loss may drop the last transactions.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        try HistoryFilePermissions.prepare(databasePath: path, tighteningDirectory: privateDirectory)
        let deadline = ContinuousClock.now + .milliseconds(Int(busyTimeout * 1000))
        do {
            database = try Self.retryingWhileBusy(until: deadline) {
                try DatabasePool(path: path, configuration: configuration)
            }
        } catch {
            throw Self.mapError(error, path: path, operation: "open")
        }
        // Opening in WAL mode created the -wal and -shm files (with the database's mode, but a
        // copy from elsewhere may have brought looser ones): tighten whatever is there now.
        HistoryFilePermissions.tightenFiles(databasePath: path)
        try migrate(until: deadline)
        indexUnfinishedAnswers(until: deadline)
    }

    /// Runs `body` again while SQLite answers "busy" without waiting, until `deadline`.
    ///
    /// SQLite's busy timeout does not cover every lock: switching a brand-new file to WAL mode
    /// and a few other steps fail at once when another connection holds the lock at that moment,
    /// which happens when two Tidepools open a new history together.
    static func retryingWhileBusy<T>(until deadline: ContinuousClock.Instant, _ body: () throws -> T) throws -> T {
        var pause = Duration.milliseconds(5)
        while true {
            do {
                return try body()
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
                guard ContinuousClock.now + pause < deadline else { throw error }
                Thread.sleep(forTimeInterval: Double(pause.components.attoseconds) / 1e18)
                pause = min(pause * 2, .milliseconds(200))
            }
        }
    }

    /// Opens the history in the data directory of `paths`, which is Tidepool's own and so is
    /// made private (0700) even when it already existed with a looser mode.
    public convenience init(paths: ConfigPaths, busyTimeout: TimeInterval = 5) throws(HistoryError) {
        try self.init(path: paths.historyDatabase, busyTimeout: busyTimeout, privateDirectory: true)
    }

    /// How many times opening retries a migration that another process applied first.
    static let migrationAttempts = 5

    /// Brings the schema up to date, also when another Tidepool opens the same brand-new history
    /// at the same moment (two panes' worth of `compare` runs from a script, say).
    ///
    /// GRDB reads which migrations are applied and then runs each missing one in its own
    /// transaction; between the two, another process may apply the same migration, and running it
    /// again fails ("table sessions already exists") with nothing changed. Such a failure is
    /// retried when the other process made progress meanwhile; a failure with no progress by
    /// anyone is a real one and is reported.
    private func migrate(until deadline: ContinuousClock.Instant) throws(HistoryError) {
        let migrator = HistorySchema.migrator
        let known = Set(migrator.migrations)
        try perform("read the schema version") {
            var attempt = 1
            while true {
                let applied = try Self.retryingWhileBusy(until: deadline) {
                    try database.read { db in try migrator.appliedIdentifiers(db) }
                }
                let unknown = applied.subtracting(known).sorted()
                if !unknown.isEmpty { throw HistoryError.newerVersion(path: path, unknownMigrations: unknown) }
                do {
                    try Self.retryingWhileBusy(until: deadline) { try migrator.migrate(database) }
                    return
                } catch {
                    let appliedNow = try Self.retryingWhileBusy(until: deadline) {
                        try database.read { db in try migrator.appliedIdentifiers(db) }
                    }
                    if appliedNow.isSuperset(of: known) { return }
                    if appliedNow == applied || attempt >= Self.migrationAttempts { throw error }
                    attempt += 1
                }
            }
        }
    }

    // MARK: Writing

    /// Creates a session and returns its id.
    @discardableResult
    public func createSession(title: String, at date: Date = Date()) throws(HistoryError) -> Int64 {
        try perform("create a session") {
            try database.write { db in
                try db.execute(
                    sql: "INSERT INTO sessions (title, created_at, updated_at) VALUES (?, ?, ?)",
                    arguments: [title, date.timeIntervalSince1970, date.timeIntervalSince1970])
                return db.lastInsertedRowID
            }
        }
    }

    /// Adds a pane to a session and returns its id. `continuing`: the pane it replaces
    /// after a model change (close that one with ``closePane(_:at:)``).
    @discardableResult
    public func addPane(
        sessionID: Int64, position: Int, provider: String, model: String, systemPrompt: String? = nil,
        continuing: Int64? = nil
    ) throws(HistoryError) -> Int64 {
        try perform("add a pane") {
            try database.write { db in
                try requireSession(sessionID, db)
                try db.execute(
                    sql: """
                        INSERT INTO panes (session_id, position, provider, model, system_prompt, continues)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [sessionID, position, provider, model, systemPrompt, continuing])
                return db.lastInsertedRowID
            }
        }
    }

    /// Marks a pane closed (by the user, or replaced after a model change), so `--resume`
    /// does not reopen it. Closing a closed pane keeps the first time.
    public func closePane(_ paneID: Int64, at date: Date = Date()) throws(HistoryError) {
        try perform("close a pane") {
            try database.write { db in
                try db.execute(
                    sql: "UPDATE panes SET closed_at = COALESCE(closed_at, ?) WHERE id = ?",
                    arguments: [date.timeIntervalSince1970, paneID])
                guard db.changesCount > 0 else { throw HistoryError.notFound(what: "pane", id: paneID) }
                if let session = try Int64.fetchOne(
                    db, sql: "SELECT session_id FROM panes WHERE id = ?", arguments: [paneID])
                {
                    try touch(session, date, db)
                }
            }
        }
    }

    /// Stores a prompt BEFORE it is sent, so the user's text survives anything that follows,
    /// and returns its id. A prompt broadcast to every pane has no pane and becomes the
    /// broadcast group of its answers.
    ///
    /// `attachments`: the files attached with `@path`, each stored once by content hash (a
    /// content already stored is not written again) and linked to the prompt by name and hash.
    @discardableResult
    public func recordUserMessage(
        sessionID: Int64, text: String, paneID: Int64? = nil, broadcast: Bool = false,
        role: MessageRole = .user, attachments: [StoredAttachment] = [], at date: Date = Date()
    ) throws(HistoryError) -> Int64 {
        try perform("store the prompt") {
            try database.write { db in
                try requireSession(sessionID, db)
                try db.execute(
                    sql: """
                        INSERT INTO messages (session_id, pane_id, role, text, status, created_at)
                        VALUES (?, ?, ?, ?, 'complete', ?)
                        """,
                    arguments: [sessionID, paneID, role.rawValue, text, date.timeIntervalSince1970])
                let id = db.lastInsertedRowID
                if broadcast {
                    try db.execute(sql: "UPDATE messages SET broadcast_group = id WHERE id = ?", arguments: [id])
                }
                try Self.attach(attachments, to: id, at: date, db)
                try touch(sessionID, date, db)
                return id
            }
        }
    }

    /// Stores an answer as `streaming` before its first token and returns its id. It joins
    /// the broadcast group of the prompt it replies to, if that prompt was broadcast.
    @discardableResult
    public func beginAssistantMessage(
        sessionID: Int64, paneID: Int64?, provider: String, model: String, replyTo: Int64?,
        at date: Date = Date()
    ) throws(HistoryError) -> Int64 {
        try perform("store the start of an answer") {
            try database.write { db in
                try requireSession(sessionID, db)
                let group = try replyTo.flatMap { prompt in
                    try Int64.fetchOne(
                        db, sql: "SELECT broadcast_group FROM messages WHERE id = ?", arguments: [prompt])
                }
                try db.execute(
                    sql: """
                        INSERT INTO messages (session_id, pane_id, role, text, provider, model, status,
                            created_at, reply_to, broadcast_group)
                        VALUES (?, ?, 'assistant', '', ?, ?, 'streaming', ?, ?, ?)
                        """,
                    arguments: [
                        sessionID, paneID, provider, model, date.timeIntervalSince1970, replyTo, group,
                    ])
                let id = db.lastInsertedRowID
                try touch(sessionID, date, db)
                return id
            }
        }
    }

    /// Saves the text of a streaming answer so far. Meant to be called about once a second:
    /// it is one small UPDATE, which leaves the search index alone (a streaming answer enters
    /// it when it is finished: ``HistorySchema/registerV5(_:)``). Ignored once the answer is
    /// complete, so a late checkpoint never overwrites the final text.
    public func checkpoint(messageID: Int64, text: String, reasoning: String?) throws(HistoryError) {
        try perform("checkpoint an answer") {
            try database.write { db in
                try db.execute(
                    sql: "UPDATE messages SET text = ?, reasoning = ? WHERE id = ? AND status = 'streaming'",
                    arguments: [text, reasoning, messageID])
            }
        }
    }

    /// Stores the final text, status, timings and usage of an answer.
    public func completeAssistantMessage(
        _ messageID: Int64, text: String, reasoning: String?, status: MessageStatus = .complete,
        error: String? = nil, timings: MessageTimings = MessageTimings(), usage: TokenUsage = TokenUsage(),
        at date: Date = Date()
    ) throws(HistoryError) {
        try perform("store a finished answer") {
            try database.write { db in
                try db.execute(
                    sql: """
                        UPDATE messages SET text = ?, reasoning = ?, status = ?, error = ?, completed_at = ?,
                            ttft = ?, total = ?, tokens_per_second = ?, input_tokens = ?, output_tokens = ?
                        WHERE id = ?
                        """,
                    arguments: [
                        text, reasoning, status.rawValue, error, date.timeIntervalSince1970,
                        timings.timeToFirstToken, timings.total, timings.tokensPerSecond,
                        usage.inputTokens, usage.outputTokens, messageID,
                    ])
                guard db.changesCount > 0 else { throw HistoryError.notFound(what: "message", id: messageID) }
                if let session = try Int64.fetchOne(
                    db, sql: "SELECT session_id FROM messages WHERE id = ?", arguments: [messageID])
                {
                    try touch(session, date, db)
                }
            }
        }
    }

    /// Marks the exchange a resent prompt replaces: `answerIDs` (and `promptID` when
    /// `includingPrompt`, i.e. the prompt was this pane's alone or every pane that answered it
    /// resent) get `superseded_by = newPromptID`. Marks already set are kept.
    public func supersede(promptID: Int64?, includingPrompt: Bool, answerIDs: [Int64], by newPromptID: Int64)
        throws(HistoryError)
    {
        try perform("mark a resent exchange") {
            try database.write { db in
                var ids = answerIDs
                if includingPrompt, let promptID { ids.append(promptID) }
                for id in ids {
                    try db.execute(
                        sql: "UPDATE messages SET superseded_by = ? WHERE id = ? AND superseded_by IS NULL",
                        arguments: [newPromptID, id])
                }
                // A broadcast prompt every answer of which is superseded is superseded too.
                if !includingPrompt, let promptID {
                    try db.execute(
                        sql: """
                            UPDATE messages SET superseded_by = ? WHERE id = ? AND superseded_by IS NULL
                              AND NOT EXISTS (SELECT 1 FROM messages a WHERE a.reply_to = ? AND a.superseded_by IS NULL)
                            """,
                        arguments: [newPromptID, promptID, promptID])
                }
            }
        }
    }

    /// Renames a session.
    public func renameSession(_ sessionID: Int64, to title: String) throws(HistoryError) {
        try perform("rename a session") {
            try database.write { db in
                try db.execute(sql: "UPDATE sessions SET title = ? WHERE id = ?", arguments: [title, sessionID])
                guard db.changesCount > 0 else { throw HistoryError.notFound(what: "session", id: sessionID) }
            }
        }
    }

    /// Deletes a session with its panes and messages.
    public func deleteSession(_ sessionID: Int64) throws(HistoryError) {
        try perform("delete a session") {
            try database.write { db in
                try db.execute(sql: "DELETE FROM sessions WHERE id = ?", arguments: [sessionID])
                guard db.changesCount > 0 else { throw HistoryError.notFound(what: "session", id: sessionID) }
                // Attached contents no other prompt refers to go with it.
                try db.execute(
                    sql: "DELETE FROM attachments WHERE hash NOT IN (SELECT hash FROM message_attachments)")
            }
        }
    }

    // MARK: Reading

    /// The most recently updated session, for `--resume` without an id.
    public func lastSessionID() throws(HistoryError) -> Int64? {
        try perform("find the last session") {
            try database.read { db in
                try Int64.fetchOne(db, sql: "SELECT id FROM sessions ORDER BY updated_at DESC, id DESC LIMIT 1")
            }
        }
    }

    /// Sessions, most recently updated first, with their pane models and message counts.
    public func listSessions(limit: Int? = nil) throws(HistoryError) -> [SessionSummary] {
        try perform("list sessions") {
            try database.read { db in
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT s.id, s.title, s.created_at, s.updated_at,
                            (SELECT COUNT(*) FROM messages m WHERE m.session_id = s.id) AS message_count
                        FROM sessions s ORDER BY s.updated_at DESC, s.id DESC LIMIT ?
                        """,
                    arguments: [limit ?? -1])
                return try rows.map { row in
                    let id: Int64 = row["id"]
                    let models = try String.fetchAll(
                        db,
                        sql: "SELECT provider || ':' || model FROM panes WHERE session_id = ? ORDER BY position, id",
                        arguments: [id])
                    return SessionSummary(
                        id: id, title: row["title"], createdAt: Date(timeIntervalSince1970: row["created_at"]),
                        updatedAt: Date(timeIntervalSince1970: row["updated_at"]), paneModels: models,
                        messageCount: row["message_count"])
                }
            }
        }
    }

    /// Loads a whole session, for `--resume` and export.
    public func loadSession(_ sessionID: Int64) throws(HistoryError) -> StoredSession {
        try perform("load a session") {
            try database.read { db in
                guard
                    let row = try Row.fetchOne(
                        db, sql: "SELECT * FROM sessions WHERE id = ?", arguments: [sessionID])
                else { throw HistoryError.notFound(what: "session", id: sessionID) }
                let panes = try Row.fetchAll(
                    db, sql: "SELECT * FROM panes WHERE session_id = ? ORDER BY position, id",
                    arguments: [sessionID]
                ).map { row in
                    let closed: Double? = row["closed_at"]
                    return StoredPane(
                        id: row["id"], position: row["position"], provider: row["provider"], model: row["model"],
                        systemPrompt: row["system_prompt"], closedAt: closed.map(Date.init(timeIntervalSince1970:)),
                        continues: row["continues"])
                }
                var messages = try Row.fetchAll(
                    db, sql: "SELECT * FROM messages WHERE session_id = ? ORDER BY id", arguments: [sessionID]
                ).map(Self.message(from:))
                try Self.loadAttachments(into: &messages, sessionID: sessionID, db)
                return StoredSession(
                    id: sessionID, title: row["title"], createdAt: Date(timeIntervalSince1970: row["created_at"]),
                    updatedAt: Date(timeIntervalSince1970: row["updated_at"]), panes: panes, messages: messages,
                    votes: try Self.votes(sessionID: sessionID, db))
            }
        }
    }

    static func message(from row: Row) -> StoredMessage {
        let completed: Double? = row["completed_at"]
        return StoredMessage(
            id: row["id"], paneID: row["pane_id"],
            role: MessageRole(rawValue: row["role"]) ?? .user,
            text: row["text"], reasoning: row["reasoning"], provider: row["provider"], model: row["model"],
            status: MessageStatus(rawValue: row["status"]) ?? .error,
            errorText: row["error"], createdAt: Date(timeIntervalSince1970: row["created_at"]),
            completedAt: completed.map(Date.init(timeIntervalSince1970:)),
            replyTo: row["reply_to"], broadcastGroup: row["broadcast_group"],
            timings: MessageTimings(
                timeToFirstToken: row["ttft"], total: row["total"], tokensPerSecond: row["tokens_per_second"]),
            usage: TokenUsage(inputTokens: row["input_tokens"], outputTokens: row["output_tokens"]),
            supersededBy: row["superseded_by"])
    }

    /// Stores each attachment's content once (by hash) and links it to `messageID` in order.
    static func attach(_ attachments: [StoredAttachment], to messageID: Int64, at date: Date, _ db: Database) throws {
        for (position, attachment) in attachments.enumerated() {
            try db.execute(
                sql: "INSERT OR IGNORE INTO attachments (hash, content, bytes, created_at) VALUES (?, ?, ?, ?)",
                arguments: [attachment.hash, attachment.content, attachment.byteCount, date.timeIntervalSince1970])
            try db.execute(
                sql: "INSERT INTO message_attachments (message_id, position, name, hash) VALUES (?, ?, ?, ?)",
                arguments: [messageID, position, attachment.name, attachment.hash])
        }
    }

    /// Fills in the attachments of the session's prompts (one query for the whole session).
    static func loadAttachments(into messages: inout [StoredMessage], sessionID: Int64, _ db: Database) throws {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT ma.message_id, ma.name, a.hash, a.bytes, a.content
                FROM message_attachments ma JOIN attachments a ON a.hash = ma.hash
                JOIN messages m ON m.id = ma.message_id
                WHERE m.session_id = ? ORDER BY ma.message_id, ma.position
                """,
            arguments: [sessionID])
        guard !rows.isEmpty else { return }
        let index = Dictionary(uniqueKeysWithValues: messages.enumerated().map { ($0.element.id, $0.offset) })
        for row in rows {
            let messageID: Int64 = row["message_id"]
            guard let at = index[messageID] else { continue }
            messages[at].attachments.append(StoredAttachment(
                name: row["name"], hash: row["hash"], byteCount: row["bytes"], content: row["content"]))
        }
    }

    // MARK: Helpers

    private func requireSession(_ sessionID: Int64, _ db: Database) throws {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM sessions WHERE id = ?", arguments: [sessionID]) != nil
        else { throw HistoryError.notFound(what: "session", id: sessionID) }
    }

    private func touch(_ sessionID: Int64, _ date: Date, _ db: Database) throws {
        try db.execute(
            sql: "UPDATE sessions SET updated_at = MAX(updated_at, ?) WHERE id = ?",
            arguments: [date.timeIntervalSince1970, sessionID])
    }

    /// Runs `body`, turning any failure into a ``HistoryError`` that names the file.
    func perform<Result>(_ operation: String, _ body: () throws -> Result) throws(HistoryError) -> Result {
        do {
            return try body()
        } catch {
            throw Self.mapError(error, path: path, operation: operation)
        }
    }

    static func mapError(_ error: any Error, path: String, operation: String) -> HistoryError {
        if let error = error as? HistoryError { return error }
        guard let error = error as? DatabaseError else {
            return .database(path: path, operation: operation, reason: "\(error)")
        }
        switch error.resultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT: return .corrupt(path: path)
        case .SQLITE_BUSY, .SQLITE_LOCKED: return .locked(path: path)
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY:
            return .cannotOpen(path: path, reason: error.message ?? "\(error.resultCode)")
        default:
            return .database(path: path, operation: operation, reason: error.message ?? "\(error.resultCode)")
        }
    }
}
