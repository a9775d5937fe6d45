import Foundation

/// A model named as `PROVIDER:MODEL`, the form used on the command line and in config.
///
/// Only the first colon separates: model names often contain colons themselves, so
/// `ollama:qwen3:4b` is provider `ollama`, model `qwen3:4b`.
public struct ModelReference: Sendable, Hashable, CustomStringConvertible {
    /// The provider preset named before the first colon.
    public let preset: ProviderPreset
    /// Everything after the first colon, as the server names the model.
    public let model: String

    /// Creates a reference from its parts.
    public init(preset: ProviderPreset, model: String) {
        self.preset = preset
        self.model = model
    }

    /// Parses `PROVIDER:MODEL`.
    /// - Throws: ``ProviderError/invalidModelReference(_:)`` when there is no colon or either
    ///   side is empty; ``ProviderError/unknownProvider(_:known:)`` for an unknown provider.
    public init(parsing text: String) throws(ProviderError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let colon = trimmed.firstIndex(of: ":") else { throw .invalidModelReference(text) }
        let provider = String(trimmed[..<colon])
        let model = String(trimmed[trimmed.index(after: colon)...])
        guard !provider.isEmpty, !model.isEmpty else { throw .invalidModelReference(text) }
        self.init(preset: try ProviderPreset.named(provider), model: model)
    }

    /// `provider:model`.
    public var description: String { "\(preset.id):\(model)" }
}
