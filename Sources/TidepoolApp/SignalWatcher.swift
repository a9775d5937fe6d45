import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// Turns termination signals into a callback on a background queue, instead of their default
/// action, so the screen can restore the terminal before the process ends. ``cancel()`` puts
/// the signals' previous dispositions back.
public final class SignalWatcher {
    private let sources: [any DispatchSourceSignal]
    private var previous: [(Int32, sighandler_t?)]

    /// Watches `signals`; `handler` runs on a private serial queue.
    public init(signals: [Int32], handler: @escaping @Sendable () -> Void) {
        let queue = DispatchQueue(label: "tidepool.signals")
        var previous: [(Int32, sighandler_t?)] = []
        sources = signals.map { number in
            previous.append((number, signal(number, SIG_IGN)))
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler(handler: handler)
            source.resume()
            return source
        }
        self.previous = previous
    }

    /// Stops watching and restores each signal's previous disposition. Idempotent.
    public func cancel() {
        for source in sources where !source.isCancelled { source.cancel() }
        for (number, handler) in previous { signal(number, handler) }
        previous = []
    }
}
