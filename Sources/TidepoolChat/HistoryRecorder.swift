import Dispatch
import Foundation
import Synchronization
import TidepoolProviders
import TidepoolStore

/// Writes a chat session into the ``HistoryStore`` as it happens, from the app's own effects
/// and messages, without ever blocking the thread that calls it.
///
/// Wiring (on the UI thread, after each ``ChatApp/update(_:_:)``):
///
/// ```swift
/// let effects = ChatApp.update(&state, message)
/// recorder.record(message)
/// for effect in recorder.record(effects, in: state, thenPerform: runtime.perform) { handle(effect) }
/// ```
///
/// Every store call runs on one serial background queue, in the order the calls were made.
/// `startChat` and `cancelChat` effects are handed to `perform` once the prompt and the empty
/// answer are stored, so a prompt is on disk before its request leaves, but a request waits
/// at most ``sendDeadline`` (50 ms) for that: when another process holds the database's write
/// lock, the request is sent anyway, its write stays queued and is retried (for up to
/// ``lockRetryLimit``), and ``notice`` says history is behind. Effects are always handed over
/// in the order they were recorded, so a cancel can never overtake the start it cancels. Streamed text is kept in memory and
/// checkpointed at most once per ``checkpointInterval``; an answer's end (done, failed or
/// cancelled) stores its final text, timings and usage.
///
/// When the database could not be opened the recorder is disabled: effects pass straight
/// through, nothing is written, and ``notice`` says `history off: <reason>` for the status
/// line. Store failures later on never stop a chat either; they only change ``notice``.
public final class HistoryRecorder: Sendable {
    /// The store written to; nil when history is off.
    public let store: HistoryStore?
    /// How often, at most, a streaming answer's text is saved.
    public let checkpointInterval: Duration
    private let disabledReason: String?
    /// How long a request waits for its prompt's write before it is sent anyway.
    public let sendDeadline: Duration
    /// How long a write that finds the database locked keeps being retried before it is
    /// given up (and ``notice`` says the write failed).
    public let lockRetryLimit: Duration
    private let queue = DispatchQueue(label: "tidepool.history-recorder")
    /// Hands effects over in order, each once written or past its deadline.
    private let sender = EffectSender()
    /// The session id, readable without waiting for the queue (the UI thread never does).
    private let knownSessionID = Mutex<Int64?>(nil)
    /// Owned by ``queue``: only blocks running there lock it, so the lock is never contended.
    private let ledger: Mutex<Ledger>
    private let lastFailure = Mutex<HistoryError?>(nil)
    /// Streamed text not yet taken by ``queue`` (written by the recording thread, taken on the queue).
    private let pending = Mutex(Pending())
    /// The panes (app id and model) last seen by ``record(_:in:thenPerform:)``; only the
    /// recording thread uses it.
    private let lastLayout = Mutex<[String]?>(nil)

    /// Records into `store`. A new session is created at the first prompt, titled `title` or
    /// else after that prompt; with `session` (from `--resume`) the writes continue that
    /// session instead, its panes matched to the panes of ``AppState/init(resuming:theme:systemPrompt:)``.
    public init(store: HistoryStore, title: String? = nil, resuming session: StoredSession? = nil,
                checkpointInterval: Duration = .seconds(1), sendDeadline: Duration = .milliseconds(50),
                lockRetryLimit: Duration = .seconds(30)) {
        self.store = store
        self.checkpointInterval = checkpointInterval
        self.sendDeadline = sendDeadline
        self.lockRetryLimit = lockRetryLimit
        disabledReason = nil
        knownSessionID.withLock { $0 = session?.id }
        var ledger = Ledger(title: title)
        if let session {
            ledger.sessionID = session.id
            for (index, pane) in session.openPanes.enumerated() {
                let open = LayoutPane(id: index + 1, provider: pane.provider, model: pane.model,
                                      systemPrompt: pane.systemPrompt)
                ledger.panes[open.key] = pane.id
                ledger.byAppPane[open.id] = pane.id
                ledger.positions[pane.id] = pane.position
                ledger.layout.append(open)
            }
            ledger.nextPosition = (session.panes.map(\.position).max() ?? -1) + 1
            ledger.lastExchange = Self.lastExchanges(of: session)
        }
        self.ledger = Mutex(ledger)
    }

