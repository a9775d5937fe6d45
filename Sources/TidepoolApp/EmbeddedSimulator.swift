import TidepoolChat
import TidepoolSim
import TidepoolStore

/// The built-in simulated model server, started inside this process when a command uses a
/// `sim` provider or when no model server is configured or found.
public final class EmbeddedSimulator: Sendable {
    /// The running server.
    public let server: SimServer
    /// `http://127.0.0.1:PORT`.
    public let origin: String

    private init(server: SimServer, port: Int) {
        self.server = server
        origin = "http://127.0.0.1:\(port)"
    }

    /// Slots of the embedded simulator: like a local llama-server or vLLM, it generates this
    /// many answers at once and the rest wait at the server (never refused), so the demo's
    /// panel shows the server's side too (`server slots 4/4 busy`, `at server N`).
    public static let slots = 4

    /// What the embedded simulator serves: the default models with ``slots`` slots whose
    /// overflow waits (`tidepool sim`, the benchmarks' child, stays unlimited unless asked).
    public static var defaultConfig: SimConfig { SimConfig(slots: slots, overflow: .wait) }

    /// Starts a simulator on a free loopback port.
    public static func start(config: SimConfig = defaultConfig) async throws -> EmbeddedSimulator {
        let server = SimServer(config: config)
        let port = try await server.start(host: "127.0.0.1", port: 0)
        return EmbeddedSimulator(server: server, port: port)
    }

    /// Whether `provider` is one of the simulator's provider names.
    public static func serves(_ provider: String) -> Bool {
        ProviderCatalog.simulatorNames.contains(provider)
    }

    /// The simulator's model names, for listings.
    public static var modelNames: [String] { SimConfig().models.map(\.name) }

    /// The catalog for a command that talks to `providers`: presets and the config's entries,
    /// plus the simulator's providers with a simulator started here when one of `providers`
    /// is a simulator name the config does not redefine. Stop the returned simulator at the end.
    public static func catalog(serving providers: [String], config: TidepoolConfig, homeDirectory: String) async throws
        -> (ProviderCatalog, EmbeddedSimulator?)
    {
        guard providers.contains(where: { serves($0) && config.providers[$0] == nil }) else {
            return (ProviderCatalog.builtIn().merging(config: config, homeDirectory: homeDirectory), nil)
        }
        let simulator = try await start()
        let catalog = ProviderCatalog.builtIn(simulatorOrigin: simulator.origin)
            .merging(config: config, homeDirectory: homeDirectory)
        return (catalog, simulator)
    }

    /// Stops the server.
    public func stop() async {
        await server.stop()
    }
}
