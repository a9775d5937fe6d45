import Foundation
import GRDB
import Synchronization
import TidepoolChat
import TidepoolStore
import XCTest

/// Defect 9: another process holding the history's write lock must not hold requests back.
/// A real second SQLite connection holds `BEGIN IMMEDIATE` for as long as each test needs,
/// so nothing here depends on timing: the sends are awaited while the lock is still held.
final class HistoryRecorderLockTests: XCTestCase {
    private var directory: String!
    private var path: String { directory + "/h.sqlite" }

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "tidepool-lock-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Another connection to the same file (another process's stand-in), holding the write
    /// lock (`BEGIN IMMEDIATE`) on its own thread until `release()`.
    private final class LockHolder: @unchecked Sendable {
        private let holder: DatabaseQueue
        private let reader: DatabaseQueue
        private let released = DispatchSemaphore(value: 0)
        private let finished = DispatchSemaphore(value: 0)

        init(path: String) throws {
            holder = try DatabaseQueue(path: path)
            reader = try DatabaseQueue(path: path)
            let locked = DispatchSemaphore(value: 0)
            Thread { [self] in
                try? holder.inDatabase { db in
                    try db.execute(sql: "BEGIN IMMEDIATE")
                    locked.signal()
                    released.wait()
                    try db.execute(sql: "COMMIT")
                }
                finished.signal()
            }.start()
            locked.wait()
        }

        /// Rows in `table`, read beside the lock (WAL lets readers in).
        func count(_ table: String) throws -> Int {
            try reader.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? -1 }
        }

        func release() {
            released.signal()
            finished.wait()
        }
    }

    private func startCount(_ effects: [AppEffect]) -> Int {
        effects.filter { if case .startChat = $0 { return true } else { return false } }.count
    }

    func testABroadcastIsSentWhileAnotherProcessHoldsTheLockAndThePromptLandsAfterwards() throws {
        // Each write would wait a minute for the lock: a recorder that made requests wait
        // for their writes could not send within the 30 s this test waits.
        let store = try HistoryStore(path: path, busyTimeout: 60)
        let recorder = HistoryRecorder(store: store, checkpointInterval: .seconds(3600))
        var state = AppState(
            panes: AppState.panes([("sim", "sim-fast"), ("sim-ollama", "sim-steady"), ("sim-anthropic", "sim-fast")]),
            broadcast: true)
        let lock = try LockHolder(path: path)

        let effects = ChatApp.update(&state, .submit("a prompt written under a held lock"))
        XCTAssertEqual(startCount(effects), 3)
        let performed = Mutex<[AppEffect]>([])
        let allSent = expectation(description: "every pane's request was sent")
        allSent.expectedFulfillmentCount = 3
        recorder.record(effects, in: state) { effect in
            performed.withLock { $0.append(effect) }
            allSent.fulfill()
        }
        // The UI thread never waits for the recorder's queue, even while it is stuck.
        XCTAssertNil(recorder.sessionID)
        // The lock is still held: these sends cannot have waited for the writes.
        wait(for: [allSent], timeout: 30)
        XCTAssertEqual(try lock.count("messages"), 0, "nothing could be written while the lock is held")
        XCTAssertEqual(startCount(performed.withLock { $0 }), 3)
        let notice = try XCTUnwrap(recorder.notice)
        XCTAssertTrue(notice.hasPrefix("history behind: "), notice)

        lock.release()
        recorder.waitUntilWritten()
        let sessionID = try XCTUnwrap(recorder.sessionID)
        let session = try store.loadSession(sessionID)
        XCTAssertEqual(session.messages.filter { $0.role == .user }.map(\.text), ["a prompt written under a held lock"])
        XCTAssertEqual(session.messages.filter { $0.role == .assistant }.count, 3)
        XCTAssertNil(recorder.notice, "caught up: no longer behind, and nothing failed")
    }

    func testACancelNeverOvertakesTheStartItCancelsWhileTheDatabaseIsLocked() throws {
        let store = try HistoryStore(path: path, busyTimeout: 0.1)
        let recorder = HistoryRecorder(store: store, checkpointInterval: .seconds(3600))
        var state = AppState(panes: AppState.panes([("sim", "sim-fast")]))
        let lock = try LockHolder(path: path)
        let performed = Mutex<[String]>([])
        let bothSent = expectation(description: "start and cancel sent")
        bothSent.expectedFulfillmentCount = 2
        let perform: @Sendable (AppEffect) -> Void = { effect in
            switch effect {
            case .startChat: performed.withLock { $0.append("start") }
            case .cancelChat: performed.withLock { $0.append("cancel") }
            default: break
            }
            bothSent.fulfill()
        }
        recorder.record(ChatApp.update(&state, .submit("stop me")), in: state, thenPerform: perform)
        recorder.record(ChatApp.update(&state, .cancelFocused), in: state, thenPerform: perform)
        wait(for: [bothSent], timeout: 30)
        XCTAssertEqual(performed.withLock { $0 }, ["start", "cancel"])
        lock.release()
        recorder.waitUntilWritten()
        let session = try store.loadSession(try XCTUnwrap(recorder.sessionID))
        XCTAssertEqual(session.messages.filter { $0.role == .assistant }.map(\.status), [.cancelled])
    }
}
