import Foundation
import TidepoolPool
import TidepoolProviders
import TidepoolStore

extension ProviderCatalog {
    /// This catalog with the config file's providers added: each `[providers.NAME]` table
    /// (and each built-in provider the config carries) becomes an entry with its wire format,
    /// base URL, headers, timeouts, pool limits and key source. A config entry replaces a
    /// preset or simulator entry of the same name; the config's `[pool]` limits become
    /// ``defaultLimits``.
    ///
    /// Keys are not read here: ``provider(named:transport:environment:)`` reads them from the
    /// entry's ``Entry/apiKeySource`` each time it builds a provider.
    public func merging(config: TidepoolConfig, homeDirectory: String) -> ProviderCatalog {
        var catalog = self
        catalog.homeDirectory = homeDirectory
        catalog.defaultLimits = config.defaultLimits
        catalog.maxAnswerBytes = config.maxAnswerBytes
        for (name, provider) in config.providers {
            catalog.entries[name] = Self.entry(for: provider, replacing: entries[name])
        }
        return catalog
    }

    /// The catalog entry for one config table. A name that matches a known preset keeps the
    /// preset's display name and start hint; any other name gets a generic hint naming its
    /// address.
    static func entry(for config: ProviderConfig, replacing existing: Entry?) -> Entry {
        let known = existing?.preset ?? (try? ProviderPreset.named(config.name))
        let preset = ProviderPreset(
            id: config.name,
            displayName: known?.displayName ?? config.name,
            kind: config.kind,
            defaultBaseURL: config.baseURL,
            // The key comes from the entry's own source only, so an unrelated variable of a
            // preset never slips in.
            apiKeyEnvironmentVariable: {
                if case .environment(let variable) = config.apiKeySource { return variable }
                return nil
            }(),
            startHint: known.map(\.startHint) ?? "is the server at \(CredentialRedaction.url(config.baseURL)) running?")
        return Entry(
            preset: preset, baseURL: config.baseURL, headers: config.headers, timeouts: config.timeouts,
            connectionOptions: existing?.connectionOptions ?? .standard, apiKeySource: config.apiKeySource,
            limits: config.limits, autoSize: config.autoSize)
    }

    /// Gives `pool` the catalog's limits: ``defaultLimits`` for every pool without its own,
    /// then each entry's ``Entry/limits`` for the pool of its origin. Entries sharing an
    /// origin share a pool (the pool is keyed by origin, never by provider name); the last
    /// one in name order wins, so the result does not depend on dictionary order. Then turns
    /// auto sizing on or off per pool (``applyAutoSizing(to:)``).
    public func applyLimits(to pool: PoolManager) {
        if let defaultLimits { pool.setDefaultLimits(defaultLimits) }
        for (_, entry, origin) in poolLimits() {
            if let limits = entry.limits { pool.setLimits(limits, for: origin, options: entry.connectionOptions) }
        }
        applyAutoSizing(to: pool)
    }

    /// The entries with limits, with the origin their pool is keyed by, in name order.
    func poolLimits() -> [(name: String, entry: Entry, origin: Origin)] {
        entries.keys.sorted().compactMap { name in
            guard let entry = entries[name], entry.limits != nil,
                  let url = entry.baseURL ?? entry.preset.defaultBaseURL, let origin = Origin(url: url) else { return nil }
            return (name, entry, origin)
        }
    }
}
