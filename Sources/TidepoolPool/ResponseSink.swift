/// Where a transfer's response goes: a stream of events for callers that read as bytes
/// arrive, or one continuation resumed once with the whole response. The second wakes the
/// caller exactly once per request, which matters when a wake-up costs as much as the request.
enum ResponseSink: Sendable {
    /// Head, body chunks and end, as they arrive.
    case stream(AsyncThrowingStream<ResponseEvent, any Error>.Continuation)
    /// The whole response at the end.
    case whole(CheckedContinuation<HTTPResponse, any Error>)

    /// Ends the request with `error` (for requests that never reached a pool).
    func fail(_ error: PoolError) {
        switch self {
        case .stream(let continuation): continuation.finish(throwing: error)
        case .whole(let continuation): continuation.resume(throwing: error)
        }
    }
}
