import NIOCore

/// A channel handler added to each accepted HTTP/1 connection's pipeline (through Hummingbird's
/// `HTTP1Channel.Configuration.additionalChannelHandlers`) that reports the connection's opening
/// and closing to the ``ConnectionLedger``. It passes every message through untouched.
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

    func channelInactive(context: ChannelHandlerContext) {
        ledger.closed(context.channel)
        context.fireChannelInactive()
    }
}
