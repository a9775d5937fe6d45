import Foundation
import Synchronization
import TidepoolChat
import TidepoolCurses
import TidepoolPool
import TidepoolStore
import TidepoolTUI

/// The chat screen's loop: the one thread that owns the terminal, the app state and the
/// draft. Keys and network messages come in; `ChatApp.update` changes the state; frames are
/// drawn at most about 30 times a second, and only when something changed. With nothing
/// happening the loop sleeps in `poll` with no timeout, so an idle screen uses no CPU.
final class ChatLoop {
    /// Messages posted from other threads (the chat runtime), taken by the loop; streamed
    /// text is coalesced per request (see ``ChatInbox``).
    typealias Inbox = ChatInbox

    /// Frames are at least this far apart (about 30 per second).
    static let frameInterval: UInt64 = 33_000_000
    /// While anything is in flight the pool panel refreshes at least this often.
    static let statsInterval: UInt64 = 400_000_000

    private var state: AppState
    private var editor: LineEditor
    private let terminal: CursesTerminal
    private let inbox: Inbox
    private let runtime: ChatRuntime
    private let pool: PoolManager
    private let themes: ThemeCatalog
    private var theme: Theme
    private let stopRequested: StopRequest
    private let recorder: HistoryRecorder
    /// The recorder's notice last put on the status line (the opening one is shown at start).
    private var lastHistoryNotice: String?
    private let parseModel: (String) throws -> (provider: String, model: String)
    /// `provider:model` names the model picker offers with Up/Down.
    private let modelSuggestions: [String]
    private var suggestionIndex: Int?
    /// What the input box is collecting: the draft, or a one-off answer (a model for the
    /// picker, a system prompt) with the draft set aside.
    private var inputMode: InputMode = .draft

    enum InputMode {
        case draft
        case model(KeyAction.ModelPickerPurpose, savedDraft: String)
        case systemPrompt(allPanes: Bool, savedDraft: String)
        case historySearch(savedDraft: String)
        case sessionTitle(savedDraft: String)
    }

    /// Set from a signal handler's queue, read by the loop.
    final class StopRequest: Sendable {
        private let flag = Atomic<Bool>(false)
        func request() { flag.store(true, ordering: .relaxed) }
        var isRequested: Bool { flag.load(ordering: .relaxed) }
    }
    /// Rendered turns kept between frames: a frame redoes only what changed.
    private let transcriptCache = TranscriptCache()
    private var dirty = true
    private var lastFrame: UInt64 = 0
    private var lastStats: UInt64 = 0
    private var running = true
    /// A request started or ended: the panel must show it even if nothing else streams.
    private var statsDue = false

    init(state: AppState, terminal: CursesTerminal, inbox: Inbox, runtime: ChatRuntime, pool: PoolManager,
         themes: ThemeCatalog, recorder: HistoryRecorder, stopRequested: StopRequest,
         parseModel: @escaping (String) throws -> (provider: String, model: String), modelSuggestions: [String]) {
        self.recorder = recorder
        lastHistoryNotice = recorder.notice
        self.modelSuggestions = modelSuggestions
        self.parseModel = parseModel
        self.state = state
        self.editor = LineEditor(history: state.promptHistory)
        self.terminal = terminal
        self.inbox = inbox
        self.runtime = runtime
        self.pool = pool
        self.themes = themes
        self.stopRequested = stopRequested
        let (loaded, error) = themes.loadOrDefault(state.theme, mode: terminal.colorMode)
        theme = loaded
        if let error { self.state.notice = "theme: \(error)" }
    }

    /// Runs until the user quits or a signal asks to stop.
    func run() {
        refreshStats(now: Self.now())
        while running {
            if stopRequested.isRequested { break }
            let now = Self.now()
            if dirty && now &- lastFrame >= Self.frameInterval { draw(now: now) }
            // Idle: the next message wakes the loop. Streaming: the loop takes the inbox once
            // per frame instead, so tokens never wake it one by one.
            if !dirty && !state.isStreaming { inbox.arm() }
            let keys = terminal.nextInput(timeoutMilliseconds: timeout(now: Self.now()))
            for message in inbox.drain() { apply(message) }
            for key in keys { handle(key) }
            showHistoryNoticeChange()
            let after = Self.now()
            if statsDue || (needsStats && after &- lastStats >= Self.statsInterval) { refreshStats(now: after) }
        }
        runtime.cancelAll()
    }

    // MARK: Timing

    private var needsStats: Bool {
        state.isStreaming || (state.pool?.total.inFlight ?? 0) > 0 || runtime.inFlight > 0
    }