    /// A recorder that writes nothing, because history is off for `reason` (the message of
    /// the error that stopped the database opening, or "--no-history").
    public init(disabledBecause reason: String) {
        store = nil
        checkpointInterval = .seconds(1)
        sendDeadline = .milliseconds(50)
        lockRetryLimit = .zero
        disabledReason = reason
        ledger = Mutex(Ledger(title: nil))
    }

    /// Opens the database at `path` and records into it, or returns a disabled recorder
    /// whose ``notice`` explains why history is off (locked, damaged, newer, unwritable).
    /// `privateDirectory`: the folder of `path` is Tidepool's own (its data directory) and is
    /// made 0700 even if it already exists (see ``HistoryStore/init(path:busyTimeout:privateDirectory:)``).
    public static func open(path: String, title: String? = nil, checkpointInterval: Duration = .seconds(1),
                            privateDirectory: Bool = false) -> HistoryRecorder {
        do {
            return HistoryRecorder(store: try HistoryStore(path: path, busyTimeout: 2, privateDirectory: privateDirectory),
                                   title: title,
                                   checkpointInterval: checkpointInterval)
        } catch {
            return HistoryRecorder(disabledBecause: error.description)
        }
    }

    /// Whether anything is being written.
    public var isEnabled: Bool { store != nil }

    /// A line for the status bar when history is off, behind (requests sent before their
    /// prompts could be stored) or the last write failed; nil when all is well.
    public var notice: String? {
        if let disabledReason { return "history off: " + disabledReason }
        let behind = sender.behind
        if behind > 0 {
            return "history behind: \(behind) prompt\(behind == 1 ? "" : "s") sent before being stored "
                + "(the database is busy); still trying"
        }
        return lastFailure.withLock { $0 }.map { "history write failed: \($0.description)" }
    }

    /// The session being written, once the first prompt created it (or the resumed one).
    /// Never waits for the queue: while writes are behind it may still be nil.
    public var sessionID: Int64? {
        knownSessionID.withLock { $0 }
    }

    // MARK: Recording

    /// Records the effects `update` returned, with `state` as it is after that update (the
    /// prompts and broadcast groups are read from it). `startChat` and `cancelChat` are
    /// passed to `perform` once recorded, in order, from the background queue; the other
    /// effects (clipboard, quit) are returned for the caller to handle. Notes the open panes first (``recordPanes(_:)``).
    @discardableResult
    public func record(_ effects: [AppEffect], in state: AppState,
                       thenPerform perform: @escaping @Sendable (AppEffect) -> Void) -> [AppEffect] {
        recordPanes(state)
        var rest: [AppEffect] = []
        var steps: [Step] = []
        for effect in effects {
            switch effect {
            case .startChat(let paneID, let requestID, let provider, let request):
                steps.append(.start(Self.start(paneID: paneID, requestID: requestID, provider: provider,
                                               model: request.model, in: state), effect))
            case .cancelChat(let requestID):
                steps.append(.cancel(requestID, effect))
            default:
                rest.append(effect)
            }
        }
        guard !steps.isEmpty else { return rest }
        guard let store else {
            for step in steps { perform(step.effect) }
            return rest
        }
        let tickets = sender.enqueue(steps.map(\.effect), perform: perform)
        // A request waits for its write at most `sendDeadline`; then it goes anyway.
        let sender = self.sender
        DispatchQueue.global().asyncAfter(deadline: .now() + Self.dispatchInterval(sendDeadline)) {
            sender.deadlinePassed(tickets)
        }
        queue.async { [self, steps] in
            for (step, ticket) in zip(steps, tickets) {
                switch step {
                case .start(let start, _):
                    if let start {
                        attempt { () throws(HistoryError) in
                            try retryingWhileLocked { () throws(HistoryError) in try self.begin(start, store: store) }
                        }
                    }
                case .cancel(let requestID, _):
                    attempt { () throws(HistoryError) in
                        try retryingWhileLocked { () throws(HistoryError) in
                            try self.finish(requestID, status: .cancelled, error: nil, store: store)
                        }
                    }
                }
                sender.written(ticket)
            }
        }
        return rest
    }

