import TidepoolPool
import TidepoolProviders

/// Sends requests to a ``HostileHTTPServer`` through one pool.
public struct FaultClient: Sendable {
    /// The pool every request goes through.
    public let pool: PoolManager
    /// The server answering with faults.
    public let server: HostileHTTPServer
    /// A stall ends after this much silence.
    public var idleTimeout = 1.0

    /// A client of `server` through `pool`.
    public init(pool: PoolManager, server: HostileHTTPServer) {
        self.pool = pool
        self.server = server
    }

    /// A provider for `fault` with no retries (a 429 must not make the test wait its
    /// Retry-After), short clocks, and an API key so the 401 is a rejected key.
    public func provider(_ fault: HostileHTTPServer.Fault) throws -> Provider {
        try Provider(
            preset: .openAICompatible, baseURL: server.baseURL(fault), apiKey: "sk-hostile-test",
            transport: pool,
            timeouts: RequestTimeouts(connect: 5, firstByte: 10, idle: idleTimeout, total: 60),
            retryPolicy: .none)
    }

    /// Streams one request for `fault` and returns what came back.
    public func run(_ fault: HostileHTTPServer.Fault) async throws -> FaultOutcome {
        try await run(provider(fault))
    }

    /// Streams one request through `provider` and returns what came back.
    public func run(_ provider: Provider) async -> FaultOutcome {
        var outcome = FaultOutcome()
        let request = ChatRequest(model: "hostile", messages: [ChatMessage(role: .user, text: "are you well?")])
        do {
            for try await event in provider.stream(request) {
                switch event {
                case .textDelta(let text): outcome.text += text
                case .finish: outcome.finished = true
                default: break
                }
            }
        } catch let error as ProviderError {
            outcome.error = error
        } catch {
            outcome.otherError = "\(type(of: error)): \(error)"
        }
        return outcome
    }
}
