import Dispatch
import Foundation
import Synchronization
import TidepoolChat
import TidepoolPool

/// The chat screen's loop: the one thread that owns the terminal and the ``ChatProgram``. Keys
/// become messages (``KeyMap``) and network messages arrive through the ``Inbox``; the program
/// updates the state and carries out the effects, handing the terminal's share to this loop
/// (its ``ChatHost``). Frames are drawn at most about 30 times a second, and only when
/// something changed. With nothing happening the loop sleeps in the terminal's `nextInput`
/// with no timeout, so an idle screen uses no CPU.
public final class ChatLoop: ChatHost {
    /// Messages posted from other threads (the chat runtime), taken by the loop; streamed
    /// text is coalesced per request (see ``ChatInbox``).
    public typealias Inbox = ChatInbox

    /// Set from a signal handler's queue, read by the loop.
    public final class StopRequest: Sendable {
        private let flag = Atomic<Bool>(false)
        /// A request not yet made.
        public init() {}
        /// Asks the loop to stop. Safe from any thread.
        public func request() { flag.store(true, ordering: .relaxed) }
        /// Whether stopping was asked for.
        public var isRequested: Bool { flag.load(ordering: .relaxed) }
    }

    /// Frames are at least this far apart (about 30 per second).
    static let frameInterval: UInt64 = 33_000_000
    /// While anything is in flight the pool panel refreshes at least this often.
    static let statsInterval: UInt64 = 400_000_000

    /// The program whose state is shown.
    public let program: ChatProgram
    private let terminal: any TerminalBackend
    private let inbox: Inbox
    private let poolStats: () -> PoolManagerStats
    private let themes: ThemeCache
    private let stopRequested: StopRequest
    private let editorCommand: String
    private let temporaryDirectory: URL
    private var themeName: String
    /// Rendered turns kept between frames: a frame redoes only what changed.
    private let transcriptCache = TranscriptCache()
    /// The last frame presented, and the one before it, which the next frame is drawn into
    /// (its grid reused instead of allocated).
    private var shown: Screen?
    private var canvas: Screen?
    /// The recorder's notice last put on the status line (the opening one is shown at start).
    private var lastHistoryNotice: String?
    private var dirty = true
    private var lastFrame: UInt64 = 0
    private var lastStats: UInt64 = 0
    private var running = true
    /// A request started or ended: the panel must show it even if nothing else streams.
    private var statsDue = false

    /// Creates the loop and makes it `program`'s host.
    /// - Parameters:
    ///   - poolStats: a snapshot of the pool for the side panel (`PoolManager.stats`).
    ///   - environment: `$VISUAL` / `$EDITOR` name the external editor (else `vi`).
    public init(program: ChatProgram, terminal: any TerminalBackend, inbox: Inbox,
                poolStats: @escaping () -> PoolManagerStats, themes: ThemeCatalog, stopRequested: StopRequest,
                environment: [String: String], temporaryDirectory: URL = FileManager.default.temporaryDirectory) {
        self.program = program
        self.terminal = terminal
        self.inbox = inbox
        self.poolStats = poolStats
        self.themes = ThemeCache(catalog: themes)
        self.stopRequested = stopRequested
        editorCommand = environment["VISUAL"] ?? environment["EDITOR"] ?? "vi"
        self.temporaryDirectory = temporaryDirectory
        themeName = program.state.theme
        lastHistoryNotice = program.recorder.notice
        program.host = self
        program.configure { state in
            state.themeNames = themes.names
            state.input.columnWidth = { TextWidth.width(of: $0) }
        }
        if let error = self.themes.theme(named: themeName, mode: terminal.colorMode).1 {
            program.configure { $0.notice = "theme: \(error)" }
        }
    }

    /// Runs until the user quits or a signal asks to stop.
    public func run() {
        refreshStats(now: Self.now())
        while running {
            if stopRequested.isRequested { break }
            let now = Self.now()
            if dirty && now &- lastFrame >= Self.frameInterval { draw(now: now) }
            let after = Self.now()
            // Idle, or streaming with the next frame already due (the last one ran late, or
            // nothing arrived for a frame): the next message wakes the loop, and is drawn at
            // once. Streaming otherwise: the loop takes the inbox when the frame is due, so
            // tokens never wake it one by one (at most one wake-up per frame either way).
            if !dirty && (!program.state.isStreaming || after &- lastFrame >= Self.frameInterval) { inbox.arm() }
            let keys = terminal.nextInput(timeoutNanoseconds: timeout(now: after))
            for message in inbox.drain() { send(message) }
            for key in keys where running { handle(key) }
            showHistoryNoticeChange()
            let taken = Self.now()
            if statsDue || (needsStats && taken &- lastStats >= Self.statsInterval) { refreshStats(now: taken) }
        }
        program.runtime.cancelAll()
    }

    // MARK: Timing

    private var needsStats: Bool {
        program.state.isStreaming || (program.state.pool?.total.inFlight ?? 0) > 0 || program.runtime.inFlight > 0
    }