    /// Notes which panes are open with which model, after any update (cheap when nothing
    /// changed): a pane closed or given another model is marked so in the store, so
    /// `--resume` reopens exactly the panes open at quit with their current models.
    public func recordPanes(_ state: AppState) {
        guard let store else { return }
        let layout = state.panes.map {
            LayoutPane(id: $0.id, provider: $0.provider, model: $0.model, systemPrompt: $0.systemPrompt ?? state.systemPrompt)
        }
        let keys = layout.map(\.key)
        let changed = lastLayout.withLock { last -> Bool in
            defer { last = keys }
            return last != keys
        }
        guard changed else { return }
        queue.async { [self] in
            attempt { () throws(HistoryError) in
                try retryingWhileLocked { () throws(HistoryError) in try self.syncLayout(layout, store: store) }
            }
        }
    }

    /// Records what the network reported: streamed text and reasoning (checkpointed), usage
    /// and timings, and the end of an answer. Other messages are ignored.
    public func record(_ message: AppMessage) {
        guard let store else { return }
        switch message {
        case .chatEvent(_, let request, .textDelta(let text)):
            appendPending(request: request, text: text, reasoning: "")
        case .chatEvent(_, let request, .reasoningDelta(let text)):
            appendPending(request: request, text: "", reasoning: text)
        case .chatEvent(_, let request, let event):
            queue.async { [self] in attempt { () throws(HistoryError) in try self.apply(event, request: request, store: store) } }
        case .chatEnded(_, let request):
            queue.async { [self] in
                attempt { () throws(HistoryError) in
                    try retryingWhileLocked { () throws(HistoryError) in
                        try self.finish(request, status: .complete, error: nil, store: store)
                    }
                }
            }
        case .chatFailed(_, let request, let text):
            queue.async { [self] in
                attempt { () throws(HistoryError) in
                    try retryingWhileLocked { () throws(HistoryError) in
                        try self.finish(request, status: .error, error: text, store: store)
                    }
                }
            }
        default:
            break
        }
    }

    /// Stores `vote` beside its broadcast's prompt (on the queue, so after the prompt itself).
    /// A broadcast of this run is found by its group; one of a resumed session by
    /// ``BroadcastVote/storedPromptID``. A failure shows in ``notice``.
    public func recordVote(_ vote: BroadcastVote) {
        guard let store else { return }
        queue.async { [self] in
            attempt { () throws(HistoryError) in
                let known = ledger.withLock { $0.prompts["group \(vote.group)"] }
                guard let promptID = known ?? vote.storedPromptID else {
                    throw HistoryError.invalidVote(reason: "the broadcast was never stored (history was behind or off)")
                }
                try retryingWhileLocked { () throws(HistoryError) in
                    try store.recordVote(promptID: promptID, verdict: vote.verdict, note: vote.note)
                }
            }
        }
    }

    /// The last write failure, if any (for a command that must report it, e.g. `compare --winner`).
    public var lastWriteFailure: HistoryError? {
        lastFailure.withLock { $0 }
    }

    /// Blocks until everything recorded so far is written: for quitting and for tests.
    public func waitUntilWritten() {
        guard let store else { return queue.sync {} }
        queue.sync { attempt { () throws(HistoryError) in try flushPending(store: store) } }
    }

