/// Where a transfer's response goes: a stream slot for callers that read as bytes arrive, or
/// one slot filled once with the whole response. The second wakes the caller at most once per
/// request, which matters when a wake-up costs as much as the request; the first at most once
/// per network-loop turn.
enum ResponseSink: Sendable {
    /// Head, body bytes and end, as they arrive (coalesced while the reader is busy).
    case stream(StreamSlot)
    /// The whole response at the end.
    case whole(ResponseSlot)

    /// Ends the request with `error` (for requests that never reached a pool, or failed).
    func fail(_ error: PoolError) {
        switch self {
        case .stream(let slot):
            slot.finish(.failure(error))
            slot.wake()
        case .whole(let slot):
            slot.deliver(.failure(error))
        }
    }
}
