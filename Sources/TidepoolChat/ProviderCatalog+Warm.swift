import TidepoolPool
import TidepoolProviders

extension ProviderCatalog {
    /// Opens one connection to each pane's origin in the background (TLS included), so the
    /// first prompt finds it warm. Servers that are down are left for the pane to report.
    public func warm(panes: [(provider: String, model: String)], pool: PoolManager) {
        var origins: [Origin] = []
        for pane in panes {
            guard let provider = try? provider(named: pane.provider, transport: pool),
                  !origins.contains(provider.origin) else { continue }
            origins.append(provider.origin)
            let options = provider.connectionOptions
            let origin = provider.origin
            Task.detached { _ = try? await pool.warm(origin, connections: 1, options: options) }
        }
    }
}