    /// Streamed text waits here, one growing entry per request, until the queue takes it all
    /// in one step (at most ``pendingDelay`` later): a token costs one append under an
    /// uncontended lock instead of a block on the queue, and a queue that falls behind holds
    /// one pending append per request rather than a backlog of blocks.
    private func appendPending(request: Int, text: String, reasoning: String) {
        let schedule = pending.withLock { pending -> Bool in
            pending.deltas[request, default: PendingDelta()].text += text
            pending.deltas[request, default: PendingDelta()].reasoning += reasoning
            defer { pending.flushScheduled = true }
            return !pending.flushScheduled
        }
        guard schedule, let store else { return }
        let flush: @Sendable () -> Void = { [self] in
            attempt { () throws(HistoryError) in try self.flushPending(store: store) }
        }
        let delay = min(checkpointInterval, Self.pendingDelay)
        guard delay > .zero else { return queue.async(execute: flush) }
        queue.asyncAfter(deadline: .now() + Self.dispatchInterval(delay), execute: flush)
    }

    /// `duration` as Dispatch counts time.
    private static func dispatchInterval(_ duration: Duration) -> DispatchTimeInterval {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(Int(clamping: seconds * 1_000_000_000 + attoseconds / 1_000_000_000))
    }

    /// How long streamed text waits, at most, before the queue takes it (or the checkpoint
    /// interval, if shorter). Taking it once per frame woke the queue's thread 30 times a
    /// second per stream burst, and a wake-up is costly (on a VM, an inter-processor
    /// interrupt); the text reaches the disk only at a checkpoint anyway. Anything else
    /// the queue does (an event, an answer's end, ``waitUntilWritten()``) takes it first.
    static let pendingDelay: Duration = .milliseconds(100)

    // MARK: Work on the queue

    /// Applies every pending append (on the queue; before any other event, so order holds).
    private func flushPending(store: HistoryStore) throws(HistoryError) {
        let deltas = pending.withLock { pending -> [Int: PendingDelta] in
            pending.flushScheduled = false
            defer { pending.deltas.removeAll(keepingCapacity: true) }
            return pending.deltas
        }
        for (request, delta) in deltas {
            try append(delta, request: request, store: store)
        }
    }

    /// Appends streamed text to an answer in place (never `var copy = ...; copy.text += ...`,
    /// which would copy the whole answer per append) and checkpoints at most once per interval.
    private func append(_ delta: PendingDelta, request: Int, store: HistoryStore) throws(HistoryError) {
        let interval = checkpointInterval
        try ledger.withLock { ledger throws(HistoryError) in
            guard ledger.answers[request] != nil else { return }
            if !delta.text.isEmpty { ledger.answers[request]!.text += delta.text }
            if !delta.reasoning.isEmpty { ledger.answers[request]!.reasoning += delta.reasoning }
            try checkpointIfDue(&ledger.answers[request]!, interval: interval, store: store)
        }
    }

    private func checkpointIfDue(_ answer: inout Answer, interval: Duration, store: HistoryStore) throws(HistoryError) {
        let now = ContinuousClock.now
        guard answer.lastCheckpoint.duration(to: now) >= interval else { return }
        answer.lastCheckpoint = now
        try store.checkpoint(messageID: answer.messageID, text: answer.text,
                             reasoning: answer.reasoning.isEmpty ? nil : answer.reasoning)
    }

    /// Takes the panes now open (on the queue, in order with the starts): panes that went
    /// away are forgotten, and once the session exists the store follows (see ``reconcile``).
    private func syncLayout(_ layout: [LayoutPane], store: HistoryStore) throws(HistoryError) {
        try ledger.withLock { ledger throws(HistoryError) in
            let stillOpen = Set(layout.map(\.id))
            for id in ledger.layout.map(\.id) where !stillOpen.contains(id) {
                // Closed for good: a later pane reusing this app id starts afresh.
                ledger.byAppPane.removeValue(forKey: id)
                ledger.lastExchange.removeValue(forKey: id)
            }
            ledger.layout = layout
            try reconcile(&ledger, store: store)
        }
    }

