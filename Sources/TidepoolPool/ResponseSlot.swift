import Synchronization

/// Where a whole response is handed from the network thread to the task that asked for it.
///
/// The task checks it once and otherwise suspends; the network thread either filled it
/// already or resumes the suspended task, exactly once. (Polling it for a while before
/// suspending was measured: on two cores the polling caller took the CPU the server needed,
/// and loopback requests got slower, not faster.)
final class ResponseSlot: Sendable {
    private enum State {
        case pending
        case waiting(UnsafeContinuation<HTTPResponse, any Error>)
        case finished(Result<HTTPResponse, PoolError>)
        case taken
    }

    private let state = Mutex<State>(.pending)
    private let ready = Atomic<Bool>(false)

    /// Called once by the network thread with the outcome.
    func deliver(_ result: Result<HTTPResponse, PoolError>) {
        let waiting = state.withLock { state -> UnsafeContinuation<HTTPResponse, any Error>? in
            switch state {
            case .pending:
                state = .finished(result)
                return nil
            case .waiting(let continuation):
                state = .taken
                return continuation
            case .finished, .taken:
                return nil
            }
        }
        ready.store(true, ordering: .releasing)
        waiting?.resume(with: result.mapError { $0 as any Error })
    }

    /// The outcome if it is in already (without suspending), else nil.
    func poll() -> Result<HTTPResponse, PoolError>? {
        ready.load(ordering: .acquiring) ? take() : nil
    }

    /// Suspends until the outcome is in. An unsafe continuation (no checking object to
    /// allocate per request): the state machine above resumes it exactly once.
    func wait() async throws -> HTTPResponse {
        try await withUnsafeThrowingContinuation { continuation in
            let finished = state.withLock { state -> Result<HTTPResponse, PoolError>? in
                if case .finished(let result) = state {
                    state = .taken
                    return result
                }
                state = .waiting(continuation)
                return nil
            }
            if let finished { continuation.resume(with: finished.mapError { $0 as any Error }) }
        }
    }

    private func take() -> Result<HTTPResponse, PoolError>? {
        state.withLock { state in
            guard case .finished(let result) = state else { return nil }
            state = .taken
            return result
        }
    }
}
