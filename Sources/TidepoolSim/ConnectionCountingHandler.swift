import NIOCore

/// A channel handler added to each accepted HTTP/1 connection's pipeline (through Hummingbird's
/// `HTTP1Channel.Configuration.additionalChannelHandlers`) that reports the connection's opening
/// and closing to the ``ConnectionLedger``. It passes every message through untouched; the one
/// thing it does itself is close a connection held by a `stall` fault once the client has closed
/// its side (Hummingbird allows half-closure, so a silent stream would otherwise never notice).
///
/// Owned by the connection's event loop, like every NIO handler.
final class ConnectionCountingHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let ledger: ConnectionLedger

    init(ledger: ConnectionLedger) {
        self.ledger = ledger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        // Accepted sockets may already be active when the pipeline is built.
        if context.channel.isActive { ledger.opened(context.channel) }
    }

    func channelActive(context: ChannelHandlerContext) {
        ledger.opened(context.channel)
        context.fireChannelActive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .some(.inputClosed) = event as? ChannelEvent, ledger.isStalled(context.channel) {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        ledger.closed(context.channel)
        context.fireChannelInactive()
    }
}
