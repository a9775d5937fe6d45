import Foundation
import GRDB
import XCTest

@testable import TidepoolStore

/// Pane close and model change as stored for `--resume` (issue 12, item 3).
final class HistoryPaneTrackingTests: XCTestCase {
    private var directory: URL!
    private var databasePath: String { directory.appendingPathComponent("history.sqlite").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tidepool-panes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func testClosedAndReplacedPanesAreNotOpenAndAModelChangeKeepsItsPlace() throws {
        let store = try HistoryStore(path: databasePath)
        let session = try store.createSession(title: "Panes")
        let first = try store.addPane(sessionID: session, position: 0, provider: "sim", model: "sim-fast")
        let second = try store.addPane(sessionID: session, position: 1, provider: "sim", model: "nosuch")
        let third = try store.addPane(sessionID: session, position: 2, provider: "sim", model: "sim-steady")
        // Pane 1 changes model: closed, and a new stored pane continues it at its position.
        try store.closePane(first)
        let firstAgain = try store.addPane(sessionID: session, position: 0, provider: "sim", model: "sim-thinker",
                                           continuing: first)
        try store.closePane(second)
        try store.closePane(second)  // a second close keeps the first one's time

        let loaded = try store.loadSession(session)
        XCTAssertEqual(loaded.panes.count, 4)
        XCTAssertEqual(loaded.openPanes.map(\.id), [firstAgain, third])
        XCTAssertEqual(loaded.openPanes.map(\.model), ["sim-thinker", "sim-steady"])
        XCTAssertEqual(loaded.panes.first { $0.id == firstAgain }?.continues, first)
        XCTAssertNotNil(loaded.panes.first { $0.id == second }?.closedAt)
        XCTAssertEqual(loaded.openPaneIndexByPaneID, [first: 0, firstAgain: 0, third: 1],
                       "the replaced pane's messages show in the pane that continues it; the closed one's nowhere")
        XCTAssertThrowsError(try store.closePane(9999)) {
            XCTAssertEqual($0 as? HistoryError, .notFound(what: "pane", id: 9999))
        }
    }

    func testADatabaseFromBeforePaneTrackingIsUpgradedWithEveryPaneOpen() throws {
        do {
            let queue = try DatabaseQueue(path: databasePath)
            try HistorySchema.migrator.migrate(queue, upTo: "v1-sessions-panes-messages")
            try queue.write { db in
                try db.execute(sql: "INSERT INTO sessions (id, title, created_at, updated_at) VALUES (1, 'old', 0, 0)")
                try db.execute(sql: """
                    INSERT INTO panes (session_id, position, provider, model) VALUES
                        (1, 0, 'sim', 'sim-fast'), (1, 1, 'sim', 'sim-steady')
                    """)
            }
        }
        let store = try HistoryStore(path: databasePath)
        let loaded = try store.loadSession(1)
        XCTAssertEqual(loaded.openPanes.map(\.model), ["sim-fast", "sim-steady"])
        XCTAssertEqual(loaded.panes.map(\.closedAt), [nil, nil])
    }
}
