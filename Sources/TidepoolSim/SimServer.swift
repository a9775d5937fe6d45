import Hummingbird
import Logging
import NIOCore
import TidepoolServing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A simulated LLM server on loopback that speaks the Ollama, OpenAI-compatible and Anthropic wire
/// formats byte for byte like the real servers: the app's demo default, the fixture for provider
/// and pool tests, and the target of benchmarks (with fault injection).
///
/// Built on Hummingbird (HTTP/1.1 with keep-alive). A NIO handler in every connection's pipeline
/// counts accepted connections and requests per connection from the server's side, so a test can
/// prove a client reused its connection (``stats``, `GET /_sim/stats`).
///
/// Endpoints: `POST /api/chat`, `GET /api/tags`, `GET /` ("Ollama is running"),
/// `POST /v1/chat/completions`, `POST /v1/messages`, `GET /v1/models` (Anthropic's listing when
/// the request has an `anthropic-version` or `x-api-key` header, else OpenAI's), `GET /_sim/ping`,
/// `GET /_sim/stats`, `POST /_sim/reset`, `GET /api/ps` (Ollama's loaded models), and with
/// ``SimConfig/slots`` set, llama-server's `GET /slots` and `GET /props` (unless hidden).
///
/// Answers are deterministic: the text's seed is the model's base name (tags such as `:instant`
/// do not change it), the last user message and ``SimConfig/seed``. Reasoning is sent by
/// OpenAI-compatible requests to a reasoning model always (`delta.reasoning_content`), by Ollama
/// only with `"think": true`, by Anthropic only with `"thinking": {"type": "enabled"}`.
public final class SimServer: Sendable {
    /// What this server serves.
    public let config: SimConfig

    private let ledger = ConnectionLedger()
    private let gate = SimGate()
    private let slots: SimSlots?
    /// Slots of the models that have their own, by name.
    private let modelSlots: [String: SimSlots]
    private let logger: Logger
    private let server = ListeningServer()

    /// A server for `config`. `logger` receives Hummingbird's own logs; by default they are
    /// silenced (critical only), since cut connections are the simulator's purpose, not errors.
    public init(config: SimConfig = SimConfig(), logger: Logger? = nil) {
        self.config = config
        self.slots = config.slots.map(SimSlots.init(total:))
        self.modelSlots = Dictionary(
            config.models.compactMap { model in model.slots.map { (model.name, SimSlots(total: $0)) } },
            uniquingKeysWith: { first, _ in first })
        self.logger = logger ?? ListeningServer.quietLogger(label: "tidepool.sim")
    }

    /// Starts listening and returns the bound port once connections are accepted (port 0 picks a
    /// free one). Returns in milliseconds; throws ``SimServerError/portInUse(host:port:)`` when
    /// the port is taken. A server starts once; after ``stop()`` make a new one.
    @discardableResult
    public func start(host: String = "127.0.0.1", port: Int = 0) async throws(SimServerError) -> Int {
        do {
            return try await server.start(host: host, port: port) { onListening in
                makeApplication(host: host, port: port, onListening: onListening)
            }
        } catch {
            switch error {
            case .notStartable: throw .notStartable
            case .ended(let error): throw SimServerError.from(error ?? CancellationError(), host: host, port: port)
            }
        }
    }

    /// Stops listening and closes every open connection (streams in flight, stalled ones included,
    /// are cut). When it returns, the port no longer accepts connections.
    public func stop() async {
        let ledger = self.ledger
        await server.stop {
            for channel in ledger.openChannels {
                try? await channel.close()
            }
        }
    }

    /// Serves until SIGINT or SIGTERM (for the `tidepool sim` command), calling `onListening` with
    /// the bound port once connections are accepted, then stops as ``stop()`` does (open
    /// connections are closed, so a stalled stream cannot hold the process). Throws
    /// ``SimServerError`` if it cannot bind.
    public func run(
        host: String = "127.0.0.1", port: Int = 11434, onListening: @escaping @Sendable (Int) -> Void = { _ in }
    ) async throws(SimServerError) {
        let signals = SimSignalWaiter(signals: [SIGINT, SIGTERM])
        let boundPort = try await start(host: host, port: port)
        onListening(boundPort)
        await signals.wait()
        await stop()
    }

    /// `http://HOST:PORT` of the running server (the base URL for every provider kind), or nil.
    public var baseURL: String? {
        guard let address = server.address else { return nil }
        let (host, port) = address
        return host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)"
    }

    /// The port being listened on, or nil when not running.
    public var port: Int? { server.address?.port }

    /// Connections and requests seen since start or the last ``resetStats()``.
    public var stats: SimStats { ledger.snapshot }

    /// Slots busy and requests waiting for one now; nil when ``SimConfig/slots`` is not set.
    public var slotUsage: (busy: Int, waiting: Int)? {
        slots.map { let usage = $0.usage; return (usage.busy.count, usage.waiting) }
    }

    /// Zeroes the counters (like `POST /_sim/reset`); open connections stay open.
    public func resetStats() { ledger.reset() }

    private func makeApplication(
        host: String, port: Int, onListening: @escaping @Sendable (Int) -> Void
    ) -> Application<SimResponder> {
        let ledger = self.ledger
        return Application(
            responder: SimResponder(config: config, ledger: ledger, gate: gate, slots: slots, modelSlots: modelSlots),
            server: .http1(configuration: .init(additionalChannelHandlers: [ConnectionCountingHandler(ledger: ledger)])),
            configuration: .init(address: .hostname(host, port: port)),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }
}