    /// Makes the session's open stored panes match the open app panes: a stored pane whose
    /// app pane closed or changed model is closed, and every open app pane without one gets
    /// one (after a model change, at the same position, continuing the one it replaces).
    /// Each store call commits on its own and is noted at once, so a retry carries on.
    private func reconcile(_ ledger: inout Ledger, store: HistoryStore) throws(HistoryError) {
        guard let sessionID = ledger.sessionID else { return }
        let openKeys = Set(ledger.layout.map(\.key))
        for (key, storeID) in ledger.panes.sorted(by: { $0.value < $1.value }) where !openKeys.contains(key) {
            try store.closePane(storeID)
            ledger.panes.removeValue(forKey: key)
        }
        for pane in ledger.layout where ledger.panes[pane.key] == nil {
            let previous = ledger.byAppPane[pane.id]
            let position = previous.flatMap { ledger.positions[$0] } ?? ledger.nextPosition
            let storeID = try store.addPane(sessionID: sessionID, position: position, provider: pane.provider,
                                            model: pane.model, systemPrompt: pane.systemPrompt, continuing: previous)
            if position == ledger.nextPosition { ledger.nextPosition += 1 }
            ledger.panes[pane.key] = storeID
            ledger.byAppPane[pane.id] = storeID
            ledger.positions[storeID] = position
        }
    }

    private func begin(_ start: Start, store: HistoryStore) throws(HistoryError) {
        try ledger.withLock { ledger throws(HistoryError) in
            // Each store call below commits on its own and is noted in the ledger at once, so
            // a retry after a lock timeout carries on where the last attempt stopped.
            let sessionID: Int64
            if let existing = ledger.sessionID {
                sessionID = existing
            } else {
                sessionID = try store.createSession(title: ledger.title ?? Self.title(from: start.prompt))
                ledger.sessionID = sessionID
                knownSessionID.withLock { $0 = sessionID }
            }
            // Every open pane is stored, not only those that send: all of them reopen.
            try reconcile(&ledger, store: store)
            let paneKey = Ledger.paneKey(start.paneID, start.label)
            let paneID: Int64
            if let existing = ledger.panes[paneKey] {
                paneID = existing
            } else {
                paneID = try store.addPane(sessionID: sessionID, position: ledger.nextPosition, provider: start.provider,
                                           model: start.model, systemPrompt: start.systemPrompt)
                ledger.positions[paneID] = ledger.nextPosition
                ledger.nextPosition += 1
                ledger.panes[paneKey] = paneID
                ledger.byAppPane[start.paneID] = paneID
            }
            // One prompt record per broadcast group, else per prompt turn (a retry re-sends it).
            let promptKey = start.group.map { "group \($0)" } ?? "turn \(start.promptTurnID)"
            let promptID: Int64
            if let existing = ledger.prompts[promptKey] {
                promptID = existing
            } else {
                promptID = try store.recordUserMessage(
                    sessionID: sessionID, text: start.prompt, paneID: start.group == nil ? paneID : nil,
                    broadcast: start.group != nil, attachments: start.attachments)
                ledger.prompts[promptKey] = promptID
            }
            // A resend marks the exchange it replaces in this pane (idempotent, so a retry
            // after a lock timeout may run it again).
            if start.replacesLastExchange, let previous = ledger.lastExchange[start.paneID],
               previous.prompt != promptID
            {
                try store.supersede(promptID: previous.prompt, includingPrompt: previous.promptIsPaneOwn,
                                    answerIDs: previous.answers, by: promptID)
            }
            let messageID = try store.beginAssistantMessage(
                sessionID: sessionID, paneID: paneID, provider: start.provider, model: start.model, replyTo: promptID)
            ledger.answers[start.requestID] = Answer(messageID: messageID, lastCheckpoint: .now)
            if ledger.lastExchange[start.paneID]?.prompt == promptID {
                ledger.lastExchange[start.paneID]!.answers.append(messageID)
            } else {
                ledger.lastExchange[start.paneID] = Exchange(
                    prompt: promptID, promptIsPaneOwn: start.group == nil, answers: [messageID])
            }
        }
    }

