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

        /// Creates an entry.
        public init(preset: ProviderPreset, baseURL: String? = nil, headers: [HTTPHeader] = [],
                    timeouts: RequestTimeouts = .default, connectionOptions: ConnectionOptions = .standard,
                    apiKeySource: APIKeySource? = nil, limits: PoolLimits? = nil) {
            self.preset = preset
            self.baseURL = baseURL
            self.headers = headers
            self.timeouts = timeouts
            self.connectionOptions = connectionOptions
            self.apiKeySource = apiKeySource
            self.limits = limits
        }
    }

    /// Entries by name.
    public var entries: [String: Entry]
    /// Limits for every pool whose entry sets none (the config file's `[pool]`); nil keeps
    /// the pool manager's own defaults.
    public var defaultLimits: PoolLimits?
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
            for preset in ProviderPreset.simulator(origin: origin) { entries[preset.id] = Entry(preset: preset) }
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
        // A key that cannot be read is left out rather than failing here: the server's 401
        // then names the variable or file to fix, and the provider still lists in pickers.
        let key = try? entry.apiKeySource?.resolve(provider: name, environment: environment, homeDirectory: homeDirectory)
        var provider = try Provider(
            preset: entry.preset, baseURL: entry.baseURL, apiKey: key?.withValue { $0 }, environment: environment,
            transport: transport, timeouts: entry.timeouts, connectionOptions: entry.connectionOptions)
        provider.extraHeaders = entry.headers
        return provider
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
