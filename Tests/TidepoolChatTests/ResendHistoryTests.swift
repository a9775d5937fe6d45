import Foundation
import Synchronization
import TidepoolChat
import TidepoolProviders
import TidepoolStore
import XCTest

/// What the history keeps of resends and attachments, and how `--resume` shows them.
final class ResendHistoryTests: XCTestCase {
    private var directory: String!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "tidepool-resend-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    @discardableResult
    private func send(_ message: AppMessage, _ state: inout AppState, _ recorder: HistoryRecorder) -> [AppEffect] {
        let effects = ChatApp.update(&state, message)
        recorder.record(message)
        let performed = Mutex<[AppEffect]>([])
        let rest = recorder.record(effects, in: state) { effect in performed.withLock { $0.append(effect) } }
        recorder.waitUntilWritten()
        return performed.withLock { $0 } + rest
    }

    /// Sends the message and completes every started answer with `answer`.
    private func answer(_ message: AppMessage, with answer: String, _ state: inout AppState, _ recorder: HistoryRecorder) {
        for effect in send(message, &state, recorder) {
            guard case .startChat(let pane, let request, _, _) = effect else { continue }
            send(.chatEvent(pane: pane, request: request, .textDelta(answer)), &state, recorder)
            send(.chatEnded(pane: pane, request: request), &state, recorder)
        }
    }

    func testResendAndAttachmentsAreStoredAndResumedDimmedAndOutOfContext() throws {
        let store = try HistoryStore(path: directory + "/h.sqlite")
        let recorder = HistoryRecorder(store: store, checkpointInterval: .seconds(3600))
        var state = AppState(panes: AppState.panes([("sim", "sim-fast"), ("sim-ollama", "sim-steady")]), broadcast: true)
        let notes = StoredAttachment(name: "notes.txt", content: "tides\n")

        answer(.submitWithAttachments("explain @notes.txt", [notes], resend: false), with: "Moon.", &state, recorder)
        answer(.submit("longer"), with: "The moon pulls.", &state, recorder)
        // Only pane 1 resends its last exchange.
        state.broadcast = false
        answer(.resend("much longer"), with: "The moon and sun pull.", &state, recorder)

        let sessionID = try XCTUnwrap(recorder.sessionID)
        let session = try store.loadSession(sessionID)
        let prompts = session.messages.filter { $0.role == .user }
        XCTAssertEqual(prompts.map(\.text), ["explain @notes.txt", "longer", "much longer"])
        XCTAssertEqual(prompts[0].attachments, [notes])
        XCTAssertNil(prompts[1].supersededBy, "pane 2 still answers the broadcast prompt")
        let longerAnswers = session.messages.filter { $0.replyTo == prompts[1].id }
        XCTAssertEqual(longerAnswers.map(\.supersededBy), [prompts[2].id, nil])

        // --resume: pane 1 shows the replaced exchange dimmed and leaves it out of the context.
        var resumed = AppState(resuming: session)
        XCTAssertEqual(resumed.panes[0].turns.map(\.superseded), [false, false, true, true, false, false])
        XCTAssertEqual(resumed.panes[1].turns.map(\.superseded), [false, false, false, false])
        XCTAssertEqual(resumed.panes[0].turns[0].attachments, [notes])
        XCTAssertEqual(resumed.panes[0].history().map(\.text), [
            "explain @notes.txt\n\n--- file: notes.txt ---\n```\ntides\n```\n--- end of file: notes.txt ---",
            "Moon.", "much longer", "The moon and sun pull.",
        ])

        // A resend after resuming replaces the resumed pane's last live exchange.
        let resumedRecorder = HistoryRecorder(store: store, resuming: session, checkpointInterval: .seconds(3600))
        answer(.resend("shortest"), with: "Moon.", &resumed, resumedRecorder)
        let after = try store.loadSession(sessionID)
        let last = try XCTUnwrap(after.messages.last { $0.role == .user })
        XCTAssertEqual(last.text, "shortest")
        let replaced = after.messages.filter { $0.text == "much longer" || $0.text == "The moon and sun pull." }
        XCTAssertEqual(replaced.map(\.supersededBy), [last.id, last.id])
        XCTAssertNil(after.messages.first { $0.text == "explain @notes.txt" }?.supersededBy)
    }
}
