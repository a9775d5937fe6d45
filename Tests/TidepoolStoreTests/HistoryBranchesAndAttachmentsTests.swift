import Foundation
import GRDB
import XCTest

@testable import TidepoolStore

/// Migration `v4-branches-and-attachments`: attachments stored once by hash, resent exchanges
/// marked superseded, and a database written by the v2 schema brought up to date.
final class HistoryBranchesAndAttachmentsTests: XCTestCase {
    private var directory: URL!
    private var databasePath: String { directory.appendingPathComponent("history.sqlite").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tidepool-v4-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func testSHA256KnownAnswers() {
        XCTAssertEqual(SHA256.hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        // 64 bytes: the padding spills into a second block.
        XCTAssertEqual(SHA256.hex(String(repeating: "a", count: 64)),
                       "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb")
        XCTAssertEqual(SHA256.hex(String(repeating: "a", count: 1_000)),
                       "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    func testAttachmentsAreStoredOnceByHashAndReadBackByName() throws {
        let store = try HistoryStore(path: databasePath)
        let session = try store.createSession(title: "files")
        let pane = try store.addPane(sessionID: session, position: 0, provider: "sim", model: "sim-fast")
        let notes = StoredAttachment(name: "notes.txt", content: "hello\n")
        let copy = StoredAttachment(name: "copy/of/notes.txt", content: "hello\n")
        let other = StoredAttachment(name: "b.md", content: "# B\n")
        let first = try store.recordUserMessage(sessionID: session, text: "@notes.txt @b.md", paneID: pane,
                                                attachments: [notes, other])
        let second = try store.recordUserMessage(sessionID: session, text: "again @copy/of/notes.txt", paneID: pane,
                                                 attachments: [copy])

        let loaded = try store.loadSession(session)
        XCTAssertEqual(loaded.messages.first { $0.id == first }?.attachments, [notes, other])
        XCTAssertEqual(loaded.messages.first { $0.id == second }?.attachments, [copy])
        XCTAssertEqual(copy.hash, notes.hash)
        let rows = try store.database.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attachments")
        }
        XCTAssertEqual(rows, 2, "the same content attached twice is stored once")

        // The JSON export names each attachment with its hash.
        let json = String(decoding: try store.exportJSON(sessionID: session), as: UTF8.self)
        XCTAssertTrue(json.contains("\"hash\" : \"\(notes.hash)\""), json)

        let markdown = try store.exportMarkdown(sessionID: session)
        XCTAssertTrue(markdown.contains("_attached: notes.txt (6 bytes, sha256 \(notes.hash.prefix(12)))_"), markdown)

        // Deleting the session takes the contents no other prompt refers to.
        try store.deleteSession(session)
        let left = try store.database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attachments") }
        XCTAssertEqual(left, 0)
    }

    func testSupersedeMarksAPaneOwnExchangeAndABroadcastOnlyWhenEveryAnswerIs() throws {
        let store = try HistoryStore(path: databasePath)
        let session = try store.createSession(title: "branch")
        let left = try store.addPane(sessionID: session, position: 0, provider: "sim", model: "a")
        let right = try store.addPane(sessionID: session, position: 1, provider: "sim", model: "b")
        let prompt = try store.recordUserMessage(sessionID: session, text: "q", broadcast: true)
        let leftAnswer = try store.beginAssistantMessage(sessionID: session, paneID: left, provider: "sim", model: "a", replyTo: prompt)
        let rightAnswer = try store.beginAssistantMessage(sessionID: session, paneID: right, provider: "sim", model: "b", replyTo: prompt)

        let resent = try store.recordUserMessage(sessionID: session, text: "q2", paneID: left)
        try store.supersede(promptID: prompt, includingPrompt: false, answerIDs: [leftAnswer], by: resent)
        var byID = Dictionary(uniqueKeysWithValues: try store.loadSession(session).messages.map { ($0.id, $0) })
        XCTAssertEqual(byID[leftAnswer]?.supersededBy, resent)
        XCTAssertNil(byID[rightAnswer]?.supersededBy)
        XCTAssertNil(byID[prompt]?.supersededBy, "the right pane still answers the broadcast prompt")

        let resentRight = try store.recordUserMessage(sessionID: session, text: "q3", paneID: right)
        try store.supersede(promptID: prompt, includingPrompt: false, answerIDs: [rightAnswer], by: resentRight)
        byID = Dictionary(uniqueKeysWithValues: try store.loadSession(session).messages.map { ($0.id, $0) })
        XCTAssertEqual(byID[rightAnswer]?.supersededBy, resentRight)
        XCTAssertEqual(byID[prompt]?.supersededBy, resentRight, "no live answer is left: the prompt is superseded too")
        XCTAssertEqual(byID[leftAnswer]?.supersededBy, resent, "a mark once set is kept")
        let markdown = try store.exportMarkdown(sessionID: session)
        XCTAssertTrue(markdown.contains("## You\n\nq\n\n_(replaced by a resend below)_"), markdown)
        XCTAssertEqual(markdown.components(separatedBy: "_(replaced by a resend: no longer sent as context)_").count - 1, 2)
    }

    func testAVersionTwoDatabaseIsMigratedAndKeepsItsMessages() throws {
        // Write a database exactly as the v2 schema left it.
        do {
            let queue = try DatabaseQueue(path: databasePath)
            try HistorySchema.migrator.migrate(queue, upTo: "v2-pane-closed-and-continues")
            try queue.write { db in
                try db.execute(sql: "INSERT INTO sessions (id, title, created_at, updated_at) VALUES (1, 'old', 1, 1)")
                try db.execute(sql: "INSERT INTO panes (id, session_id, position, provider, model) VALUES (1, 1, 0, 'sim', 'sim-fast')")
                try db.execute(sql: """
                    INSERT INTO messages (id, session_id, pane_id, role, text, status, created_at)
                    VALUES (1, 1, 1, 'user', 'old prompt', 'complete', 1)
                    """)
                let columns = try db.columns(in: "messages").map(\.name)
                XCTAssertFalse(columns.contains("superseded_by"))
                XCTAssertFalse(try db.tableExists("attachments"))
            }
        }
        let store = try HistoryStore(path: databasePath)
        let session = try store.loadSession(1)
        XCTAssertEqual(session.messages.map(\.text), ["old prompt"])
        XCTAssertEqual(session.messages[0].attachments, [])
        XCTAssertNil(session.messages[0].supersededBy)
        try store.database.read { db in
            XCTAssertTrue(try db.columns(in: "messages").map(\.name).contains("superseded_by"))
            XCTAssertTrue(try db.tableExists("attachments"))
            XCTAssertTrue(try db.tableExists("message_attachments"))
            let applied = try HistorySchema.migrator.appliedIdentifiers(db)
            XCTAssertTrue(applied.contains("v4-branches-and-attachments"))
        }
        // New writes work on the migrated file.
        let id = try store.recordUserMessage(sessionID: 1, text: "new @a.txt", paneID: 1,
                                             attachments: [StoredAttachment(name: "a.txt", content: "A")])
        XCTAssertEqual(try store.loadSession(1).messages.first { $0.id == id }?.attachments.map(\.name), ["a.txt"])
    }
}
