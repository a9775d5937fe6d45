/// The wire protocol a provider speaks.
public enum ProviderKind: String, Sendable, Equatable, CaseIterable {
    /// Ollama's native API (`/api/chat`, newline-delimited JSON).
    case ollama
    /// Any OpenAI-compatible server (`/chat/completions`, server-sent events): OpenAI itself,
    /// LM Studio, vLLM, llama.cpp's server and others.
    case openai
    /// Anthropic's Messages API (`/v1/messages`, server-sent events).
    case anthropic
}
