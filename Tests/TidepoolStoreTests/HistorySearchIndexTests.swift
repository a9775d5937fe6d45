import Foundation
import GRDB
import XCTest

@testable import TidepoolStore

/// Migration `v5-index-finished-answers` (issue 10): the full-text index leaves answers out
/// while they stream, takes them when they finish (complete, failed or cancelled), takes the
/// ones a crash left streaming on the next open, and keeps a v4 file's messages searchable.
///
/// What is in the index is read from FTS5's own `messages_fts_docsize` table (one row per
/// indexed message), and every test ends with FTS5's integrity check: a wrong `delete` (text
/// the index never held) shows up there.
final class HistorySearchIndexTests: XCTestCase {
    private var directory: URL!
    private var databasePath: String { directory.appendingPathComponent("history.sqlite").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tidepool-v5-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// The ids of the messages in the full-text index, in order.
    private func indexed(_ store: HistoryStore) throws -> [Int64] {
        try store.database.read { db in try Int64.fetchAll(db, sql: "SELECT id FROM messages_fts_docsize ORDER BY id") }
    }

    /// FTS5's integrity check, and the number of documents FTS5 counts (the first varint of
    /// its averages record, which bm25 ranks by) against the rows it holds: a message indexed
    /// twice, or deleted without being there, puts the two apart.
    private func assertIndexIsConsistent(_ store: HistoryStore, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNoThrow(try store.database.write { db in
            try db.execute(sql: "INSERT INTO messages_fts(messages_fts) VALUES ('integrity-check')")
        }, file: file, line: line)
        XCTAssertNoThrow(try store.database.read { db in
            let rows = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM messages_fts_docsize") ?? -1
            let averages = try Data.fetchOne(db, sql: "SELECT block FROM messages_fts_data WHERE id = 1") ?? Data()
            XCTAssertEqual(Self.firstVarint(averages), rows, "FTS5's document count is off", file: file, line: line)
        }, file: file, line: line)
    }

    /// SQLite's varint (big-endian groups of 7 bits, high bit set on all but the last).
    private static func firstVarint(_ bytes: Data) -> Int {
        var value = 0
        for (index, byte) in bytes.prefix(9).enumerated() {
            if index == 8 { return value << 8 | Int(byte) }
            value = value << 7 | Int(byte & 0x7F)
            if byte & 0x80 == 0 { return value }
        }
        return value
    }

    /// FTS5's stored index, byte for byte: any write to the index changes it.
    private func indexData(_ store: HistoryStore) throws -> [String] {
        try store.database.read { db in
            try String.fetchAll(db, sql: "SELECT id || ':' || hex(block) FROM messages_fts_data ORDER BY id")
        }
    }

    private func hits(_ store: HistoryStore, _ query: String) throws -> [Int64] {
        try store.search(query).map(\.messageID)
    }

    func testAnAnswerEntersTheIndexOnlyWhenFinishedWhateverTheEnd() throws {
        let store = try HistoryStore(path: databasePath)
        let session = try store.createSession(title: "tides")
        let pane = try store.addPane(sessionID: session, position: 0, provider: "sim", model: "sim-fast")
        let prompt = try store.recordUserMessage(sessionID: session, text: "why tides", paneID: pane)
        var answers: [(id: Int64, status: MessageStatus, word: String)] = []
        for (status, word) in [(MessageStatus.complete, "moon"), (.error, "gravity"), (.cancelled, "spring")] {
            let answer = try store.beginAssistantMessage(
                sessionID: session, paneID: pane, provider: "sim", model: "sim-fast", replyTo: prompt)
            let before = try indexData(store)
            for checkpoint in 1...3 {
                try store.checkpoint(messageID: answer, text: "half \(word) \(checkpoint)", reasoning: "musing \(checkpoint)")
            }
            XCTAssertEqual(try indexData(store), before, "a checkpoint wrote to the index")
            XCTAssertEqual(try indexed(store), [prompt] + answers.map(\.id), "a streaming answer was indexed")
            XCTAssertEqual(try hits(store, "half"), [], "a half answer was found")
            try store.completeAssistantMessage(
                answer, text: "whole \(word)", reasoning: "musing done", status: status,
                error: status == .error ? "boom" : nil)
            answers.append((answer, status, word))
        }
        XCTAssertEqual(try indexed(store), [prompt] + answers.map(\.id))
        for answer in answers {
            XCTAssertEqual(try hits(store, answer.word), [answer.id], "\(answer.status) answer not found once by its last text")
        }
        XCTAssertEqual(try hits(store, "half"), [], "checkpointed text stayed in the index")
        XCTAssertEqual(Set(try hits(store, "musing done")), Set(answers.map(\.id)), "reasoning is searched too")
        XCTAssertEqual(try hits(store, "tides"), [prompt])
        XCTAssertEqual(try hits(store, "whole").sorted(), answers.map(\.id), "each answer must be found once")

        // A resend mark changes the row but not its words: the index is not touched.
        let resent = try store.recordUserMessage(sessionID: session, text: "why tides, again", paneID: pane)
        let before = try indexData(store)
        try store.supersede(promptID: prompt, includingPrompt: true, answerIDs: answers.map(\.id), by: resent)
        XCTAssertEqual(try indexData(store), before, "a resend mark re-indexed the answers")
        XCTAssertEqual(try hits(store, "moon"), [answers[0].id])
        assertIndexIsConsistent(store)

        try store.deleteSession(session)
        XCTAssertEqual(try indexed(store), [])
        XCTAssertEqual(try hits(store, "moon"), [])
        assertIndexIsConsistent(store)
    }

    /// A v4 file (built here by the v4 migrations) indexed every message, streaming ones too:
    /// after the migration its finished messages and its cut answer are each found once, and
    /// the cut answer, finished later, is found by its final text only.
    func testAVersionFourDatabaseStaysSearchableAfterTheMigration() throws {
        do {
            let queue = try DatabaseQueue(path: databasePath)
            try HistorySchema.migrator.migrate(queue, upTo: "v4-branches-and-attachments")
            try queue.write { db in
                try db.execute(sql: """
                    INSERT INTO sessions (id, title, created_at, updated_at) VALUES (1, 'old', 1, 1);
                    INSERT INTO panes (id, session_id, position, provider, model) VALUES (1, 1, 0, 'sim', 'sim-fast');
                    INSERT INTO messages (id, session_id, pane_id, role, text, status, created_at)
                    VALUES (1, 1, 1, 'user', 'ask about estuaries', 'complete', 1);
                    INSERT INTO messages (id, session_id, pane_id, role, text, reasoning, status, created_at, reply_to)
                    VALUES (2, 1, 1, 'assistant', 'estuaries mix salt water', 'brackish', 'complete', 2, 1);
                    INSERT INTO messages (id, session_id, pane_id, role, text, status, created_at, reply_to)
                    VALUES (3, 1, 1, 'assistant', 'a bore rides the', 'streaming', 3, 1);
                    """)
                XCTAssertEqual(try Int64.fetchAll(db, sql: "SELECT id FROM messages_fts_docsize ORDER BY id"), [1, 2, 3])
            }
        }
        let store = try HistoryStore(path: databasePath)
        try store.database.read { db in
            XCTAssertTrue(try HistorySchema.migrator.appliedIdentifiers(db).contains("v5-index-finished-answers"))
            let triggers = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
            XCTAssertEqual(triggers, ["messages_fts_delete", "messages_fts_insert", "messages_fts_update"])
        }
        XCTAssertEqual(try indexed(store), [1, 2, 3])
        XCTAssertEqual(Set(try hits(store, "estuaries")), [1, 2])
        XCTAssertEqual(try hits(store, "estuaries").count, 2)
        XCTAssertEqual(try hits(store, "brackish"), [2])
        XCTAssertEqual(try hits(store, "bore"), [3])
        assertIndexIsConsistent(store)

        try store.completeAssistantMessage(3, text: "a tidal wave climbs the river", reasoning: nil, status: .cancelled)
        XCTAssertEqual(try hits(store, "bore"), [])
        XCTAssertEqual(try hits(store, "river"), [3])
        // New answers on the migrated file follow the new rule.
        let answer = try store.beginAssistantMessage(sessionID: 1, paneID: 1, provider: "sim", model: "sim-fast", replyTo: 1)
        try store.checkpoint(messageID: answer, text: "meanwhile upstream", reasoning: nil)
        XCTAssertEqual(try hits(store, "upstream"), [])
        try store.completeAssistantMessage(answer, text: "meanwhile upstream", reasoning: nil)
        XCTAssertEqual(try hits(store, "upstream"), [answer])
        assertIndexIsConsistent(store)
    }

    /// An answer left `streaming` (its writer killed, or still writing in another Tidepool)
    /// is indexed with its last checkpoint when the history is next opened; if its writer goes
    /// on, its later writes replace that text in the index instead of adding to it.
    func testAnAnswerLeftStreamingIsIndexedByTheNextOpenAndStaysIndexedOnce() throws {
        let writer = try HistoryStore(path: databasePath)
        let session = try writer.createSession(title: "cut")
        let pane = try writer.addPane(sessionID: session, position: 0, provider: "sim", model: "sim-fast")
        let prompt = try writer.recordUserMessage(sessionID: session, text: "go", paneID: pane)
        let answer = try writer.beginAssistantMessage(
            sessionID: session, paneID: pane, provider: "sim", model: "sim-fast", replyTo: prompt)
        try writer.checkpoint(messageID: answer, text: "ebb and", reasoning: nil)
        XCTAssertEqual(try hits(writer, "ebb"), [])

        // Looking for such answers on every open reads v5's small partial index, not the table.
        let plan = try writer.database.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT 1 FROM messages WHERE \(HistorySchema.unindexedStreaming)")
                .map { $0["detail"] as String? ?? "" }
        }
        XCTAssertTrue(plan.contains { $0.contains("messages_unindexed_streaming") }, "\(plan)")

        let reader = try HistoryStore(path: databasePath)
        XCTAssertEqual(try hits(reader, "ebb"), [answer], "the answer left streaming was not indexed on open")
        XCTAssertEqual(try indexed(reader), [prompt, answer])
        // Opening again finds nothing left to do.
        _ = try HistoryStore(path: databasePath)
        XCTAssertEqual(try indexed(reader), [prompt, answer])

        try writer.checkpoint(messageID: answer, text: "ebb and flood", reasoning: nil)
        XCTAssertEqual(try hits(reader, "flood"), [answer])
        try writer.completeAssistantMessage(answer, text: "slack water", reasoning: nil)
        XCTAssertEqual(try hits(reader, "ebb"), [])
        XCTAssertEqual(try hits(reader, "slack"), [answer])
        XCTAssertEqual(try indexed(reader), [prompt, answer])
        assertIndexIsConsistent(reader)
    }