    private func apply(_ event: ChatEvent, request: Int, store: HistoryStore) throws(HistoryError) {
        try flushPending(store: store)
        let interval = checkpointInterval
        try ledger.withLock { ledger throws(HistoryError) in
            guard ledger.answers[request] != nil else { return }
            switch event {
            case .textDelta(let text): ledger.answers[request]!.text += text
            case .reasoningDelta(let text): ledger.answers[request]!.reasoning += text
            case .usage(let input, let output):
                if let input { ledger.answers[request]!.usage.inputTokens = input }
                if let output { ledger.answers[request]!.usage.outputTokens = output }
            case .finish: break
            case .timings(let timings):
                ledger.answers[request]!.timings = MessageTimings(
                    timeToFirstToken: timings.timeToFirstToken, total: timings.total,
                    tokensPerSecond: timings.tokensPerSecond)
                if ledger.answers[request]!.usage.outputTokens == nil {
                    ledger.answers[request]!.usage.outputTokens = timings.outputTokens
                }
            }
            try checkpointIfDue(&ledger.answers[request]!, interval: interval, store: store)
        }
    }

    private func finish(_ request: Int, status: MessageStatus, error: String?, store: HistoryStore) throws(HistoryError) {
        try flushPending(store: store)
        try ledger.withLock { ledger throws(HistoryError) in
            // Removed once stored (or failed for good): a late event or a second end for this
            // request is then ignored. Kept while the database is locked, for the retry.
            guard let answer = ledger.answers[request] else { return }
            do throws(HistoryError) {
                try store.completeAssistantMessage(
                    answer.messageID, text: answer.text, reasoning: answer.reasoning.isEmpty ? nil : answer.reasoning,
                    status: status, error: error, timings: answer.timings, usage: answer.usage)
            } catch let failure {
                if case .locked = failure {} else { ledger.answers.removeValue(forKey: request) }
                throw failure
            }
            ledger.answers.removeValue(forKey: request)
        }
    }

