/// A known server: its wire protocol, usual address, where its API key comes from, and what
/// to tell a person when nothing answers there.
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

    /// Creates a preset (for servers not in ``all``).
    public init(
        id: String, displayName: String, kind: ProviderKind, defaultBaseURL: String?,
        apiKeyEnvironmentVariable: String? = nil, startHint: String
    ) {
        self.id = id
        self.displayName = displayName
        self.kind = kind
        self.defaultBaseURL = defaultBaseURL
        self.apiKeyEnvironmentVariable = apiKeyEnvironmentVariable
        self.startHint = startHint
    }

    /// Ollama on this machine.
    public static let ollama = ProviderPreset(
        id: "ollama", displayName: "Ollama", kind: .ollama,
        defaultBaseURL: "http://127.0.0.1:11434",
        startHint: "is Ollama running? `ollama serve`")
    /// The OpenAI API.
    public static let openai = ProviderPreset(
        id: "openai", displayName: "OpenAI", kind: .openAICompatible,
        defaultBaseURL: "https://api.openai.com/v1", apiKeyEnvironmentVariable: "OPENAI_API_KEY",
        startHint: "check your network connection and proxy settings")
    /// LM Studio's local server.
    public static let lmstudio = ProviderPreset(
        id: "lmstudio", displayName: "LM Studio", kind: .openAICompatible,
        defaultBaseURL: "http://127.0.0.1:1234/v1",
        startHint: "is LM Studio's local server started? (Developer tab > Start Server, or `lms server start`)")
    /// A vLLM server on this machine.
    public static let vllm = ProviderPreset(
        id: "vllm", displayName: "vLLM", kind: .openAICompatible,
        defaultBaseURL: "http://127.0.0.1:8000/v1",
        startHint: "is vLLM running? `vllm serve MODEL`")
    /// llama.cpp's `llama-server` on this machine.
    public static let llamacpp = ProviderPreset(
        id: "llamacpp", displayName: "llama.cpp", kind: .openAICompatible,
        defaultBaseURL: "http://127.0.0.1:8080/v1",
        startHint: "is llama.cpp's server running? `llama-server -m MODEL.gguf`")
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