    /// `tidepool bench history` compares what it says: with the v4 triggers put back, a
    /// checkpoint is indexed at once (as before v5), and both schemas find every answer.
    func testTheCheckpointBenchmarkComparesBothSchemasAndFindsEveryAnswer() throws {
        let store = try HistoryStore(path: databasePath)
        try store.database.write { db in try HistoryCheckpointBenchmark.restoreVersionFourTriggers(db) }
        let session = try store.createSession(title: "old triggers")
        let answer = try store.beginAssistantMessage(sessionID: session, paneID: nil, provider: "sim", model: "m", replyTo: nil)
        try store.checkpoint(messageID: answer, text: "halfway there", reasoning: nil)
        XCTAssertEqual(try hits(store, "halfway"), [answer], "the v4 triggers did not index a checkpoint")
        try store.checkpoint(messageID: answer, text: "most of the way", reasoning: nil)
        XCTAssertEqual(try hits(store, "halfway"), [])
        assertIndexIsConsistent(store)

        let benchmark = HistoryCheckpointBenchmark(answers: 3, checkpoints: 4, tokens: 200, rounds: 1)
        let results = try benchmark.run(in: directory.appendingPathComponent("bench").path)
        XCTAssertEqual(results.map(\.schema), [.reindexing, .finishedOnly])
        XCTAssertEqual(results.map(\.answersFound), [3, 3])
        XCTAssertTrue(benchmark.table(results).contains("v5: index finished answers"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("bench").path), [],
                       "the benchmark left its databases behind")
    }
}
