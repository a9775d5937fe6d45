import Synchronization
import TidepoolPool

@testable import TidepoolProviders

/// A ``Transport`` that replays scripted responses with chosen chunking, or fails with a
/// chosen ``PoolError``, and records every request and every cancelled stream.
final class FakeTransport: Transport {
    /// What one request gets.
    enum Script: Sendable {
        /// A response: status, headers, body chunks, then `.end` (or `failure` instead of `.end`).
        case respond(status: Int, headers: [HTTPHeader] = [], chunks: [[UInt8]], failure: PoolError? = nil)
        /// Fails before any response.
        case fail(PoolError)
        /// Sends a head and the chunks, then never finishes (until cancelled).
        case hang(chunks: [[UInt8]])
    }

    private struct State {
        var requests: [HTTPRequest] = []
        var cancelledStreams = 0
    }

    private let state = Mutex(State())
    private let handler: @Sendable (HTTPRequest, Int) -> Script

    /// `handler` gets each request and its 0-based index among all requests.
    init(_ handler: @escaping @Sendable (HTTPRequest, Int) -> Script) {
        self.handler = handler
    }

    /// Every request sent, in order.
    var requests: [HTTPRequest] { state.withLock { $0.requests } }
    /// How many streams ended because their consumer went away.
    var cancelledStreams: Int { state.withLock { $0.cancelledStreams } }

    func stream(_ request: HTTPRequest) -> AsyncThrowingStream<ResponseEvent, any Error> {
        let index = state.withLock { state in
            state.requests.append(request)
            return state.requests.count - 1
        }
        let script = handler(request, index)
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: ResponseEvent.self)
        continuation.onTermination = { termination in
            if case .cancelled = termination { self.state.withLock { $0.cancelledStreams += 1 } }
        }
        switch script {
        case .fail(let error):
            continuation.finish(throwing: error)
        case .respond(let status, let headers, let chunks, let failure):
            continuation.yield(.head(ResponseHead(status: status, headers: headers, httpVersion: .http1_1)))
            for chunk in chunks { continuation.yield(.body(chunk)) }
            if let failure {
                continuation.finish(throwing: failure)
            } else {
                continuation.yield(.end(TransferMetrics(
                    queueWait: 0.001, connect: 0.002, firstByte: 0.003, total: 0.01, reusedConnection: index > 0,
                    bytesIn: chunks.joined().count, httpVersion: .http1_1)))
                continuation.finish()
            }
        case .hang(let chunks):
            continuation.yield(.head(ResponseHead(status: 200, headers: [], httpVersion: .http1_1)))
            for chunk in chunks { continuation.yield(.body(chunk)) }
        }
        return stream
    }
}

/// Records the delays a provider asked to sleep, without sleeping.
final class SleepRecorder: Sendable {
    private let delays = Mutex<[Double]>([])
    var recorded: [Double] { delays.withLock { $0 } }

    func policy(maxAttempts: Int = 3) -> RetryPolicy {
        RetryPolicy(maxAttempts: maxAttempts) { seconds in self.delays.withLock { $0.append(seconds) } }
    }
}

extension Array where Element == UInt8 {
    init(_ text: String) { self = Array(text.utf8) }
}
