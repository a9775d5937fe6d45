import Foundation
import TidepoolPool
import TidepoolProviders
import TidepoolStore

/// Every provider name a pane or command may use, and how to reach it: the built-in presets
/// (`ollama`, `openai`, `anthropic`, `lmstudio`, ...), the built-in simulator when it runs
/// (`sim` speaking the OpenAI-compatible format, `sim-ollama`, `sim-anthropic`, all on one
/// origin and so one pool), and later the config file's own entries.
public struct ProviderCatalog: Sendable {
    /// How to build one provider.
    public struct Entry: Sendable {
        /// Wire format, display name, default address and key variable.
        public var preset: ProviderPreset
        /// Overrides the preset's base URL.
        public var baseURL: String?
        /// Extra headers every request carries.
        public var headers: [HTTPHeader]
        /// Clocks for chat requests.
        public var timeouts: RequestTimeouts
        /// TLS trust, client identity, proxy.
        public var connectionOptions: ConnectionOptions
        /// Where the API key is read from when a provider is built (a config file's
        /// `api_key_env` / `api_key_file`). Only the source is kept here, never the key, so an
        /// entry can be printed or logged safely. Nil: the preset's environment variable.
        public var apiKeySource: APIKeySource?
        /// Connection limits for this entry's pool; nil keeps the pool manager's defaults.
        public var limits: PoolLimits?
        /// The config's `auto_size`: nil decides by the server (on for local ones, see
        /// `ProviderCatalog+AutoSize.swift`), false pins the pool's limit, true sizes it.
        public var autoSize: Bool?
        /// Ask for reasoning when a request does not say (``Provider/reasoningByDefault``).
        public var reasoningByDefault: Bool?

        /// Creates an entry.
        public init(preset: ProviderPreset, baseURL: String? = nil, headers: [HTTPHeader] = [],
                    timeouts: RequestTimeouts = .default, connectionOptions: ConnectionOptions = .standard,
                    apiKeySource: APIKeySource? = nil, limits: PoolLimits? = nil, autoSize: Bool? = nil) {
            self.preset = preset
            self.baseURL = baseURL
            self.headers = headers
            self.timeouts = timeouts
            self.connectionOptions = connectionOptions
            self.apiKeySource = apiKeySource
            self.limits = limits
            self.autoSize = autoSize
        }
    }

    /// Entries by name.
    public var entries: [String: Entry]
    /// Limits for every pool whose entry sets none (the config file's `[pool]`); nil keeps
    /// the pool manager's own defaults.
    public var defaultLimits: PoolLimits?
    /// The most text one answer may hold (the config's `max_answer_bytes`); nil keeps the
    /// providers' default.
    public var maxAnswerBytes: Int?
    /// Home directory for expanding `~` in key file paths.
    public var homeDirectory: String = ProcessInfo.processInfo.environment["HOME"] ?? "/"

    /// The names of the simulator's providers, in the order the default panes use them.
    public static var simulatorNames: [String] { ProviderPreset.simulatorIDs }

    /// The built-in presets, plus the simulator's providers when it listens at `simulatorOrigin`
    /// (`http://127.0.0.1:PORT`).
    public static func builtIn(simulatorOrigin: String? = nil) -> ProviderCatalog {
        var entries: [String: Entry] = [:]
        for preset in ProviderPreset.all { entries[preset.id] = Entry(preset: preset) }
        if let origin = simulatorOrigin {
            for preset in ProviderPreset.simulator(origin: origin) {
                // The simulator reasons only for its reasoning models, and only when asked, as
                // the real servers do: asking by default shows the demo's reasoning pane.
                var entry = Entry(preset: preset)
                entry.reasoningByDefault = true
                entries[preset.id] = entry
            }
        }
        return ProviderCatalog(entries: entries)
    }

    /// Creates a catalog.
    public init(entries: [String: Entry]) {
        self.entries = entries
    }

    /// Splits `provider:model` at the first colon (model names may contain colons, as in
    /// `ollama:qwen3:4b`) and checks the provider is known.
    public func parse(_ text: String) throws(ChatRuntimeError) -> (provider: String, model: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let colon = trimmed.firstIndex(of: ":"), colon != trimmed.startIndex,
              trimmed.index(after: colon) != trimmed.endIndex else {
            throw .invalidModelReference(text, known: Set(entries.keys).union(Self.simulatorNames).sorted())
        }
        let provider = String(trimmed[..<colon])
        // The simulator's names are always valid: the caller starts it when one is used.
        let known = Set(entries.keys).union(Self.simulatorNames)
        guard known.contains(provider) else { throw .unknownProvider(provider, known: known.sorted()) }
        return (provider, String(trimmed[trimmed.index(after: colon)...]))
    }

    /// Builds the provider called `name`, sending through `transport`.
    public func provider(named name: String, transport: any Transport,
                         environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Provider {
        guard let entry = entries[name] else { throw ChatRuntimeError.unknownProvider(name, known: entries.keys.sorted()) }
        // A key that cannot be read does not stop the provider being built (it still lists in
        // pickers), but a hosted server that needs one fails before sending, naming the
        // variable or file to fix, instead of leaving it to the network.
        var keyError: APIKeyError?
        var key: Secret?
        do {
            key = try entry.apiKeySource?.resolve(provider: name, environment: environment, homeDirectory: homeDirectory)
        } catch {
            keyError = error
        }
        var provider = try Provider(
            preset: entry.preset, baseURL: entry.baseURL, apiKey: key?.withValue { $0 }, environment: environment,
            transport: transport, timeouts: entry.timeouts, connectionOptions: entry.connectionOptions)
        provider.extraHeaders = entry.headers
        provider.reasoningByDefault = entry.reasoningByDefault
        if let maxAnswerBytes { provider.maxAnswerBytes = maxAnswerBytes }
        let variable: String? = {
            if case .environment(let variable) = entry.apiKeySource { return variable }
            return entry.apiKeySource == nil ? entry.preset.apiKeyEnvironmentVariable : nil
        }()
        let needsKey = entry.apiKeySource != nil || entry.preset.apiKeyEnvironmentVariable != nil
        if needsKey, !provider.hasAPIKey, !Self.isLoopback(provider.origin) {
            let advice: String
            switch keyError {
            case .fileUnreadable?, .empty?, .notOneLine?:
                advice = keyError?.description ?? ""
            default:
                advice = "\(variable ?? "the API key variable") is not set; export it or set api_key_file in [providers.\(name)]"
            }
            provider.preflightFailure = .missingAPIKey(provider: provider.name, advice: advice)
        }
        return provider
    }

    /// Whether `origin` is this machine, where servers usually need no key.
    static func isLoopback(_ origin: Origin) -> Bool {
        let host = origin.host.lowercased()
        return host == "localhost" || host == "::1" || host.hasPrefix("127.") || host.hasSuffix(".localhost")
    }

    /// A directory with every provider that can be built (an OpenAI-compatible entry with
    /// no base URL cannot, and is left out).
    public func directory(transport: any Transport,
                          environment: [String: String] = ProcessInfo.processInfo.environment) -> ProviderDirectory {
        var directory = ProviderDirectory()
        for name in entries.keys {
            if let provider = try? provider(named: name, transport: transport, environment: environment) {
                directory.register(name, provider)
            }
        }
        return directory
    }
}
