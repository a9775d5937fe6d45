/// One turn of a conversation.
public struct ChatMessage: Sendable, Hashable, Codable {
    /// Who speaks a message.
    public enum Role: String, Sendable, Hashable, Codable {
        /// Instructions for the model (sent the way each provider expects them).
        case system
        /// The person.
        case user
        /// The model.
        case assistant
    }

    /// Who speaks.
    public var role: Role
    /// What was said.
    public var text: String

    /// Creates a message.
    public init(role: Role, text: String) {
        self.role = role
        self.text = text
    }
}
