import Synchronization

/// Where a streamed response is handed from the network thread to the task reading it.
///
/// It holds at most one pending head, ONE growing buffer of body bytes and the end, never a
/// queue of events: chunks that arrive while the reader is busy are appended to the buffer,
/// and the reader's next call takes all of them as one `.body`. So a slow reader costs memory
/// in proportion to the bytes it has not read yet (bounded by the answer cap above), and a
/// fast one is woken once per network-loop turn, however many chunks that turn brought
/// (the network thread calls ``wake()`` when it flushes the turn's deliveries).
final class StreamSlot: Sendable {
    private struct State {
        var head: ResponseHead?
        var body: [UInt8] = []
        var ending: Result<TransferMetrics, PoolError>?
        /// The reader's suspended `next()`, if it waits.
        var waiting: UnsafeContinuation<ResponseEvent?, any Error>?
        /// The reader has seen the end (or stopped reading): nothing more is delivered.
        var done = false
        /// The transfer was asked to stop on the reader's behalf.
        var cancelRequested = false

        /// The next event in order (head, then body, then the end), taking it.
        mutating func takeNext() -> Result<ResponseEvent?, PoolError>? {
            if done { return .success(nil) }
            if let pending = head {
                head = nil
                return .success(.head(pending))
            }
            if !body.isEmpty {
                let bytes = body
                body = []
                return .success(.body(bytes))
            }
            guard let ending else { return nil }
            done = true
            switch ending {
            case .success(let metrics): return .success(.end(metrics))
            case .failure(let error): return .failure(error)
            }
        }
    }

    private let state = Mutex(State())
    /// Asks the network thread to cancel the transfer (posted at most once).
    private let cancelTransfer: @Sendable () -> Void

    /// A slot whose reader cancels the transfer through `cancelTransfer`.
    init(cancelTransfer: @escaping @Sendable () -> Void) {
        self.cancelTransfer = cancelTransfer
    }

    // MARK: Network thread

    /// Sets the head (sent before any body byte).
    func push(head: ResponseHead) {
        state.withLock { if !$0.done { $0.head = head } }
    }

    /// Appends body bytes to the pending buffer (no wake-up; see ``wake()``).
    func push(body bytes: UnsafeRawBufferPointer) {
        state.withLock { if !$0.done { $0.body.append(contentsOf: bytes) } }
    }

    /// Records the outcome (no wake-up; see ``wake()``). Only the first outcome counts.
    func finish(_ outcome: Result<TransferMetrics, PoolError>) {
        state.withLock { if $0.ending == nil { $0.ending = outcome } }
    }

    /// Resumes a waiting reader with everything pending, if anything is; true when it did
    /// (a hand-off to the reader's thread).
    @discardableResult
    func wake() -> Bool {
        let resumed = state.withLock { state -> (UnsafeContinuation<ResponseEvent?, any Error>, Result<ResponseEvent?, PoolError>)? in
            guard let waiting = state.waiting, let next = state.takeNext() else { return nil }
            state.waiting = nil
            return (waiting, next)
        }
        guard let (continuation, next) = resumed else { return false }
        continuation.resume(with: next.mapError { $0 as any Error })
        return true
    }

    /// Whether a reader is suspended in ``next()`` now (for tests).
    var hasWaitingReader: Bool { state.withLock { $0.waiting != nil } }

    // MARK: Reader

    /// The next event: returns at once when something is pending, otherwise suspends until the
    /// network thread wakes it. Nil after the end, or once the reading task was cancelled
    /// (which also cancels the transfer).
    func next() async throws -> ResponseEvent? {
        let ready = state.withLock { $0.takeNext() }
        if let ready { return try ready.get() }
        return try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<ResponseEvent?, any Error>) in
                let ready = state.withLock { state -> Result<ResponseEvent?, PoolError>? in
                    if state.cancelRequested { return .success(nil) }
                    if let next = state.takeNext() { return next }
                    state.waiting = continuation
                    return nil
                }
                if let ready { continuation.resume(with: ready.mapError { $0 as any Error }) }
            }
        } onCancel: {
            stopReading()
        }
    }

    /// The reader stops (its task was cancelled, or it dropped the stream before the end):
    /// a waiting `next()` returns nil and, unless the transfer already ended, it is cancelled.
    func stopReading() {
        let (waiting, mustCancel) = state.withLock { state -> (UnsafeContinuation<ResponseEvent?, any Error>?, Bool) in
            let waiting = state.waiting
            state.waiting = nil
            state.done = true
            state.body = []
            let mustCancel = state.ending == nil && !state.cancelRequested
            state.cancelRequested = true
            return (waiting, mustCancel)
        }
        waiting?.resume(returning: nil)
        if mustCancel { cancelTransfer() }
    }
}

/// The reading end of a ``StreamSlot``, held by the `AsyncThrowingStream` a caller iterates.
/// When the caller drops the stream before its end, this goes with it and cancels the transfer
/// (as `AsyncThrowingStream`'s `onTermination` did).
final class StreamReader: Sendable {
    let slot: StreamSlot

    init(_ slot: StreamSlot) {
        self.slot = slot
    }

    deinit {
        slot.stopReading()
    }

    func next() async throws -> ResponseEvent? {
        try await slot.next()
    }
}
