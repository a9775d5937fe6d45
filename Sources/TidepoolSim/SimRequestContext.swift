import Hummingbird
import NIOCore

/// The per-request context: Hummingbird's core storage plus the connection's channel, which the
/// simulator needs to count requests per connection and to inject connection-level faults.
struct SimRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
