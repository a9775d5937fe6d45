import TidepoolPool
import TidepoolProviders

/// One `[providers.NAME]` table of the config file, validated and with defaults applied.
///
/// It holds where the key comes from, never the key itself: keys are read at use time with
/// ``resolveAPIKey(environment:homeDirectory:)`` so they are not kept in memory longer than
/// needed and cannot end up in anything that serialises the configuration.
public struct ProviderConfig: Sendable, Equatable {
    /// The table name, as used in pane specs (`NAME:model`).
    public var name: String
    /// The protocol the server speaks.
    public var kind: ProviderKind
    /// The server's base URL as written in the config (or the built-in default). By SDK
    /// convention an OpenAI-compatible base includes `/v1` (`https://api.openai.com/v1`), an
    /// Ollama base is the server root (`http://127.0.0.1:11434`) and an Anthropic base is the
    /// API root (`https://api.anthropic.com`).
    public var baseURL: String
    /// Where the API key comes from, if the server needs one.
    public var apiKeySource: APIKeySource?
    /// Extra request headers, sorted by name so the order is stable.
    public var headers: [HTTPHeader]
    /// Connection limits for this provider's pool.
    public var limits: PoolLimits
    /// Request timeouts for this provider.
    public var timeouts: RequestTimeouts
    /// `auto_size`: whether the pool of this provider's server sizes its own concurrency
    /// limit. Nil (not written): on for local servers (loopback or private addresses, local
    /// presets), off for hosted APIs; false pins the limit to the connection limits.
    public var autoSize: Bool?

    /// Creates a provider configuration.
    public init(
        name: String,
        kind: ProviderKind,
        baseURL: String,
        apiKeySource: APIKeySource? = nil,
        headers: [HTTPHeader] = [],
        limits: PoolLimits = .default,
        timeouts: RequestTimeouts = .default,
        autoSize: Bool? = nil
    ) {
        self.name = name
        self.kind = kind
        self.baseURL = baseURL
        self.apiKeySource = apiKeySource
        self.headers = headers
        self.limits = limits
        self.timeouts = timeouts
        self.autoSize = autoSize
    }

    /// Reads the API key now, from the environment variable or key file named in the config.
    /// Returns nil when the provider has no key source.
    public func resolveAPIKey(
        environment: [String: String],
        homeDirectory: String
    ) throws(APIKeyError) -> Secret? {
        guard let apiKeySource else { return nil }
        return try apiKeySource.resolve(
            provider: name, environment: environment, homeDirectory: homeDirectory)
    }
}
