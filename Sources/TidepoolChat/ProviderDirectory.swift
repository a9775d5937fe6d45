import TidepoolProviders

/// The providers the app can talk to, by the name a pane uses (`ollama`, `openai`, `sim`, a
/// config entry's name). Built once at start-up from presets, discovery, the built-in
/// simulator and the config file.
public struct ProviderDirectory: Sendable {
    /// Providers by name.
    public private(set) var providers: [String: Provider]

    /// Creates a directory.
    public init(_ providers: [String: Provider] = [:]) {
        self.providers = providers
    }

    /// Adds or replaces a provider.
    public mutating func register(_ name: String, _ provider: Provider) {
        providers[name] = provider
    }

    /// The provider called `name`.
    public func provider(named name: String) throws(ChatRuntimeError) -> Provider {
        guard let provider = providers[name] else {
            throw .unknownProvider(name, known: providers.keys.sorted())
        }
        return provider
    }

    /// Names in alphabetical order.
    public var names: [String] { providers.keys.sorted() }
}

/// Why the runtime could not start a chat.
public enum ChatRuntimeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No provider of that name is configured.
    case unknownProvider(String, known: [String])
    /// The text is not `provider:model`.
    case invalidModelReference(String, known: [String])

    public var description: String {
        switch self {
        case .invalidModelReference(let text, let known):
            "'\(text)' is not PROVIDER:MODEL (e.g. ollama:qwen3:4b); providers: \(known.joined(separator: ", "))"
        case .unknownProvider(let name, let known):
            "no provider named '\(name)'; known: \(known.joined(separator: ", "))"
                + " (add one under [providers.\(name)] in the config file)"
        }
    }
}