    /// How long `poll` may sleep: until the next frame is due when one is pending, one frame
    /// while streaming (the inbox is then not armed), until the next stats refresh while
    /// requests are in flight, else forever.
    private func timeout(now: UInt64) -> Int32 {
        var deadline: UInt64?
        if dirty {
            deadline = lastFrame &+ Self.frameInterval
        } else if state.isStreaming {
            // One frame after the last one began; a frame from now if that has passed
            // (nothing arrived for a while), so a stalled stream never spins.
            let due = lastFrame &+ Self.frameInterval
            deadline = due > now ? due : now &+ Self.frameInterval
        }
        if needsStats {
            let next = lastStats &+ Self.statsInterval
            deadline = min(deadline ?? next, next)
        }
        guard let deadline else { return -1 }
        return deadline <= now ? 0 : Int32(min(1000, (deadline - now + 999_999) / 1_000_000))
    }

    private func refreshStats(now: UInt64) {
        lastStats = now
        statsDue = false
        apply(.poolStats(pool.stats()))
    }

    private func draw(now: UInt64) {
        let size = terminal.size
        let frame = ChatScreen.render(state: state, editor: &editor, theme: theme, width: size.width, height: size.height,
                                      cache: transcriptCache)
        terminal.present(frame.screen, cursor: frame.cursor)
        lastFrame = now
        dirty = false
    }

    /// Puts the recorder's notice on the status line when it changes (history fell behind
    /// a locked database, caught up, or a write failed). Two lock reads; the loop wakes at
    /// least every stats interval while anything streams, which is when history can lag.
    private func showHistoryNoticeChange() {
        let notice = recorder.notice
        guard notice != lastHistoryNotice else { return }
        let wasBehind = lastHistoryNotice?.hasPrefix("history behind") ?? false
        lastHistoryNotice = notice
        if let notice {
            apply(.notify(notice))
        } else if wasBehind {
            apply(.notify("history caught up"))
        }
    }

    // MARK: Messages and keys

    private func apply(_ message: AppMessage) {
        let effects = ChatApp.update(&state, message)
        recorder.record(message)
        dirty = true
        switch message {
        case .chatEnded, .chatFailed: statsDue = true
        default: break
        }
        // The recorder stores each prompt before handing its request to the runtime, and
        // gives back what is the screen's to do.
        let runtime = self.runtime
        let local = recorder.record(effects, in: state, thenPerform: { runtime.perform($0) })
        for effect in local { perform(effect) }
        if effects.contains(where: { if case .startChat = $0 { true } else { false } }) {
            statsDue = true
        }
    }

    private func perform(_ effect: AppEffect) {
        switch effect {
        case .startChat, .cancelChat:
            runtime.perform(effect)
        case .copyToClipboard(let text):
            terminal.sendControl("\u{1B}]52;c;\(Data(text.utf8).base64EncodedString())\u{07}")
        case .quit:
            running = false
        }
    }

    private func handle(_ key: Key) {
        dirty = true
        if key == .resize {
            terminal.invalidate()
            return
        }
        if state.historyHits != nil {
            apply(.closeHistoryHits)
            return
        }
        if case .draft = inputMode {} else if key == .escape {
            finishOneOffInput(nil)
            return
        }
        if case .model = inputMode, !modelSuggestions.isEmpty, case .arrow(let direction, _) = key,
           direction == .up || direction == .down {
            let count = modelSuggestions.count
            let step = direction == .down ? 1 : count - 1
            let next = suggestionIndex.map { ($0 + step) % count } ?? (direction == .down ? 0 : count - 1)
            suggestionIndex = next
            editor.setText(modelSuggestions[next])
            apply(.notify("model \(next + 1) of \(count): Up/Down browse, Enter opens, Esc cancels"))
            return
        }
        let pageLines = max(1, (ChatScreen.layout(state: state, editor: editor, width: terminal.size.width,
                                                  height: terminal.size.height).panes.compactMap { $0 }.first?.height ?? 12) - 3)
        let context = KeyMap.Context(state: state, draftIsEmpty: editor.isEmpty, pageLines: pageLines)
        switch KeyMap.action(for: key, in: context) {
        case .message(let message):
            apply(message)
        case .edit:
            _ = editor.handle(key)
        case .submit:
            let text = editor.submit()
            if case .draft = inputMode {
                if !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { apply(.submit(text)) }
            } else {
                finishOneOffInput(text)
            }
        case .nextTheme:
            let name = themes.next(after: state.theme)
            let (loaded, error) = themes.loadOrDefault(name, mode: terminal.colorMode)
            theme = loaded
            apply(.setTheme(name))
            if let error { apply(.notify("theme \(name): \(error)")) }
        case .openModelPicker(let purpose):
            startOneOffInput(.model(purpose, savedDraft: editor.text), notice: purpose == .newPane
                ? "new pane: Up/Down browse the \(modelSuggestions.count) known models or type PROVIDER:MODEL; Enter opens, Esc cancels"
                : "change model: Up/Down browse the \(modelSuggestions.count) known models or type PROVIDER:MODEL; Enter, Esc")
        case .editSystemPrompt(let allPanes):
            startOneOffInput(.systemPrompt(allPanes: allPanes, savedDraft: editor.text), notice: allPanes
                ? "system prompt for ALL panes: type it and Enter (empty clears; Esc cancels)"
                : "system prompt for this pane: type it and Enter (empty clears; Esc cancels)")
        case .searchHistory:
            guard recorder.isEnabled else { return apply(.notify(recorder.notice ?? "history is off")) }
            startOneOffInput(.historySearch(savedDraft: editor.text),
                             notice: "search history: type words and Enter (Esc cancels)")
        case .renameSession:
            guard recorder.isEnabled else { return apply(.notify(recorder.notice ?? "history is off")) }
            startOneOffInput(.sessionTitle(savedDraft: editor.text),
                             notice: "rename this session: type a title and Enter (Esc cancels)")
        case .openExternalEditor:
            openExternalEditor()
        case .ignore:
            dirty = false
        }
    }

