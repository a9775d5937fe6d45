/// The wire protocol a server speaks. Many products share one: LM Studio, vLLM, llama.cpp and
/// OpenRouter all speak ``openAICompatible``.
public enum ProviderKind: String, Sendable, Hashable, CaseIterable {
    /// Ollama's native API: `POST /api/chat`, newline-delimited JSON.
    case ollama
    /// OpenAI Chat Completions: `POST /chat/completions`, server-sent events.
    case openAICompatible = "openai-compatible"
    /// Anthropic Messages: `POST /v1/messages`, server-sent events.
    case anthropic
}
