/// The wire protocol a server speaks: the one list of formats every part of Tidepool reads
/// (requests and decoders here, the config file's `kind`, the catalog, discovery).
///
/// Many products share one format: LM Studio, vLLM, llama.cpp and OpenRouter all speak
/// ``openAICompatible``. What belongs to a product rather than a format (default address and
/// port, key variable, start hint, whether discovery probes it) is on ``ProviderPreset``.
///
/// The raw value is the config file's word (`kind = "openai"`).
public enum ProviderKind: String, Sendable, Hashable, CaseIterable {
    /// Ollama's native API: `POST /api/chat`, newline-delimited JSON.
    case ollama
    /// OpenAI Chat Completions: `POST /chat/completions`, server-sent events. Written
    /// `kind = "openai"` in the config file.
    case openAICompatible = "openai"
    /// Anthropic Messages: `POST /v1/messages`, server-sent events.
    case anthropic

    /// ``openAICompatible`` by its config-file name.
    public static let openai = ProviderKind.openAICompatible

    /// The kind a config file names: a raw value, or `openai-compatible` for
    /// ``openAICompatible`` (the name the provider list uses), any letter case.
    public init?(configName: String) {
        let lower = configName.lowercased()
        if lower == "openai-compatible" {
            self = .openAICompatible
        } else {
            self.init(rawValue: lower)
        }
    }

    /// The format's implementation: the one registration line per wire format.
    var wireFormat: any WireFormat.Type {
        switch self {
        case .ollama: OllamaWire.self
        case .openAICompatible: OpenAIWire.self
        case .anthropic: AnthropicWire.self
        }
    }
}
