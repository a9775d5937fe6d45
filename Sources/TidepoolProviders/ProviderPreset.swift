import TidepoolPool

/// A known server product: its wire protocol, usual address, where its API key comes from,
/// what to tell a person when nothing answers there, and whether discovery looks for it.
///
/// This is the one table of built-in providers: ``all`` and the simulator's
/// ``simulator(origin:)`` are what the catalog, discovery, `models` and the config file's
/// validator all read. Facts about a product rather than a wire format live here (vLLM,
/// llama.cpp and LM Studio share the OpenAI format but not a port or a start hint).
public struct ProviderPreset: Sendable, Hashable {
    /// The name used in model references and config files (`ollama`, `lmstudio`, ...).
    public let id: String
    /// The name shown to people ("Ollama", "LM Studio").
    public let displayName: String
    /// The wire protocol.
    public let kind: ProviderKind
    /// The usual base URL, or nil when the user must give one (generic servers).
    public let defaultBaseURL: String?
    /// The environment variable holding the API key, if this provider uses one.
    public let apiKeyEnvironmentVariable: String?
    /// What to do when no server answers: how to start it, or what to check.
    public let startHint: String
    /// Where discovery probes this server at start, in increasing order; nil: not probed
    /// (hosted APIs, generic servers).
    public let discoveryRank: Int?
    /// The endpoints that tell how busy this product's server is, on its origin, in the order
    /// a monitor reads them (their snapshots are merged, earlier ones winning); empty: the
    /// product tells nothing (hosted APIs, generic servers).
    public let monitoringEndpoints: [ServerMonitoringEndpoint]

    /// The port of ``defaultBaseURL`` (the scheme's port when it names none).
    public var defaultPort: Int? { defaultBaseURL.flatMap { Origin(url: $0) }?.port }

    /// Creates a preset (for servers not in ``all``).
    public init(
        id: String, displayName: String, kind: ProviderKind, defaultBaseURL: String?,
        apiKeyEnvironmentVariable: String? = nil, startHint: String, discoveryRank: Int? = nil,
        monitoringEndpoints: [ServerMonitoringEndpoint] = []
    ) {
        self.id = id
        self.displayName = displayName
        self.kind = kind
        self.defaultBaseURL = defaultBaseURL
        self.apiKeyEnvironmentVariable = apiKeyEnvironmentVariable
        self.startHint = startHint
        self.discoveryRank = discoveryRank
        self.monitoringEndpoints = monitoringEndpoints
    }

    /// Ollama on this machine.
    public static let ollama = ProviderPreset(
        id: "ollama", displayName: "Ollama", kind: .ollama,
        defaultBaseURL: "http://127.0.0.1:11434",
        startHint: "is Ollama running? `ollama serve`", discoveryRank: 0,
        monitoringEndpoints: [.ollamaProcesses])
    /// The OpenAI API.
    public static let openai = ProviderPreset(
        id: "openai", displayName: "OpenAI", kind: .openAICompatible,
        defaultBaseURL: "https://api.openai.com/v1", apiKeyEnvironmentVariable: "OPENAI_API_KEY",
        startHint: "check your network connection and proxy settings")
    /// LM Studio's local server.
    public static let lmstudio = ProviderPreset(
        id: "lmstudio", displayName: "LM Studio", kind: .openAICompatible,
        defaultBaseURL: "http://127.0.0.1:1234/v1",
        startHint: "is LM Studio's local server started? (Developer tab > Start Server, or `lms server start`)",
        discoveryRank: 1, monitoringEndpoints: [.lmstudioModels])
    /// A vLLM server on this machine.
    public static let vllm = ProviderPreset(
        id: "vllm", displayName: "vLLM", kind: .openAICompatible,
        defaultBaseURL: "http://127.0.0.1:8000/v1",
        startHint: "is vLLM running? `vllm serve MODEL`", discoveryRank: 3,
        monitoringEndpoints: [.vllmMetrics])
    /// llama.cpp's `llama-server` on this machine.
    public static let llamacpp = ProviderPreset(
        id: "llamacpp", displayName: "llama.cpp", kind: .openAICompatible,
        defaultBaseURL: "http://127.0.0.1:8080/v1",
        startHint: "is llama.cpp's server running? `llama-server -m MODEL.gguf`", discoveryRank: 2,
        // `/metrics` (needs `--metrics`) first: its processing and deferred counts are the
        // server's queue; `/slots` then fills busy of total.
        monitoringEndpoints: [.llamacppMetrics, .llamacppSlots, .llamacppProps])
    /// OpenRouter.
    public static let openrouter = ProviderPreset(
        id: "openrouter", displayName: "OpenRouter", kind: .openAICompatible,
        defaultBaseURL: "https://openrouter.ai/api/v1", apiKeyEnvironmentVariable: "OPENROUTER_API_KEY",
        startHint: "check your network connection and proxy settings")
    /// The Anthropic API.
    public static let anthropic = ProviderPreset(
        id: "anthropic", displayName: "Anthropic", kind: .anthropic,
        defaultBaseURL: "https://api.anthropic.com", apiKeyEnvironmentVariable: "ANTHROPIC_API_KEY",
        startHint: "check your network connection and proxy settings")
    /// Any other server speaking the OpenAI protocol; needs a base URL.
    public static let openAICompatible = ProviderPreset(
        id: "openai-compatible", displayName: "OpenAI-compatible server", kind: .openAICompatible,
        defaultBaseURL: nil,
        startHint: "is the server running, and is the base URL right?")