    /// How long `nextInput` may sleep: until the next frame is due when one is pending or
    /// while streaming (the inbox is then not armed; once that time has passed it is, and a
    /// frame from now bounds the wait), until the next stats refresh while requests are in
    /// flight, else forever.
    private func timeout(now: UInt64) -> Int64 {
        var deadline: UInt64?
        if dirty {
            deadline = lastFrame &+ Self.frameInterval
        } else if program.state.isStreaming {
            // One frame after the last one began; a frame from now if that has passed (the
            // inbox is armed then: a message ends the wait at once), so a stalled stream
            // never spins.
            let due = lastFrame &+ Self.frameInterval
            deadline = due > now ? due : now &+ Self.frameInterval
        }
        if needsStats {
            let next = lastStats &+ Self.statsInterval
            deadline = min(deadline ?? next, next)
        }
        guard let deadline else { return -1 }
        return deadline <= now ? 0 : Int64(min(1_000_000_000, deadline - now))
    }

    private func refreshStats(now: UInt64) {
        lastStats = now
        statsDue = false
        send(.poolStats(poolStats()))
    }

    private func draw(now: UInt64) {
        let size = terminal.size
        let theme = themes.theme(named: program.state.theme, mode: terminal.colorMode).0
        var editor = program.state.input.editor
        let frame = ChatScreen.render(state: program.state, editor: &editor, theme: theme, width: size.width,
                                      height: size.height, cache: transcriptCache, canvas: &canvas)
        // Only the editor's scroll position changed: keep it for the next frame.
        program.configure { $0.input.editor = editor }
        terminal.present(frame.screen, cursor: frame.cursor)
        // The terminal now holds this frame; the one before it is free to draw the next into.
        canvas = shown
        shown = frame.screen
        lastFrame = now
        dirty = false
    }

    /// Puts a change of the recorder's notice (history behind, a write failed, caught up) on
    /// the status line.
    private func showHistoryNoticeChange() {
        let notice = program.recorder.notice
        guard notice != lastHistoryNotice else { return }
        let wasBehind = lastHistoryNotice?.hasPrefix("history behind") ?? false
        lastHistoryNotice = notice
        if let notice {
            send(.notify(notice))
        } else if wasBehind {
            send(.notify("history caught up"))
        }
    }

    // MARK: Messages and keys

    private func send(_ message: AppMessage) {
        let effects = program.send(message)
        dirty = true
        switch message {
        // A server reading comes once a second while its server is in use: refresh the pool's
        // figures with it, so the last minute's rates keep moving after a stream ended.
        case .chatEnded, .chatFailed, .serverReading: statsDue = true
        default: break
        }
        if effects.contains(where: { if case .startChat = $0 { true } else { false } }) {
            statsDue = true
        }
        if program.state.theme != themeName {
            themeName = program.state.theme
            if let error = themes.theme(named: themeName, mode: terminal.colorMode).1 {
                send(.notify("theme \(themeName): \(error)"))
            }
        }
    }

    private func handle(_ key: Key) {
        dirty = true
        if key == .resize {
            terminal.invalidate()
            return
        }
        let state = program.state
        if state.historyHits != nil { return send(.closeHistoryHits) }
        if state.input.mode != .prompt && key == .escape { return send(.cancelInput) }
        let size = terminal.size
        let pageLines = max(1, (ChatScreen.layout(state: state, editor: state.input.editor, width: size.width,
                                                  height: size.height).panes.compactMap { $0 }.first?.height ?? 12) - 3)
        let context = KeyMap.Context(state: state, draftIsEmpty: state.input.editor.isEmpty, pageLines: pageLines)
        switch KeyMap.action(for: key, in: context) {
        case .message(let message): send(message)
        case .edit: if let command = LineEditor.command(for: key) { send(.edit(command)) }
        case .submit: send(.submitInput)
        case .nextTheme: send(.nextTheme)
        case .openModelPicker(let purpose): send(.beginInput(.model(purpose)))
        case .editSystemPrompt(let allPanes): send(.beginInput(.systemPrompt(allPanes: allPanes)))
        case .searchHistory: send(.beginInput(.historySearch))
        case .renameSession: send(.beginInput(.sessionTitle))
        case .openExternalEditor: send(.openExternalEditor)
        case .ignore: dirty = false
        }
    }

    // MARK: ChatHost

    /// Puts what the screen shows of `text` on the clipboard (OSC 52): the sanitised text, so
    /// a sequence hidden in an answer (an end of bracketed paste, an OSC) never reaches the
    /// clipboard and, from there, a shell.
    public func copyToClipboard(_ text: String) {
        let shown = TerminalSanitizer.sanitize(text)
        terminal.sendControl("\u{1B}]52;c;\(Data(shown.utf8).base64EncodedString())\u{07}")
    }

    public func quit() {
        running = false
    }

    /// Writes the draft to a file, runs `$VISUAL` / `$EDITOR` on it in the terminal's
    /// foreground, and reads back what was saved.
    public func runExternalEditor(draft: String) -> AppMessage {
        dirty = true
        let file = temporaryDirectory.appendingPathComponent("tidepool-draft-\(getpid()).md")
        do {
            try draft.write(to: file, atomically: true, encoding: .utf8)
        } catch {
            return .draftEdited(nil, notice: "cannot write the draft for the editor: \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(at: file) }
        let status = terminal.runInForeground(["/bin/sh", "-c", "\(editorCommand) \"$1\"", "sh", file.path])
        guard status == 0, let text = try? String(contentsOf: file, encoding: .utf8) else {
            return .draftEdited(nil, notice: "the editor (\(editorCommand)) exited with status \(status); the draft is unchanged")
        }
        var trimmed = text
        while trimmed.hasSuffix("\n") { trimmed.removeLast() }
        return .draftEdited(trimmed, notice: "draft taken from \(editorCommand)")
    }

    private static func now() -> UInt64 {
        DispatchTime.now().uptimeNanoseconds
    }
}
