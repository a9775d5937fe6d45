import TidepoolPool

/// Providers that exist without any config, and the default server of each well-known name.
///
/// A `[providers.NAME]` table with one of these names may omit `kind` and `base_url`; other
/// names must say both (an OpenAI-compatible server has no default address).
public enum BuiltInProviders {
    /// The defaults of the well-known provider names.
    public static func defaults(named name: String) -> (kind: ProviderKind, baseURL: String, keyVariable: String?)? {
        switch name {
        case "ollama": (.ollama, "http://127.0.0.1:11434", nil)
        case "lmstudio": (.openai, "http://127.0.0.1:1234/v1", nil)
        case "openai": (.openai, "https://api.openai.com/v1", "OPENAI_API_KEY")
        case "anthropic": (.anthropic, "https://api.anthropic.com", "ANTHROPIC_API_KEY")
        default: nil
        }
    }

    /// The well-known names, sorted.
    public static let names = ["anthropic", "lmstudio", "ollama", "openai"]

    /// The default server for a kind when the table name is not well known; nil means the
    /// config must give `base_url`.
    static func defaultBaseURL(for kind: ProviderKind) -> String? {
        switch kind {
        case .ollama: "http://127.0.0.1:11434"
        case .anthropic: "https://api.anthropic.com"
        case .openai: nil
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
