/// Where a transfer's response goes: a stream of events for callers that read as bytes
/// arrive, or one slot filled once with the whole response. The second wakes the caller at
/// most once per request, which matters when a wake-up costs as much as the request.
enum ResponseSink: Sendable {
    /// Head, body chunks and end, as they arrive.
    case stream(AsyncThrowingStream<ResponseEvent, any Error>.Continuation)
    /// The whole response at the end.
    case whole(ResponseSlot)

    /// Ends the request with `error` (for requests that never reached a pool).
    func fail(_ error: PoolError) {
        switch self {
        case .stream(let continuation): continuation.finish(throwing: error)
        case .whole(let slot): slot.deliver(.failure(error))
        }
    }
}
