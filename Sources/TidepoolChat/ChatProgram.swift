import TidepoolProviders

/// The chat as one program, in the way of Bubble Tea: it owns the ``AppState``, runs every
/// message through ``ChatApp/update(_:_:)`` and the ``HistoryRecorder``, and is the one place
/// that carries out ``AppEffect``s: requests go to the ``ChatRuntime`` once the recorder has
/// stored their prompt; history searches and renames go to the store; what needs the terminal
/// goes to the ``ChatHost``. Effects that finish at once send their result back as a message,
/// as a Bubble Tea command does. The chat screen and `tidepool compare` both run one.
///
/// Not thread-safe: one thread (the UI thread, or the compare command's task) owns it; the
/// runtime posts its messages to that thread, which passes them to ``send(_:)``.
public final class ChatProgram {
    /// The state after every message so far.
    public private(set) var state: AppState
    /// Stores the conversation as it happens.
    public let recorder: HistoryRecorder
    /// Streams the chats.
    public let runtime: ChatRuntime
    /// The screen's side of the effects; nil outside the screen (they are then dropped).
    public weak var host: (any ChatHost)?
    private let resolveModel: (String) throws -> (provider: String, model: String)
    private let adjustRequest: (inout ChatRequest) -> Void

    /// Creates a program; `resolveModel` checks a picked `provider:model` (the catalogue's
    /// `parse`) and throws an error whose text tells the user what is wrong. `adjustRequest`
    /// sets what a command line chooses for every request (`ask --temperature`, ...) before the
    /// request is recorded and sent.
    public init(state: AppState, recorder: HistoryRecorder, runtime: ChatRuntime,
                resolveModel: @escaping (String) throws -> (provider: String, model: String),
                adjustRequest: @escaping (inout ChatRequest) -> Void = { _ in }) {
        self.state = state
        self.recorder = recorder
        self.runtime = runtime
        self.resolveModel = resolveModel
        self.adjustRequest = adjustRequest
        if !recorder.isEnabled && self.state.historyUnavailable == nil {
            self.state.historyUnavailable = recorder.notice ?? "history is off"
        }
    }

    /// Applies `message`, records it, and carries out the effects (and any message they send
    /// back at once). Returns the effects of `message` itself.
    @discardableResult
    public func send(_ message: AppMessage) -> [AppEffect] {
        let effects = ChatApp.update(&state, message)
        recorder.record(message)
        recorder.recordPanes(state)
        for effect in effects { perform(effect) }
        return effects
    }

    /// Changes the state outside a message (set-up: theme names, the terminal's column rule).
    public func configure(_ change: (inout AppState) -> Void) {
        change(&state)
    }

    /// Stores a request effect first (the prompt is on disk before its request leaves), then
    /// hands it to the runtime from the recorder's queue, in order.
    private func record(_ effect: AppEffect) {
        let runtime = self.runtime
        recorder.record([effect], in: state, thenPerform: { runtime.perform($0) })
    }

    /// The one interpreter of effects.
    private func perform(_ effect: AppEffect) {
        switch effect {
        case .startChat(let pane, let requestID, let provider, var request):
            adjustRequest(&request)
            record(.startChat(pane: pane, requestID: requestID, provider: provider, request: request))
        case .cancelChat:
            record(effect)
        case .copyToClipboard(let text):
            host?.copyToClipboard(text)
        case .quit:
            host?.quit()
        case .resolveModel(let text, let purpose):
            do {
                let (provider, model) = try resolveModel(text)
                send(purpose == .newPane ? .openPane(provider: provider, model: model)
                                         : .changeModel(provider: provider, model: model))
            } catch {
                send(.inputRejected(.model(purpose), text: text, reason: "\(error)"))
            }
        case .searchHistory(let query):
            guard let store = recorder.store else {
                send(.notify("cancelled"))
                return
            }
            do {
                // Newest sessions first; one line per session.
                var seen = Set<Int64>()
                let hits = try store.search(query, limit: 50)
                    .filter { seen.insert($0.sessionID).inserted }
                    .prefix(20)
                    .map { HistoryHit(sessionID: $0.sessionID, title: $0.sessionTitle, snippet: $0.snippet) }
                send(.showHistoryHits(query: query, Array(hits)))
            } catch {
                send(.notify("history search failed: \(error)"))
            }
        case .renameSession(let title):
            guard let store = recorder.store else {
                send(.notify("cancelled"))
                return
            }
            guard let session = recorder.sessionID else {
                send(.notify("nothing is stored yet: send a prompt first, then rename the session"))
                return
            }
            do {
                try store.renameSession(session, to: title)
                send(.notify("session #\(session) is now “\(title)”"))
            } catch {
                send(.notify("rename failed: \(error)"))
            }
        case .recordVote(let vote):
            recorder.recordVote(vote)
        case .loadLeaderboard:
            guard let store = recorder.store else {
                send(.notify("the leaderboard reads the votes in the history, which is off"))
                return
            }
            do {
                send(.showLeaderboard(Leaderboard(broadcasts: try store.votedBroadcasts())))
            } catch {
                send(.notify("cannot read the votes: \(error)"))
            }
        case .runExternalEditor(let draft):
            guard let host else { return }
            send(host.runExternalEditor(draft: draft))
        }
    }
}
