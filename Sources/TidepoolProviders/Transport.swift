import TidepoolPool

/// Whatever carries a provider's HTTP requests. In the app this is the shared
/// ``TidepoolPool/PoolManager``; tests substitute a transport that replays recorded bytes
/// with any chunking, so decoders are exercised without a network.
public protocol Transport: Sendable {
    /// Sends `request` and streams the response: one `.head`, body chunks as they arrive,
    /// then one `.end`. Cancelling the consuming task cancels the transfer. Failures are
    /// thrown as ``TidepoolPool/PoolError``.
    func stream(_ request: HTTPRequest) -> AsyncThrowingStream<ResponseEvent, any Error>

    /// Takes the measurements of one chat that ended, completed or not (for the metrics
    /// export). The pool passes them to its observer; other transports ignore them.
    func recordChatOperation(_ record: ChatOperationRecord)
}

extension Transport {
    /// Ignores the record: a transport without observers.
    public func recordChatOperation(_ record: ChatOperationRecord) {}
}
