/// What to ask a model: the conversation so far and the sampling settings. The same request
/// is encoded differently for each wire format; nil settings are left to the server.
public struct ChatRequest: Sendable, Hashable {
    /// The model name as the server knows it (`qwen3:4b`, `gpt-4o`, `claude-sonnet-4-5`).
    public var model: String
    /// The conversation, oldest first.
    public var messages: [ChatMessage]
    /// Instructions sent before the conversation, or nil for none.
    public var systemPrompt: String?
    /// Sampling temperature, or nil for the server's default.
    public var temperature: Double?
    /// The most tokens to generate, or nil for the server's default (Anthropic requires a
    /// value, so 4096 is sent there).
    public var maxTokens: Int?
    /// Ask for visible reasoning (Ollama `think`, Anthropic extended thinking), false to turn
    /// it off, or nil to leave it to the server.
    public var reasoning: Bool?

    /// Creates a request.
    public init(
        model: String,
        messages: [ChatMessage],
        systemPrompt: String? = nil,
        temperature: Double? = nil,
        maxTokens: Int? = nil,
        reasoning: Bool? = nil
    ) {
        self.model = model
        self.messages = messages
        self.systemPrompt = systemPrompt
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.reasoning = reasoning
    }

    /// The system prompt and any system-role messages, joined: the providers that take the
    /// system text as a separate field get all of it.
    var combinedSystemText: String? {
        let parts = ([systemPrompt] + messages.filter { $0.role == .system }.map(\.text))
            .compactMap { $0 }.filter { !$0.isEmpty }
        return parts.isEmpty ? nil : parts.joined(separator: "\n\n")
    }
}
