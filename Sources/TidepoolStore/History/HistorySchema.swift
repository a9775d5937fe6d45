import GRDB

/// The history database schema as named migrations: a later schema change is a new
/// migration appended here, never an edit of an old one.
enum HistorySchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-sessions-panes-messages") { db in
            try db.create(table: "sessions") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("title", .text).notNull()
                table.column("created_at", .double).notNull()
                table.column("updated_at", .double).notNull()
            }
            try db.create(table: "panes") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("session_id", .integer).notNull().indexed()
                    .references("sessions", onDelete: .cascade)
                table.column("position", .integer).notNull()
                table.column("provider", .text).notNull()
                table.column("model", .text).notNull()
                table.column("system_prompt", .text)
            }
            try db.create(table: "messages") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("session_id", .integer).notNull().indexed()
                    .references("sessions", onDelete: .cascade)
                table.column("pane_id", .integer).indexed().references("panes", onDelete: .cascade)
                table.column("role", .text).notNull()
                    .check(sql: "role IN ('user', 'assistant', 'system')")
                table.column("text", .text).notNull().defaults(to: "")
                table.column("reasoning", .text)
                table.column("provider", .text)
                table.column("model", .text)
                table.column("status", .text).notNull()
                    .check(sql: "status IN ('streaming', 'complete', 'error', 'cancelled')")
                table.column("error", .text)
                table.column("created_at", .double).notNull()
                table.column("completed_at", .double)
                table.column("reply_to", .integer).references("messages", onDelete: .setNull)
                table.column("broadcast_group", .integer).indexed()
                table.column("ttft", .double)
                table.column("total", .double)
                table.column("tokens_per_second", .double)
                table.column("input_tokens", .integer)
                table.column("output_tokens", .integer)
            }
            // Kept in sync with messages by triggers GRDB creates.
            try db.create(virtualTable: "messages_fts", using: FTS5()) { fts in
                fts.synchronize(withTable: "messages")
                fts.tokenizer = .unicode61()
                fts.column("text")
                fts.column("reasoning")
            }
        }
        // Which panes were open when the session was last left, so `--resume` reopens those
        // and no others: a closed pane (or one replaced by a model change) gets `closed_at`;
        // the pane that took over after a model change names the one it `continues`, so the
        // resumed pane shows the whole conversation. Sessions stored before this migration
        // have no such marks: all their panes count as open, as they did.
        migrator.registerMigration("v2-pane-closed-and-continues") { db in
            try db.alter(table: "panes") { table in
                table.add(column: "closed_at", .double)
                table.add(column: "continues", .integer).references("panes", onDelete: .setNull)
            }
        }
        // The user's verdict on a broadcast: one row per broadcast prompt (voting again
        // replaces it), beside the prompt it judges. `kind` is `best` (with the winner's
        // provider and model), `tie` or `all_bad`; `note` is the user's optional words.
        // Deleting the session or the prompt deletes the vote.
        migrator.registerMigration("v3-votes") { db in
            try db.create(table: "votes") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("session_id", .integer).notNull().indexed()
                    .references("sessions", onDelete: .cascade)
                table.column("prompt_id", .integer).notNull().unique()
                    .references("messages", onDelete: .cascade)
                table.column("kind", .text).notNull()
                    .check(sql: "kind IN ('best', 'tie', 'all_bad')")
                table.column("winner_provider", .text)
                table.column("winner_model", .text)
                table.column("note", .text)
                table.column("created_at", .double).notNull().indexed()
                table.check(sql: "(kind = 'best') = (winner_provider IS NOT NULL AND winner_model IS NOT NULL)")
            }
        }
        registerV4(&migrator)
        registerV5(&migrator)
        return migrator
    }

    /// Resend and `@path` attachments (issue 13). A prompt edited and sent again replaces the
    /// exchange it was sent after: that prompt and its answers get `superseded_by` = the new
    /// prompt's id (kept, shown dimmed, no longer sent as context). Attached files are stored
    /// once per content hash in `attachments`; `message_attachments` lists, per prompt, the
    /// names it attached them under, in order.
    static func registerV4(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v4-branches-and-attachments") { db in
            try db.alter(table: "messages") { table in
                table.add(column: "superseded_by", .integer).references("messages", onDelete: .setNull)
            }
            try db.create(table: "attachments") { table in
                table.primaryKey("hash", .text)
                table.column("content", .text).notNull()
                table.column("bytes", .integer).notNull()
                table.column("created_at", .double).notNull()
            }
            try db.create(table: "message_attachments") { table in
                table.column("message_id", .integer).notNull().indexed()
                    .references("messages", onDelete: .cascade)
                table.column("position", .integer).notNull()
                table.column("name", .text).notNull()
                table.column("hash", .text).notNull().indexed().references("attachments")
                table.primaryKey(["message_id", "position"])
            }
        }
    }
}