    /// Runs `body` again while it fails because another process holds the write lock (each
    /// try already waited the store's busy timeout), for up to ``lockRetryLimit``.
    private func retryingWhileLocked(_ body: () throws(HistoryError) -> Void) throws(HistoryError) {
        let clock = ContinuousClock()
        let giveUp = clock.now.advanced(by: lockRetryLimit)
        while true {
            do throws(HistoryError) {
                return try body()
            } catch {
                guard case .locked = error, clock.now < giveUp else { throw error }
                // A store with a zero busy timeout fails at once: do not spin.
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
    }

    private func attempt(_ body: () throws(HistoryError) -> Void) {
        do {
            try body()
        } catch {
            lastFailure.withLock { $0 = error }
        }
    }

    // MARK: Values

    /// What is needed to store one started request, read from the state on the caller's thread.
    struct Start: Sendable {
        var paneID: Int
        var requestID: Int
        var provider: String
        var model: String
        var systemPrompt: String?
        var prompt: String
        var promptTurnID: Int
        var group: Int?
        var attachments: [StoredAttachment] = []
        var replacesLastExchange = false
        var label: String { "\(provider):\(model)" }
    }

    private enum Step: Sendable {
        case start(Start?, AppEffect)
        case cancel(Int, AppEffect)

        var effect: AppEffect {
            switch self {
            case .start(_, let effect), .cancel(_, let effect): effect
            }
        }
    }

    /// An answer being streamed: the store's row and the text so far.
    struct Answer: Sendable {
        var messageID: Int64
        var text = ""
        var reasoning = ""
        var timings = MessageTimings()
        var usage = TokenUsage()
        var lastCheckpoint: ContinuousClock.Instant
    }

    /// A prompt's stored id and this pane's answers to it.
    struct Exchange: Sendable, Equatable {
        var prompt: Int64
        /// The prompt went to this pane alone (not a broadcast shared with other panes).
        var promptIsPaneOwn: Bool
        var answers: [Int64]
    }

    /// Streamed text of one request waiting for the queue.
    struct PendingDelta: Sendable {
        var text = ""
        var reasoning = ""
    }

    /// Appends waiting for the queue, and whether a block to take them is already queued.
    struct Pending: Sendable {
        var deltas: [Int: PendingDelta] = [:]
        var flushScheduled = false
    }

    /// An open app pane as the store needs it.
    struct LayoutPane: Sendable, Equatable {
        var id: Int
        var provider: String
        var model: String
        var systemPrompt: String?
        var key: String { Ledger.paneKey(id, "\(provider):\(model)") }
    }

    /// What the queue remembers between calls: app ids mapped to store ids.
    struct Ledger: Sendable {
        var title: String?
        var sessionID: Int64?
        /// Open store pane ids by app pane id and `provider:model` (a pane switching model becomes
        /// a new stored pane, so every answer stays next to the model that wrote it).
        var panes: [String: Int64] = [:]
        /// The latest store pane of each open app pane (what a model change continues).
        var byAppPane: [Int: Int64] = [:]
        /// Position of each store pane created or resumed here.
        var positions: [Int64: Int] = [:]
        /// The app panes open now, in screen order.
        var layout: [LayoutPane] = []
        var nextPosition = 0
        /// Prompt message ids by broadcast group or prompt turn.
        var prompts: [String: Int64] = [:]
        /// Answers in flight by request id.
        var answers: [Int: Answer] = [:]
        /// Each app pane's last exchange: what a resend there supersedes.
        var lastExchange: [Int: Exchange] = [:]

        static func paneKey(_ paneID: Int, _ label: String) -> String { "\(paneID) \(label)" }
    }

    static func start(paneID: Int, requestID: Int, provider: String, model: String, in state: AppState) -> Start? {
        guard let pane = state.panes.first(where: { $0.id == paneID }),
              let answerIndex = pane.turns.lastIndex(where: { $0.id == requestID }),
              let prompt = pane.turns[..<answerIndex].last(where: { $0.role == .user }) else { return nil }
        return Start(
            paneID: paneID, requestID: requestID, provider: provider, model: model,
            systemPrompt: pane.systemPrompt ?? state.systemPrompt, prompt: prompt.text, promptTurnID: prompt.id,
            group: pane.turns[answerIndex].broadcastGroup, attachments: prompt.attachments,
            replacesLastExchange: prompt.replacesLastExchange)
    }

    /// For a resumed session, each open pane's (app id 1, 2, ...) last live exchange: what a
    /// resend there replaces.
    static func lastExchanges(of session: StoredSession) -> [Int: Exchange] {
        let paneIndex = session.openPaneIndexByPaneID
        let byID = Dictionary(uniqueKeysWithValues: session.messages.map { ($0.id, $0) })
        var result: [Int: Exchange] = [:]
        for message in session.messages.reversed() where message.role == .assistant && message.supersededBy == nil {
            guard let index = message.paneID.flatMap({ paneIndex[$0] }), result[index + 1] == nil,
                  let promptID = message.replyTo else { continue }
            let answers = session.messages.filter {
                $0.role == .assistant && $0.replyTo == promptID && $0.supersededBy == nil
                    && $0.paneID.flatMap { paneIndex[$0] } == index
            }.map(\.id)
            result[index + 1] = Exchange(prompt: promptID, promptIsPaneOwn: byID[promptID]?.paneID != nil, answers: answers)
        }
        return result
    }

    /// The first line of the first prompt, cut to 60 characters.
    static func title(from prompt: String) -> String {
        let line = prompt.split(whereSeparator: \.isNewline).first.map(String.init) ?? prompt
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return trimmed.count > 60 ? String(trimmed.prefix(59)) + "…" : trimmed
    }
}
