import GRDB

extension HistorySchema {
    /// The answers still streaming that are not in the search index yet: the words of v5's
    /// partial index `messages_unindexed_streaming` (keep them equal), so SQLite finds them
    /// through it without reading every message (the status column lies past the text).
    static let unindexedStreaming = "status = 'streaming' AND indexed_unfinished = 0"

    /// The full-text index skips answers while they stream (issue 10): v1's triggers
    /// (GRDB's `synchronize(withTable:)`) deleted and re-indexed the whole answer at every
    /// checkpoint, once a second, and at every other change of the row (a resend's
    /// `superseded_by` mark included). `tidepool bench history` measures the difference
    /// (``HistoryCheckpointBenchmark``; the README quotes a run).
    ///
    /// Now a message enters the index when it is finished: the final write of an answer (the
    /// recorder's `completeAssistantMessage`, also for a failed or cancelled one with its last
    /// text) moves it out of `streaming`, and only changes of the text, reasoning, status or
    /// `indexed_unfinished` touch the index.
    ///
    /// `indexed_unfinished` marks an answer put into the index while still `streaming`:
    /// - answers found streaming when a Tidepool opens the history (cut by a crash or a kill, or
    ///   still streaming in another Tidepool), so they are searchable with the text of their
    ///   last checkpoint (``HistoryStore/indexUnfinishedAnswers(until:)``); if one is still
    ///   being written, its later checkpoints re-index it, as all checkpoints did before;
    /// - answers that were streaming when this migration ran: v1's triggers had indexed them,
    ///   and marking them keeps the index exactly the rows the triggers' condition names, with
    ///   no rebuild.
    ///
    /// The SQL is spelled out here, not shared, so that this applied migration never changes.
    ///
    /// Never run FTS5's `rebuild` on `messages_fts`: it would index every row, streaming ones
    /// included, which these triggers would then never delete.
    static func registerV5(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v5-index-finished-answers") { db in
            // When a message is in the index, over the trigger's `new` or `old` row.
            func isIndexed(_ row: String) -> String {
                "(\(row).status <> 'streaming' OR \(row).indexed_unfinished)"
            }
            for trigger in ["__messages_fts_ai", "__messages_fts_ad", "__messages_fts_au"] {
                try db.execute(sql: "DROP TRIGGER IF EXISTS \(trigger.quotedDatabaseIdentifier)")
            }
            try db.alter(table: "messages") { table in
                table.add(column: "indexed_unfinished", .boolean).notNull().defaults(to: false)
            }
            // No trigger runs here: these rows are in the index already (v1 indexed all rows).
            try db.execute(sql: "UPDATE messages SET indexed_unfinished = 1 WHERE status = 'streaming'")
            try db.execute(sql: """
                CREATE INDEX messages_unindexed_streaming ON messages(id)
                WHERE status = 'streaming' AND indexed_unfinished = 0;
                CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages WHEN \(isIndexed("new")) BEGIN
                    INSERT INTO messages_fts(rowid, text, reasoning) VALUES (new.id, new.text, new.reasoning);
                END;
                CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages WHEN \(isIndexed("old")) BEGIN
                    INSERT INTO messages_fts(messages_fts, rowid, text, reasoning)
                    VALUES ('delete', old.id, old.text, old.reasoning);
                END;
                -- One trigger, so the old text always leaves the index before the new one enters.
                CREATE TRIGGER messages_fts_update
                AFTER UPDATE OF text, reasoning, status, indexed_unfinished ON messages
                WHEN \(isIndexed("old")) OR \(isIndexed("new")) BEGIN
                    INSERT INTO messages_fts(messages_fts, rowid, text, reasoning)
                    SELECT 'delete', old.id, old.text, old.reasoning WHERE \(isIndexed("old"));
                    INSERT INTO messages_fts(rowid, text, reasoning)
                    SELECT new.id, new.text, new.reasoning WHERE \(isIndexed("new"));
                END;
                """)
        }
    }
}