    private func startOneOffInput(_ mode: InputMode, notice: String) {
        inputMode = mode
        suggestionIndex = nil
        editor.setText("")
        apply(.notify(notice))
    }

    /// Ends the picker or system-prompt input with `text` (nil: cancelled) and brings the
    /// draft back.
    private func finishOneOffInput(_ text: String?) {
        let mode = inputMode
        let answer = text?.trimmingCharacters(in: .whitespacesAndNewlines)
        switch mode {
        case .draft:
            return
        case .model(let purpose, let saved):
            guard let answer, !answer.isEmpty else {
                inputMode = .draft
                editor.setText(saved)
                apply(.notify("cancelled"))
                return
            }
            do {
                let (provider, model) = try parseModel(answer)
                inputMode = .draft
                editor.setText(saved)
                apply(purpose == .newPane ? .openPane(provider: provider, model: model)
                                          : .changeModel(provider: provider, model: model))
            } catch {
                editor.setText(answer)
                apply(.notify("\(error) (Esc cancels)"))
            }
        case .historySearch(let saved):
            inputMode = .draft
            editor.setText(saved)
            guard let answer, !answer.isEmpty, let store = recorder.store else { return apply(.notify("cancelled")) }
            do {
                // Newest sessions first; one line per session.
                var seen = Set<Int64>()
                let hits = try store.search(answer, limit: 50)
                    .filter { seen.insert($0.sessionID).inserted }
                    .prefix(20)
                    .map { HistoryHit(sessionID: $0.sessionID, title: $0.sessionTitle, snippet: $0.snippet) }
                apply(.showHistoryHits(query: answer, Array(hits)))
            } catch {
                apply(.notify("history search failed: \(error)"))
            }
        case .sessionTitle(let saved):
            inputMode = .draft
            editor.setText(saved)
            guard let answer, !answer.isEmpty, let store = recorder.store else { return apply(.notify("cancelled")) }
            guard let session = recorder.sessionID else {
                return apply(.notify("nothing is stored yet: send a prompt first, then rename the session"))
            }
            do {
                try store.renameSession(session, to: answer)
                apply(.notify("session #\(session) is now “\(answer)”"))
            } catch {
                apply(.notify("rename failed: \(error)"))
            }
        case .systemPrompt(let allPanes, let saved):
            inputMode = .draft
            editor.setText(saved)
            if let answer {
                apply(.setSystemPrompt(answer, allPanes: allPanes))
            } else {
                apply(.notify("cancelled"))
            }
        }
    }

    /// Opens `$VISUAL` / `$EDITOR` (else `vi`) on the draft and takes back what was saved.
    private func openExternalEditor() {
        let environment = ProcessInfo.processInfo.environment
        let command = environment["VISUAL"] ?? environment["EDITOR"] ?? "vi"
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("tidepool-draft-\(getpid()).md")
        do {
            try editor.text.write(to: file, atomically: true, encoding: .utf8)
        } catch {
            apply(.notify("cannot write the draft for the editor: \(error.localizedDescription)"))
            return
        }
        var status: Int32 = 0
        terminal.suspend {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "\(command) \"$1\"", "sh", file.path]
            do {
                try process.run()
                process.waitUntilExit()
                status = process.terminationStatus
            } catch {
                status = -1
            }
        }
        defer { try? FileManager.default.removeItem(at: file) }
        guard status == 0, let text = try? String(contentsOf: file, encoding: .utf8) else {
            apply(.notify("the editor (\(command)) exited with status \(status); the draft is unchanged"))
            return
        }
        var trimmed = text
        while trimmed.hasSuffix("\n") { trimmed.removeLast() }
        editor.setText(trimmed)
        apply(.notify("draft taken from \(command)"))
    }

    private static func now() -> UInt64 {
        DispatchTime.now().uptimeNanoseconds
    }
}
