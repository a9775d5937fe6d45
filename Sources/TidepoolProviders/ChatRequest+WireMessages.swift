extension ChatRequest {
    /// The conversation as the `messages` array Ollama and OpenAI-compatible servers share:
    /// the system prompt first (as a `system` message), then each message's role and text.
    /// (Anthropic takes the system prompt as a separate field instead.)
    var roleContentMessages: [JSONValue] {
        var messages: [JSONValue] = []
        if let systemPrompt, !systemPrompt.isEmpty {
            messages.append(.object(["role": .string("system"), "content": .string(systemPrompt)]))
        }
        for message in self.messages {
            messages.append(.object(["role": .string(message.role.rawValue), "content": .string(message.text)]))
        }
        return messages
    }
}
