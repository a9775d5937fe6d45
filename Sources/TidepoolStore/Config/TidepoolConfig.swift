import TidepoolPool

/// The whole configuration, validated, with defaults applied. Built by ``ConfigLoader`` from
/// the config file, or ``TidepoolConfig/default`` when there is none.
public struct TidepoolConfig: Sendable, Equatable {
    /// Providers by name: the `[providers.NAME]` tables plus the built-in ones
    /// (``BuiltInProviders``) the file did not override.
    public var providers: [String: ProviderConfig]
    /// Pool limits for providers that do not set their own (`[pool]`).
    public var defaultLimits: PoolLimits
    /// Timeouts for providers that do not set their own (`[pool]`).
    public var defaultTimeouts: RequestTimeouts
    /// Panes to open at start (`panes = [...]`).
    public var panes: [PaneSpec]
    /// The theme name (`theme`).
    public var theme: String
    /// The system prompt sent to every pane, if any (`system_prompt`).
    public var systemPrompt: String?
    /// Whether a prompt goes to every pane at start (`broadcast`).
    public var broadcast: Bool
    /// The most text one answer may hold, in UTF-8 bytes (`max_answer_bytes`); a longer
    /// answer is cut there and says so.
    public var maxAnswerBytes: Int
    /// Where `/metrics` is served (`[metrics] listen`), nil for nowhere. The config may name
    /// a non-loopback address; the command line needs `--metrics-allow-remote` for that.
    public var metricsListen: MetricsListenAddress?

    /// Creates a configuration.
    public init(
        providers: [String: ProviderConfig] = BuiltInProviders.all(),
        defaultLimits: PoolLimits = .default,
        defaultTimeouts: RequestTimeouts = .default,
        panes: [PaneSpec] = [],
        theme: String = TidepoolConfig.defaultTheme,
        systemPrompt: String? = nil,
        broadcast: Bool = false,
        maxAnswerBytes: Int = TidepoolConfig.defaultMaxAnswerBytes,
        metricsListen: MetricsListenAddress? = nil
    ) {
        self.providers = providers
        self.defaultLimits = defaultLimits
        self.defaultTimeouts = defaultTimeouts
        self.panes = panes
        self.theme = theme
        self.systemPrompt = systemPrompt
        self.broadcast = broadcast
        self.maxAnswerBytes = maxAnswerBytes
        self.metricsListen = metricsListen
    }

    /// 4 MiB: far above any real answer (the same default as the providers').
    public static let defaultMaxAnswerBytes = 4 << 20
    /// The range `max_answer_bytes` accepts: 1 KiB to 1 GiB.
    public static let maxAnswerBytesRange = 1024...(1 << 30)

    /// The theme used when the config names none.
    public static let defaultTheme = "tidepool-dark"

    /// The configuration used when there is no config file: built-in providers only.
    public static let `default` = TidepoolConfig()

    /// Provider names, sorted, for messages and pickers.
    public var providerNames: [String] { providers.keys.sorted() }
}
