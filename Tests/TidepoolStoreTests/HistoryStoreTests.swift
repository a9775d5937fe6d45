import Foundation
import GRDB
import XCTest

@testable import TidepoolStore

final class HistoryStoreTests: XCTestCase {
    private var directory: URL!
    private var databasePath: String { directory.appendingPathComponent("history.sqlite").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tidepool-history-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private let start = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15 08:00 UTC

    /// A session with one broadcast prompt answered by two panes.
    private func broadcastSession(_ store: HistoryStore) throws -> (session: Int64, prompt: Int64, answers: [Int64]) {
        let session = try store.createSession(title: "Tides", at: start)
        let left = try store.addPane(sessionID: session, position: 0, provider: "ollama", model: "qwen3:4b")
        let right = try store.addPane(sessionID: session, position: 1, provider: "openai", model: "gpt-4o-mini")
        let prompt = try store.recordUserMessage(
            sessionID: session, text: "Why are there two tides a day?", broadcast: true, at: start)
        let first = try store.beginAssistantMessage(
            sessionID: session, paneID: left, provider: "ollama", model: "qwen3:4b", replyTo: prompt, at: start)
        let second = try store.beginAssistantMessage(
            sessionID: session, paneID: right, provider: "openai", model: "gpt-4o-mini", replyTo: prompt, at: start)
        try store.checkpoint(messageID: first, text: "The moon", reasoning: "think")
        try store.completeAssistantMessage(
            first, text: "The moon pulls the ocean on both sides.", reasoning: "think about gravity",
            timings: MessageTimings(timeToFirstToken: 0.42, total: 5.6, tokensPerSecond: 38.1),
            usage: TokenUsage(inputTokens: 20, outputTokens: 212), at: start.addingTimeInterval(6))
        try store.completeAssistantMessage(
            second, text: "", reasoning: nil, status: .error, error: "server at api.openai.com returned 429",
            at: start.addingTimeInterval(2))
        return (session, prompt, [first, second])
    }

    func testRoundTripOfABroadcastSession() throws {
        let store = try HistoryStore(path: databasePath)
        let (session, prompt, answers) = try broadcastSession(store)
        let loaded = try store.loadSession(session)
        XCTAssertEqual(loaded.title, "Tides")
        XCTAssertEqual(loaded.panes.map(\.model), ["qwen3:4b", "gpt-4o-mini"])
        XCTAssertEqual(loaded.messages.map(\.id), [prompt] + answers)
        let user = loaded.messages[0]
        XCTAssertEqual(user.role, .user)
        XCTAssertNil(user.paneID)
        XCTAssertEqual(user.broadcastGroup, prompt)
        let first = loaded.messages[1]
        XCTAssertEqual(first.text, "The moon pulls the ocean on both sides.")
        XCTAssertEqual(first.reasoning, "think about gravity")
        XCTAssertEqual(first.status, .complete)
        XCTAssertEqual(first.broadcastGroup, prompt)
        XCTAssertEqual(first.replyTo, prompt)
        XCTAssertEqual(first.timings, MessageTimings(timeToFirstToken: 0.42, total: 5.6, tokensPerSecond: 38.1))
        XCTAssertEqual(first.usage, TokenUsage(inputTokens: 20, outputTokens: 212))
        XCTAssertEqual(first.completedAt, start.addingTimeInterval(6))
        XCTAssertEqual(loaded.messages[2].status, .error)
        XCTAssertEqual(loaded.messages[2].errorText, "server at api.openai.com returned 429")
        XCTAssertEqual(loaded.updatedAt, start.addingTimeInterval(6))
    }

    func testCheckpointAfterCompletionDoesNotOverwrite() throws {
        let store = try HistoryStore(path: databasePath)
        let session = try store.createSession(title: "t")
        let answer = try store.beginAssistantMessage(
            sessionID: session, paneID: nil, provider: "ollama", model: "m", replyTo: nil)
        try store.completeAssistantMessage(answer, text: "final", reasoning: nil)
        try store.checkpoint(messageID: answer, text: "stale", reasoning: nil)
        XCTAssertEqual(try store.loadSession(session).messages.map(\.text), ["final"])
    }

    func testListRenameDeleteAndLastSession() throws {
        let store = try HistoryStore(path: databasePath)
        let (tides, _, _) = try broadcastSession(store)
        let later = try store.createSession(title: "Later", at: start.addingTimeInterval(100))
        XCTAssertEqual(try store.lastSessionID(), later)
        try store.renameSession(tides, to: "Tides explained")

        let list = try store.listSessions()
        XCTAssertEqual(list.map(\.id), [later, tides], "newest first")
        XCTAssertEqual(list[1].title, "Tides explained")
        XCTAssertEqual(list[1].paneModels, ["ollama:qwen3:4b", "openai:gpt-4o-mini"])
        XCTAssertEqual(list[1].messageCount, 3)
        XCTAssertEqual(list[0].messageCount, 0)
        XCTAssertEqual(try store.listSessions(limit: 1).map(\.id), [later])

        try store.deleteSession(tides)
        XCTAssertEqual(try store.listSessions().map(\.id), [later])
        XCTAssertEqual(try store.search("moon"), [], "messages and their index went with the session")
        let orphans = try store.database.read { db in
            try Int.fetchOne(db, sql: "SELECT (SELECT COUNT(*) FROM messages) + (SELECT COUNT(*) FROM panes)")
        }
        XCTAssertEqual(orphans, 0)
        XCTAssertThrowsError(try store.deleteSession(tides)) {
            XCTAssertEqual($0 as? HistoryError, .notFound(what: "session", id: tides))
        }
        XCTAssertThrowsError(try store.recordUserMessage(sessionID: 999, text: "x")) {
            XCTAssertEqual("\($0)", "no session with id 999 in the history")
        }
    }

    func testSearchFindsTextAndReasoningAndSurvivesFTSSyntax() throws {
        let store = try HistoryStore(path: databasePath)
        let (session, _, answers) = try broadcastSession(store)
        let hits = try store.search("ocean")
        XCTAssertEqual(hits.map(\.messageID), [answers[0]])
        XCTAssertEqual(hits.first?.sessionID, session)
        XCTAssertEqual(hits.first?.sessionTitle, "Tides")
        XCTAssertEqual(hits.first?.model, "ollama:qwen3:4b")
        XCTAssertEqual(hits.first?.snippet, "The moon pulls the [ocean] on both sides.")
        XCTAssertEqual(try store.search("gravity").map(\.messageID), [answers[0]], "reasoning is indexed")
        XCTAssertEqual(try store.search("tid").map(\.role), [.user], "words match as prefixes")

        for hostile in ["\"", "moon\"", "NEAR(", "a AND", "*", "-moon", "moon OR", "(", "col:moon", "^", "''", ""] {
            XCTAssertNoThrow(try store.search(hostile), hostile)
        }
        XCTAssertEqual(try store.search("\"moon").map(\.messageID), [answers[0]])
    }

    func testMarkdownExport() throws {
        let store = try HistoryStore(path: databasePath)
        let (session, _, _) = try broadcastSession(store)
        XCTAssertEqual(
            try store.exportMarkdown(sessionID: session),
            """
            # Tides

            _2027-01-15 08:00 UTC · ollama:qwen3:4b, openai:gpt-4o-mini_

            ## You

            Why are there two tides a day?

            ### ollama:qwen3:4b

            <details><summary>reasoning</summary>

            think about gravity

            </details>

            The moon pulls the ocean on both sides.

            ttft 0.42 s · 38.1 tok/s · 212 tokens · 5.6 s

            ### openai:gpt-4o-mini

            _error: server at api.openai.com returned 429_

            """)
    }

    func testJSONExportShape() throws {
        let store = try HistoryStore(path: databasePath)
        let (session, prompt, answers) = try broadcastSession(store)
        let data = try store.exportJSON(sessionID: session)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(object["format"] as? String, "tidepool-session")
        XCTAssertEqual(object["version"] as? Int, 1)
        let header = try XCTUnwrap(object["session"] as? [String: Any])
        XCTAssertEqual(header["created_at"] as? String, "2027-01-15T08:00:00Z")
        let messages = try XCTUnwrap(object["messages"] as? [[String: Any]])
        XCTAssertEqual(messages.map { $0["id"] as? Int64 }, ([prompt] + answers).map { Optional($0) })
        XCTAssertEqual(messages[1]["broadcast_group"] as? Int64, prompt)
        XCTAssertEqual((messages[1]["timings"] as? [String: Double])?["ttft"], 0.42)
        XCTAssertEqual((messages[1]["usage"] as? [String: Int])?["output_tokens"], 212)
        XCTAssertEqual(messages[2]["error"] as? String, "server at api.openai.com returned 429")
        XCTAssertNil(messages[0]["pane_id"], "absent values are omitted")
        let decoded = try JSONDecoder.iso8601().decode(HistoryExport.Document.self, from: data)
        XCTAssertEqual(decoded.messages, try store.loadSession(session).messages)
    }

    func testGarbageFileIsReportedAsCorrupt() throws {
        try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: databasePath))
        XCTAssertThrowsError(try HistoryStore(path: databasePath)) { error in
            XCTAssertEqual(error as? HistoryError, .corrupt(path: databasePath))
            XCTAssertEqual(
                "\(error)",
                "history database \(databasePath) is damaged or not a database; move it aside (mv \(databasePath) \(databasePath).broken) to start a new history, or run with --no-history")
        }
    }

    func testDatabaseFromANewerVersionIsRefused() throws {
        do {
            let store = try HistoryStore(path: databasePath)
            try store.database.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-from-the-future')")
            }
        }
        XCTAssertThrowsError(try HistoryStore(path: databasePath)) {
            XCTAssertEqual(
                $0 as? HistoryError, .newerVersion(path: databasePath, unknownMigrations: ["v9-from-the-future"]))
        }
    }

    func testLockedDatabaseFailsAfterBusyTimeout() throws {
        let store = try HistoryStore(path: databasePath, busyTimeout: 0.2)
        let session = try store.createSession(title: "t")
        let holder = try DatabaseQueue(path: databasePath)
        let locked = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let thread = Thread {
            try? holder.inDatabase { db in
                try db.execute(sql: "BEGIN IMMEDIATE")
                locked.signal()
                release.wait()
                try db.execute(sql: "ROLLBACK")
            }
        }
        thread.start()
        locked.wait()
        let began = Date()
        XCTAssertThrowsError(try store.recordUserMessage(sessionID: session, text: "hello")) {
            XCTAssertEqual($0 as? HistoryError, .locked(path: databasePath))
        }
        XCTAssertLessThan(Date().timeIntervalSince(began), 3)
        release.signal()
        XCTAssertNoThrow(try store.recordUserMessage(sessionID: session, text: "hello again"))
    }

    func testAPIKeysNeverReachTheDatabaseFiles() throws {
        let fakeKey = "sk-tidepool-fake-\(UUID().uuidString)"
        setenv("TIDEPOOL_TEST_FAKE_KEY", fakeKey, 1)
        defer { unsetenv("TIDEPOOL_TEST_FAKE_KEY") }
        let provider = ProviderConfig(
            name: "openai", kind: .openai, baseURL: "https://api.openai.com/v1",
            apiKeySource: .environment(variable: "TIDEPOOL_TEST_FAKE_KEY"))
        let key = try XCTUnwrap(
            try provider.resolveAPIKey(environment: ProcessInfo.processInfo.environment, homeDirectory: "/"))
        XCTAssertEqual(key.withValue { $0 }, fakeKey)

        let store = try HistoryStore(path: databasePath)
        let session = try store.createSession(title: "Keys \(key) \(provider)")
        let pane = try store.addPane(sessionID: session, position: 0, provider: provider.name, model: "gpt-4o-mini")
        let prompt = try store.recordUserMessage(sessionID: session, text: "my key is \(key)", paneID: pane)
        let answer = try store.beginAssistantMessage(
            sessionID: session, paneID: pane, provider: provider.name, model: "gpt-4o-mini", replyTo: prompt)
        try store.checkpoint(messageID: answer, text: "partial", reasoning: "\(String(describing: key))")
        try store.completeAssistantMessage(answer, text: "done", reasoning: String(reflecting: key), error: "\(provider)")

        let needle = Data(fakeKey.utf8)
        for suffix in ["", "-wal", "-shm"] {
            let file = databasePath + suffix
            guard let bytes = FileManager.default.contents(atPath: file) else { continue }
            XCTAssertNil(bytes.range(of: needle), "key found in \(file)")
        }
        XCTAssertNotNil(
            FileManager.default.contents(atPath: databasePath + "-wal")?.range(of: Data("my key is".utf8)),
            "the search would find stored text, so a leak would be caught")
        XCTAssertFalse(try store.exportMarkdown(sessionID: session).contains(fakeKey))
    }
}

extension JSONDecoder {
    fileprivate static func iso8601() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
