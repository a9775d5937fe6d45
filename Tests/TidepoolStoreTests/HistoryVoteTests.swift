import Foundation
import GRDB
import XCTest

@testable import TidepoolStore

/// Votes beside their broadcasts (migration `v3-votes`), export, and what `rank` reads.
final class HistoryVoteTests: XCTestCase {
    private var directory: URL!
    private var databasePath: String { directory.appendingPathComponent("history.sqlite").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tidepool-votes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// A decoder for the export's ISO 8601 dates.
    private static var exportDecoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    /// A session with one broadcast answered by sim:a (ttft 0.2) and sim:b (ttft 0.5); returns
    /// (session, prompt) ids.
    private func broadcast(_ store: HistoryStore, at date: Date = Date()) throws -> (Int64, Int64) {
        let session = try store.createSession(title: "Compare")
        let a = try store.addPane(sessionID: session, position: 0, provider: "sim", model: "a")
        let b = try store.addPane(sessionID: session, position: 1, provider: "sim", model: "b")
        let prompt = try store.recordUserMessage(sessionID: session, text: "Which river?", broadcast: true, at: date)
        for (pane, model, ttft) in [(a, "a", 0.2), (b, "b", 0.5)] {
            let answer = try store.beginAssistantMessage(sessionID: session, paneID: pane, provider: "sim", model: model,
                                                         replyTo: prompt, at: date)
            try store.completeAssistantMessage(answer, text: "The \(model) river.", reasoning: nil,
                                               timings: MessageTimings(timeToFirstToken: ttft, total: 1, tokensPerSecond: 20),
                                               at: date)
        }
        return (session, prompt)
    }

    func testAVoteIsStoredReplacedAndExported() throws {
        let store = try HistoryStore(path: databasePath)
        let (session, prompt) = try broadcast(store)
        try store.recordVote(promptID: prompt, verdict: .best(provider: "sim", model: "a"), note: "  ")
        var loaded = try store.loadSession(session)
        XCTAssertEqual(loaded.votes.map(\.verdict), [.best(provider: "sim", model: "a")])
        XCTAssertEqual(loaded.votes.map(\.note), [nil], "a blank note is no note")

        // Voting again replaces the vote: one per broadcast.
        let id = try store.recordVote(promptID: prompt, verdict: .best(provider: "sim", model: "b"), note: "shorter")
        loaded = try store.loadSession(session)
        XCTAssertEqual(loaded.votes.count, 1)
        XCTAssertEqual(loaded.votes[0].id, id)
        XCTAssertEqual(loaded.votes[0].verdict, .best(provider: "sim", model: "b"))
        XCTAssertEqual(loaded.votes[0].promptID, prompt)

        let markdown = try store.exportMarkdown(sessionID: session)
        XCTAssertTrue(markdown.contains("### sim:b\n\nThe b river.\n\nttft 0.50 s · 20.0 tok/s · 1.0 s\n\n**Vote:** best: sim:b — “shorter”"),
                      markdown)
        let json = try JSONSerialization.jsonObject(with: try store.exportJSON(sessionID: session)) as? [String: Any]
        let votes = try XCTUnwrap(json?["votes"] as? [[String: Any]])
        XCTAssertEqual(votes.count, 1)
        XCTAssertEqual(votes[0]["kind"] as? String, "best")
        XCTAssertEqual(votes[0]["winner"] as? String, "sim:b")
        XCTAssertEqual(votes[0]["note"] as? String, "shorter")
        XCTAssertEqual((votes[0]["prompt_id"] as? NSNumber)?.int64Value, prompt)
        // And the document reads back.
        let document = try Self.exportDecoder.decode(HistoryExport.Document.self, from: try store.exportJSON(sessionID: session))
        XCTAssertEqual(document.votes?.map(\.verdict), [.best(provider: "sim", model: "b")])

        // Deleting the session deletes its votes.
        try store.deleteSession(session)
        XCTAssertEqual(try store.votedBroadcasts(), [])
    }

    func testAVoteMustJudgeABroadcastAndNameOneOfItsModels() throws {
        let store = try HistoryStore(path: databasePath)
        let (session, prompt) = try broadcast(store)
        XCTAssertThrowsError(try store.recordVote(promptID: prompt, verdict: .best(provider: "sim", model: "z"))) {
            XCTAssertEqual($0 as? HistoryError,
                           .invalidVote(reason: "sim:z did not answer this broadcast (it was answered by sim:a, sim:b)"))
        }
        let single = try store.recordUserMessage(sessionID: session, text: "just one pane")
        XCTAssertThrowsError(try store.recordVote(promptID: single, verdict: .tie)) {
            XCTAssertEqual($0 as? HistoryError, .invalidVote(reason: "message \(single) is not a broadcast prompt"))
        }
        XCTAssertThrowsError(try store.recordVote(promptID: 999, verdict: .tie)) {
            XCTAssertEqual($0 as? HistoryError, .notFound(what: "message", id: 999))
        }
        XCTAssertEqual(try store.loadSession(session).votes, [])
    }

    func testVotedBroadcastsSinceADay() throws {
        let store = try HistoryStore(path: databasePath)
        let (_, old) = try broadcast(store)
        let (_, new) = try broadcast(store)
        let cut = Date(timeIntervalSince1970: 1_800_000_000)
        try store.recordVote(promptID: old, verdict: .allBad, at: cut.addingTimeInterval(-1))
        try store.recordVote(promptID: new, verdict: .best(provider: "sim", model: "a"), at: cut)
        XCTAssertEqual(try store.votedBroadcasts().map(\.vote.promptID), [old, new])
        let recent = try store.votedBroadcasts(since: cut)
        XCTAssertEqual(recent.map(\.vote.promptID), [new])
        XCTAssertEqual(recent[0].answers.map(\.identity), ["sim:a", "sim:b"])
        XCTAssertEqual(recent[0].answers.map(\.timings.timeToFirstToken), [0.2, 0.5])
    }

    func testAVersion2DatabaseIsUpgradedAndKeepsItsBroadcasts() throws {
        do {
            let queue = try DatabaseQueue(path: databasePath)
            try HistorySchema.migrator.migrate(queue, upTo: "v2-pane-closed-and-continues")
            try queue.write { db in
                try db.execute(sql: "INSERT INTO sessions (id, title, created_at, updated_at) VALUES (1, 'old', 0, 0)")
                try db.execute(sql: """
                    INSERT INTO panes (id, session_id, position, provider, model) VALUES
                        (1, 1, 0, 'sim', 'a'), (2, 1, 1, 'sim', 'b')
                    """)
                try db.execute(sql: """
                    INSERT INTO messages (id, session_id, role, text, status, created_at, broadcast_group)
                    VALUES (10, 1, 'user', 'old question', 'complete', 0, 10)
                    """)
                try db.execute(sql: """
                    INSERT INTO messages (session_id, pane_id, role, text, provider, model, status, created_at, reply_to,
                        broadcast_group, ttft)
                    VALUES (1, 1, 'assistant', 'A', 'sim', 'a', 'complete', 0, 10, 10, 0.3),
                           (1, 2, 'assistant', 'B', 'sim', 'b', 'complete', 0, 10, 10, 0.4)
                    """)
                XCTAssertFalse(try db.tableExists("votes"))
            }
        }
        let store = try HistoryStore(path: databasePath)
        XCTAssertEqual(try store.loadSession(1).votes, [])
        try store.recordVote(promptID: 10, verdict: .best(provider: "sim", model: "b"), note: "old but good")
        let loaded = try store.loadSession(1)
        XCTAssertEqual(loaded.messages.count, 3)
        XCTAssertEqual(loaded.votes.map(\.note), ["old but good"])
        XCTAssertEqual(try store.votedBroadcasts().first?.answers.map(\.identity), ["sim:a", "sim:b"])
        let applied = try DatabaseQueue(path: databasePath).read { try HistorySchema.migrator.appliedIdentifiers($0) }
        XCTAssertTrue(applied.contains("v3-votes"))
    }
}
