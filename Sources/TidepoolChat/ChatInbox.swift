import Synchronization
import TidepoolProviders

/// Messages on their way to the UI thread, posted from any thread (the chat runtime's tasks).
///
/// Streamed text is coalesced: while the UI thread has not taken the queue, every text (or
/// reasoning) delta of a request is appended to that request's one pending delta instead of
/// queueing an event per token. So the UI thread applies all text that arrived between two
/// frames in one step, and if it falls behind the queue holds one growing append per request
/// rather than a backlog of events. Other events of a request (usage, timings, its end) keep
/// their order relative to its text: a delta posted after one of them starts a new entry.
///
/// Waking is explicit: a post wakes the owner only when the owner ``arm()``ed the inbox
/// before going to sleep with nothing else to do; while it is streaming it polls once per
/// frame instead, so a stream of tokens costs at most one wake-up per frame.
public final class ChatInbox: Sendable {
    private struct Pending {
        var entries: [Entry] = []
        /// Per request, the entry its next text or reasoning delta may grow.
        var openText: [Int: Int] = [:]
        var openReasoning: [Int: Int] = [:]
        var armed = true
        /// Chunks posted since the last drain (each delta counts, coalesced or not).
        var chunks = 0
    }

    /// One queued message; a delta is kept apart so it can grow in place.
    private struct Entry {
        var message: AppMessage?
        var delta: Delta?
    }

    private struct Delta {
        var pane: Int
        var request: Int
        var reasoning: Bool
        var text: String
    }

    private let pending = Mutex(Pending())
    private let wake: @Sendable () -> Void

    /// Creates an inbox; `wake` makes the owner's wait return (e.g. ``UIWaker``'s `wake`).
    public init(wake: @escaping @Sendable () -> Void) {
        self.wake = wake
    }

    /// Queues `message` (growing the request's pending delta where possible) and wakes the
    /// owner if it armed the inbox. Safe from any thread.
    public func post(_ message: AppMessage) {
        let shouldWake = pending.withLock { pending -> Bool in
            switch message {
            case .chatEvent(let pane, let request, .textDelta(let text)):
                pending.chunks += 1
                if let index = pending.openText[request] {
                    pending.entries[index].delta!.text += text
                } else {
                    pending.openText[request] = pending.entries.count
                    pending.entries.append(Entry(delta: Delta(pane: pane, request: request, reasoning: false, text: text)))
                }
            case .chatEvent(let pane, let request, .reasoningDelta(let text)):
                pending.chunks += 1
                if let index = pending.openReasoning[request] {
                    pending.entries[index].delta!.text += text
                } else {
                    pending.openReasoning[request] = pending.entries.count
                    pending.entries.append(Entry(delta: Delta(pane: pane, request: request, reasoning: true, text: text)))
                }
            default:
                if let request = message.request {
                    pending.openText[request] = nil
                    pending.openReasoning[request] = nil
                }
                pending.entries.append(Entry(message: message))
            }
            defer { pending.armed = false }
            return pending.armed
        }
        if shouldWake { wake() }
    }

    /// Takes everything queued, in order, each request's deltas as one message each.
    public func drain() -> [AppMessage] {
        drainCounting().messages
    }

    /// Like ``drain()``, also saying how many chunks were posted (before coalescing).
    public func drainCounting() -> (messages: [AppMessage], chunks: Int) {
        let (entries, chunks) = pending.withLock { pending -> ([Entry], Int) in
            defer {
                pending.entries.removeAll(keepingCapacity: true)
                pending.openText.removeAll(keepingCapacity: true)
                pending.openReasoning.removeAll(keepingCapacity: true)
                pending.chunks = 0
            }
            return (pending.entries, pending.chunks)
        }
        let messages = entries.map { entry -> AppMessage in
            if let message = entry.message { return message }
            let delta = entry.delta!
            return .chatEvent(pane: delta.pane, request: delta.request,
                              delta.reasoning ? .reasoningDelta(delta.text) : .textDelta(delta.text))
        }
        return (messages, chunks)
    }

    /// The owner is about to wait with nothing scheduled: the next post wakes it (at once if
    /// something is already queued).
    public func arm() {
        let queued = pending.withLock { pending -> Bool in
            if pending.entries.isEmpty {
                pending.armed = true
                return false
            }
            return true
        }
        if queued { wake() }
    }
}

extension AppMessage {
    /// The request a network message belongs to.
    var request: Int? {
        switch self {
        case .chatEvent(_, let request, _), .chatProgress(_, let request, _), .chatFailed(_, let request, _),
             .chatEnded(_, let request):
            return request
        default:
            return nil
        }
    }
}
