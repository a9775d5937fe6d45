import Foundation
import Synchronization
import TidepoolChat
import TidepoolPool
import TidepoolProviders
import TidepoolStore
import XCTest

final class HistoryRecorderTests: XCTestCase {
    private var directory: String!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "tidepool-recorder-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func twoPanes(broadcast: Bool) -> AppState {
        AppState(panes: AppState.panes([("sim", "sim-fast"), ("sim-ollama", "sim-steady")]), broadcast: broadcast)
    }

    /// Runs `message` through the app and the recorder, as the chat screen does; returns the
    /// effects performed (in the order the recorder handed them over).
    @discardableResult
    private func send(_ message: AppMessage, _ state: inout AppState, _ recorder: HistoryRecorder) -> [AppEffect] {
        let effects = ChatApp.update(&state, message)
        recorder.record(message)
        let performed = Mutex<[AppEffect]>([])
        recorder.record(effects, in: state) { effect in performed.withLock { $0.append(effect) } }
        recorder.waitUntilWritten()
        return performed.withLock { $0 }
    }

    private func requestIDs(_ effects: [AppEffect]) -> [(pane: Int, request: Int)] {
        effects.compactMap {
            if case .startChat(let pane, let request, _, _) = $0 { return (pane, request) }
            return nil
        }
    }

    func testBroadcastIsStoredAsOnePromptWithAnAnswerPerPane() throws {
        let store = try HistoryStore(path: directory + "/h.sqlite")
        let recorder = HistoryRecorder(store: store, checkpointInterval: .seconds(3600))
        var state = twoPanes(broadcast: true)
        let started = requestIDs(send(.submit("Why is the sea salty?"), &state, recorder))
        XCTAssertEqual(started.count, 2)

        // The prompt is on disk before any request was handed over for sending.
        let sessionID = try XCTUnwrap(recorder.sessionID)
        var session = try store.loadSession(sessionID)
        XCTAssertEqual(session.messages.filter { $0.role == .user }.map(\.text), ["Why is the sea salty?"])
        XCTAssertEqual(session.messages.filter { $0.role == .assistant }.map(\.status), [.streaming, .streaming])

        let timings = ChatTimings(timeToFirstToken: 0.25, total: 1.5, tokensPerSecond: 40, outputTokens: 12)
        send(.chatEvent(pane: started[0].pane, request: started[0].request, .textDelta("Rivers carry ")), &state, recorder)
        send(.chatEvent(pane: started[0].pane, request: started[0].request, .textDelta("minerals.")), &state, recorder)
        send(.chatEvent(pane: started[0].pane, request: started[0].request, .usage(inputTokens: 5, outputTokens: 12)), &state, recorder)
        send(.chatEvent(pane: started[0].pane, request: started[0].request, .timings(timings)), &state, recorder)
        send(.chatEnded(pane: started[0].pane, request: started[0].request), &state, recorder)
        send(.chatFailed(pane: started[1].pane, request: started[1].request, message: "server said no"), &state, recorder)

        session = try store.loadSession(sessionID)
        XCTAssertEqual(session.title, "Why is the sea salty?")
        XCTAssertEqual(session.panes.map { "\($0.provider):\($0.model)" }, ["sim:sim-fast", "sim-ollama:sim-steady"])
        let prompt = try XCTUnwrap(session.messages.first { $0.role == .user })
        XCTAssertNil(prompt.paneID)
        XCTAssertEqual(prompt.broadcastGroup, prompt.id)
        let answers = session.messages.filter { $0.role == .assistant }
        XCTAssertEqual(answers.map(\.replyTo), [prompt.id, prompt.id])
        XCTAssertEqual(answers.map(\.broadcastGroup), [prompt.id, prompt.id])
        XCTAssertEqual(answers[0].text, "Rivers carry minerals.")
        XCTAssertEqual(answers[0].status, .complete)
        XCTAssertEqual(answers[0].timings, MessageTimings(timeToFirstToken: 0.25, total: 1.5, tokensPerSecond: 40))
        XCTAssertEqual(answers[0].usage, TokenUsage(inputTokens: 5, outputTokens: 12))
        XCTAssertEqual(answers[1].status, .error)
        XCTAssertEqual(answers[1].errorText, "server said no")
        XCTAssertNil(recorder.notice)
    }

    func testStreamingTextIsCheckpointedAndCancellationStoresWhatCame() throws {
        let store = try HistoryStore(path: directory + "/h.sqlite")
        let recorder = HistoryRecorder(store: store, checkpointInterval: .zero)
        var state = twoPanes(broadcast: false)
        let started = requestIDs(send(.submit("count to three"), &state, recorder))
        let (pane, request) = try XCTUnwrap(started.first)
        send(.chatEvent(pane: pane, request: request, .textDelta("one, two")), &state, recorder)
        let sessionID = try XCTUnwrap(recorder.sessionID)
        var answer = try XCTUnwrap(store.loadSession(sessionID).messages.last)
        XCTAssertEqual(answer.status, .streaming)
        XCTAssertEqual(answer.text, "one, two", "checkpointed while streaming")

        let effects = send(.cancelFocused, &state, recorder)
        guard case .cancelChat(let cancelled)? = effects.first else { return XCTFail("cancel not handed over: \(effects)") }
        XCTAssertEqual(cancelled, request)
        // A late event of the cancelled request changes nothing.
        send(.chatEvent(pane: pane, request: request, .textDelta(", three")), &state, recorder)
        answer = try XCTUnwrap(store.loadSession(sessionID).messages.last)
        XCTAssertEqual(answer.status, .cancelled)
        XCTAssertEqual(answer.text, "one, two")
        let prompt = try XCTUnwrap(store.loadSession(sessionID).messages.first)
        XCTAssertNotNil(prompt.paneID, "a prompt to one pane belongs to that pane")
    }

    func testCheckpointsAreThrottled() throws {
        let store = try HistoryStore(path: directory + "/h.sqlite")
        let recorder = HistoryRecorder(store: store, checkpointInterval: .seconds(3600))
        var state = twoPanes(broadcast: false)
        let (pane, request) = try XCTUnwrap(requestIDs(send(.submit("hi"), &state, recorder)).first)
        send(.chatEvent(pane: pane, request: request, .textDelta("not yet saved")), &state, recorder)
        let answer = try XCTUnwrap(store.loadSession(XCTUnwrap(recorder.sessionID)).messages.last)
        XCTAssertEqual(answer.text, "", "no checkpoint before the interval has passed")
    }

    func testAnUnopenableDatabaseTurnsHistoryOffAndTheChatStillRuns() throws {
        let path = directory + "/broken.sqlite"
        try Data("this is not a database, just text long enough to fill a header".utf8).write(to: URL(fileURLWithPath: path))
        let recorder = HistoryRecorder.open(path: path)
        XCTAssertFalse(recorder.isEnabled)
        let notice = try XCTUnwrap(recorder.notice)
        XCTAssertTrue(notice.hasPrefix("history off: "), notice)
        XCTAssertTrue(notice.contains(path), notice)
        var state = twoPanes(broadcast: true)
        let effects = ChatApp.update(&state, .submit("still works"))
        let performed = Mutex(0)
        let rest = recorder.record(effects + [.quit], in: state) { _ in performed.withLock { $0 += 1 } }
        XCTAssertEqual(performed.withLock { $0 }, 2, "requests go out at once")
        XCTAssertEqual(rest, [.quit])
    }

    func testResumedSessionRebuildsPanesAndContinuesTheSameSession() throws {
        let store = try HistoryStore(path: directory + "/h.sqlite")
        let first = HistoryRecorder(store: store, checkpointInterval: .seconds(3600))
        var state = twoPanes(broadcast: true)
        let started = requestIDs(send(.submit("first question"), &state, first))
        for (pane, request) in started {
            send(.chatEvent(pane: pane, request: request, .textDelta("answer from \(pane)")), &state, first)
            send(.chatEnded(pane: pane, request: request), &state, first)
        }
        let sessionID = try XCTUnwrap(first.sessionID)

        let stored = try store.loadSession(sessionID)
        var resumed = AppState(resuming: stored)
        XCTAssertEqual(resumed.panes.map(\.label), ["sim:sim-fast", "sim-ollama:sim-steady"])
        XCTAssertEqual(resumed.panes[1].turns.map(\.text), ["first question", "answer from 2"])
        XCTAssertEqual(resumed.panes[1].turns.map(\.status), [.done, .done])
        let groups = Set(resumed.panes.flatMap(\.turns).map(\.broadcastGroup))
        XCTAssertEqual(groups.count, 1)
        XCTAssertNotNil(groups.first ?? nil)
        XCTAssertEqual(resumed.promptHistory, ["first question"])

        let second = HistoryRecorder(store: store, resuming: stored, checkpointInterval: .seconds(3600))
        resumed.focused = 1
        let effects = send(.submit("follow-up"), &resumed, second)
        guard case .startChat(_, _, _, let request)? = effects.first else { return XCTFail("no start: \(effects)") }
        XCTAssertEqual(request.messages.map(\.text), ["first question", "answer from 2", "follow-up"])
        XCTAssertEqual(second.sessionID, sessionID)
        let after = try store.loadSession(sessionID)
        XCTAssertEqual(after.panes.count, 2, "the resumed panes are reused, not added again")
        let followUp = try XCTUnwrap(after.messages.first { $0.text == "follow-up" })
        XCTAssertEqual(followUp.paneID, stored.panes[1].id)
    }

    /// Issue 12 item 3: `--resume` reopens exactly the panes open at quit, with their
    /// current models; a closed pane (here one that only ever failed) stays closed.
    func testResumeReopensThePanesOpenAtQuitWithTheirCurrentModels() throws {
        let store = try HistoryStore(path: directory + "/h.sqlite")
        let first = HistoryRecorder(store: store, checkpointInterval: .seconds(3600))
        var state = AppState(panes: AppState.panes([("sim", "sim-fast"), ("sim", "sim-steady"), ("sim", "nosuch")]),
                             broadcast: true)
        let started = requestIDs(send(.submit("first question"), &state, first))
        XCTAssertEqual(started.count, 3)
        for (pane, request) in started where pane != 3 {
            send(.chatEvent(pane: pane, request: request, .textDelta("answer from \(pane)")), &state, first)
            send(.chatEnded(pane: pane, request: request), &state, first)
        }
        send(.chatFailed(pane: 3, request: started[2].request, message: "no such model"), &state, first)
        send(.focus(2), &state, first)
        send(.closeFocused, &state, first)
        send(.focus(1), &state, first)
        send(.changeModel(provider: "sim", model: "sim-thinker"), &state, first)
        send(.openPane(provider: "sim-ollama", model: "sim-steady"), &state, first)  // never sends
        XCTAssertEqual(state.panes.map(\.label), ["sim:sim-fast", "sim:sim-thinker", "sim-ollama:sim-steady"])
        let sessionID = try XCTUnwrap(first.sessionID)

        let stored = try store.loadSession(sessionID)
        var resumed = AppState(resuming: stored)
        XCTAssertEqual(resumed.panes.map(\.label), ["sim:sim-fast", "sim:sim-thinker", "sim-ollama:sim-steady"])
        XCTAssertEqual(resumed.panes[1].turns.map(\.text), ["first question", "answer from 2"],
                       "the conversation from before the model change stays in its pane")
        XCTAssertEqual(resumed.panes[2].turns.map(\.text), [])

        // Carrying on writes into the same stored panes; nothing new is added or reopened.
        let second = HistoryRecorder(store: store, resuming: stored, checkpointInterval: .seconds(3600))
        resumed.focused = 1
        resumed.broadcast = false
        let effects = send(.submit("follow-up"), &resumed, second)
        guard case .startChat(_, _, _, let request)? = effects.first else { return XCTFail("no start: \(effects)") }
        XCTAssertEqual(request.model, "sim-thinker")
        XCTAssertEqual(request.messages.map(\.text), ["first question", "answer from 2", "follow-up"])
        let after = try store.loadSession(sessionID)
        XCTAssertEqual(after.panes.count, stored.panes.count)
        XCTAssertEqual(after.openPanes.map(\.id), stored.openPanes.map(\.id))
        let followUp = try XCTUnwrap(after.messages.first { $0.text == "follow-up" })
        XCTAssertEqual(followUp.paneID, stored.openPanes[1].id)
    }

    /// A failed pane that was still open at quit comes back; one closed before any prompt
    /// was never stored.
    func testAFailedPaneOpenAtQuitIsReopened() throws {
        let store = try HistoryStore(path: directory + "/h.sqlite")
        let recorder = HistoryRecorder(store: store, checkpointInterval: .seconds(3600))
        var state = AppState(panes: AppState.panes([("sim", "sim-fast"), ("sim", "gone"), ("sim", "nosuch")]),
                             broadcast: true)
        send(.focus(1), &state, recorder)
        send(.closeFocused, &state, recorder)
        let started = requestIDs(send(.submit("hello"), &state, recorder))
        XCTAssertEqual(started.map(\.pane), [1, 3])
        send(.chatFailed(pane: 3, request: started[1].request, message: "no such model"), &state, recorder)
        let resumed = AppState(resuming: try store.loadSession(try XCTUnwrap(recorder.sessionID)))
        XCTAssertEqual(resumed.panes.map(\.label), ["sim:sim-fast", "sim:nosuch"])
        XCTAssertEqual(resumed.panes[1].status, .error)
    }

    /// The chat program notes a model change at once, with no request involved: quitting
    /// right after Alt-M resumes with the new model.
    func testTheChatProgramRecordsAModelChangeWithoutARequest() throws {
        let pool = PoolManager()
        defer { pool.shutdown() }
        let store = try HistoryStore(path: directory + "/h.sqlite")
        let recorder = HistoryRecorder(store: store, checkpointInterval: .seconds(3600))
        let catalog = ProviderCatalog.builtIn()
        // Unknown providers fail at once, so nothing leaves the machine; their failures are not needed.
        let runtime = ChatRuntime(directory: catalog.directory(transport: pool), pool: pool) { _ in }
        let program = ChatProgram(state: AppState(panes: AppState.panes([("nosuch", "a"), ("nosuch", "b")])),
                                  recorder: recorder, runtime: runtime, resolveModel: { text in try catalog.parse(text) })
        program.send(.submit("hello"))
        program.send(.changeModel(provider: "nosuch", model: "c"))
        recorder.waitUntilWritten()
        let stored = try store.loadSession(try XCTUnwrap(recorder.sessionID))
        XCTAssertEqual(stored.openPanes.map { "\($0.provider):\($0.model)" }, ["nosuch:c", "nosuch:b"])
        XCTAssertEqual(AppState(resuming: stored).panes[0].turns.first?.text, "hello")
    }
}
