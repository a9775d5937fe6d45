import TidepoolPool
import TidepoolProviders

/// The config file's view of the built-in providers: every ``ProviderPreset`` with a default
/// address exists without any config, and a `[providers.NAME]` table with one of those names
/// may omit `kind` and `base_url`. Other names must say both (an OpenAI-compatible server has
/// no default address). Nothing here is a second table: it all reads ``ProviderPreset/all``.
public enum BuiltInProviders {
    /// The defaults of the well-known provider names (any preset with a default address).
    public static func defaults(named name: String) -> (kind: ProviderKind, baseURL: String, keyVariable: String?)? {
        guard let preset = ProviderPreset.all.first(where: { $0.id == name }),
            let baseURL = preset.defaultBaseURL
        else { return nil }
        return (preset.kind, baseURL, preset.apiKeyEnvironmentVariable)
    }

    /// The well-known names, sorted.
    public static var names: [String] {
        ProviderPreset.all.filter { $0.defaultBaseURL != nil }.map(\.id).sorted()
    }

    /// Names a pane may use without any table: the simulator's (its address is only known
    /// once the app has started it).
    public static var simulatorNames: [String] { ProviderPreset.simulatorIDs }

    /// The default server for a kind when the table name is not well known; nil means the
    /// config must give `base_url`.
    static func defaultBaseURL(for kind: ProviderKind) -> String? {
        switch kind {
        case .ollama: ProviderPreset.ollama.defaultBaseURL
        case .anthropic: ProviderPreset.anthropic.defaultBaseURL
        case .openAICompatible: nil
        }
    }

    /// Every built-in provider with default limits and timeouts.
    public static func all(
        limits: PoolLimits = .default,
        timeouts: RequestTimeouts = .default
    ) -> [String: ProviderConfig] {
        var result: [String: ProviderConfig] = [:]
        for name in names {
            guard let builtIn = defaults(named: name) else { continue }
            result[name] = ProviderConfig(
                name: name,
                kind: builtIn.kind,
                baseURL: builtIn.baseURL,
                apiKeySource: builtIn.keyVariable.map { .environment(variable: $0) },
                limits: limits,
                timeouts: timeouts)
        }
        return result
    }
}
