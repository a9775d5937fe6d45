import Foundation

/// A pane to open, written `provider:model` (the model may itself contain colons, as in
/// `ollama:qwen3:4b`: only the first colon separates).
public struct PaneSpec: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The provider name (a `[providers.NAME]` table or a built-in provider).
    public var provider: String
    /// The model name as the provider knows it.
    public var model: String

    /// Creates a pane spec.
    public init(provider: String, model: String) {
        self.provider = provider
        self.model = model
    }

    /// Parses `provider:model`; nil when either side is empty or there is no colon.
    public init?(parsing text: String) {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let provider = String(text[..<colon]).trimmingCharacters(in: .whitespaces)
        let model = String(text[text.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        guard !provider.isEmpty, !model.isEmpty else { return nil }
        self.init(provider: provider, model: model)
    }

    /// `provider:model`.
    public var description: String { provider + ":" + model }
}
