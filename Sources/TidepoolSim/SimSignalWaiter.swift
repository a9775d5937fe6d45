import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Waits for the first of some POSIX signals (SIGINT, SIGTERM) without a C signal handler:
/// the signals' default actions are switched off and Dispatch sources deliver them instead,
/// so `tidepool sim` can stop its server cleanly on Ctrl-C.
///
/// Created before the server starts so a signal arriving during start-up is not lost. Owned by
/// the one task that waits on it.
final class SimSignalWaiter {
    private let sources: [any DispatchSourceSignal]
    /// The dispositions replaced, restored when the waiter goes away.
    private let previous: [(Int32, sighandler_t?)]
    private let stream: AsyncStream<Int32>

    init(signals: [Int32]) {
        let (stream, continuation) = AsyncStream.makeStream(of: Int32.self)
        self.stream = stream
        previous = signals.map { ($0, signal($0, SIG_IGN)) }
        sources = signals.map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            return source
        }
    }

    deinit {
        for source in sources { source.cancel() }
        for (number, handler) in previous { signal(number, handler) }
    }

    /// Returns when one of the signals arrives; returns the signal number.
    @discardableResult
    func wait() async -> Int32 {
        for await number in stream { return number }
        return 0
    }
}
