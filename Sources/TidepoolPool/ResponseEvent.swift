/// One step of a streamed response, in order: one ``head``, any number of ``body`` chunks as
/// they arrive from the network, then one ``end`` with the transfer's measured timings.
public enum ResponseEvent: Sendable {
    /// The status line and headers.
    case head(ResponseHead)
    /// A chunk of the body, exactly as received (after HTTP/1.1 chunked decoding).
    case body([UInt8])
    /// The transfer finished; no more events follow.
    case end(TransferMetrics)
}

/// A whole response, for requests whose body is read at once.
public struct HTTPResponse: Sendable {
    /// Status and headers.
    public let head: ResponseHead
    /// The complete body.
    public let body: [UInt8]
    /// Timings and connection facts of the transfer.
    public let metrics: TransferMetrics

    /// Creates a response.
    public init(head: ResponseHead, body: [UInt8], metrics: TransferMetrics) {
        self.head = head
        self.body = body
        self.metrics = metrics
    }

    /// The body decoded as UTF-8, invalid bytes replaced.
    public var text: String { String(decoding: body, as: UTF8.self) }
}