    /// Every known preset, in the order they are listed to people.
    public static let all: [ProviderPreset] = [
        .ollama, .openai, .anthropic, .lmstudio, .vllm, .llamacpp, .openrouter, .openAICompatible,
    ]

    /// The presets discovery probes, in probing order.
    public static var discoverable: [ProviderPreset] {
        all.filter { $0.discoveryRank != nil }.sorted { $0.discoveryRank! < $1.discoveryRank! }
    }

    /// The names of the built-in simulator's providers, in the order the default panes use
    /// them. They exist without any config: the app starts the simulator when one is used.
    public static let simulatorIDs = ["sim", "sim-ollama", "sim-anthropic"]

    /// The simulator's three providers when it listens at `origin` (`http://127.0.0.1:PORT`):
    /// one per wire format, all on one origin and so one pool.
    public static func simulator(origin: String) -> [ProviderPreset] {
        let hint = "the built-in simulator should be running; restart tidepool"
        // The simulator serves Ollama's `/api/ps` always and llama-server's `/slots` and
        // `/props` when it has slots (501 otherwise, which the monitor remembers).
        let monitoring: [ServerMonitoringEndpoint] = [.llamacppSlots, .llamacppProps, .ollamaProcesses]
        return [
            ProviderPreset(id: "sim", displayName: "Simulator (OpenAI format)",
                           kind: .openAICompatible, defaultBaseURL: origin + "/v1", startHint: hint,
                           monitoringEndpoints: monitoring),
            ProviderPreset(id: "sim-ollama", displayName: "Simulator (Ollama format)",
                           kind: .ollama, defaultBaseURL: origin, startHint: hint, monitoringEndpoints: monitoring),
            ProviderPreset(id: "sim-anthropic", displayName: "Simulator (Anthropic format)",
                           kind: .anthropic, defaultBaseURL: origin, startHint: hint,
                           monitoringEndpoints: monitoring),
        ]
    }

    /// Every built-in provider name a pane or a command may use without a config table:
    /// the presets with a default address, and the simulator's.
    public static var builtInIDs: [String] {
        all.filter { $0.defaultBaseURL != nil }.map(\.id) + simulatorIDs
    }

    /// The preset called `id` (case-insensitive).
    /// - Throws: ``ProviderError/unknownProvider(_:known:)`` listing the known names.
    public static func named(_ id: String) throws(ProviderError) -> ProviderPreset {
        let lower = id.lowercased()
        guard let preset = all.first(where: { $0.id == lower }) else {
            throw .unknownProvider(id, known: all.map(\.id))
        }
        return preset
    }
}
