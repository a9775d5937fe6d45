import TidepoolPool
import TidepoolProviders

extension ProviderCatalog {
    /// The presets of servers people run themselves: their pools size themselves wherever
    /// they listen (a GPU box on the network included). The simulator's providers too.
    static let selfHostedPresets: Set<String> = Set(["ollama", "lmstudio", "vllm", "llamacpp"] + ProviderPreset.simulatorIDs)

    /// Turns auto sizing on or off for the pool of every entry's origin: on for a local
    /// server (``isLocalServer(_:presetID:)``) unless its config says `auto_size = false`,
    /// on for any server whose config says `auto_size = true`, off otherwise (a hosted API's
    /// limit stays the connection limit). Entries sharing a pool: one `false` pins it.
    public func applyAutoSizing(to pool: PoolManager) {
        for (origin, options, on) in autoSizingDecisions() {
            pool.setAutoSizing(on ? .standard : nil, for: origin, options: options)
        }
    }

    /// One decision per pool (origin and connection options), in origin order.
    func autoSizingDecisions() -> [(origin: Origin, options: ConnectionOptions, on: Bool)] {
        struct PoolID: Hashable {
            let origin: Origin
            let options: ConnectionOptions
        }
        var decisions: [PoolID: Bool] = [:]
        for name in entries.keys.sorted() {
            guard let entry = entries[name], let url = entry.baseURL ?? entry.preset.defaultBaseURL,
                  let origin = Origin(url: url) else { continue }
            let wanted = entry.autoSize ?? Self.isLocalServer(origin, presetID: entry.preset.id)
            let id = PoolID(origin: origin, options: entry.connectionOptions)
            if entry.autoSize == false {
                decisions[id] = false
            } else if decisions[id] != false {
                decisions[id] = (decisions[id] ?? false) || wanted
            }
        }
        return decisions.map { ($0.key.origin, $0.key.options, $0.value) }
            .sorted { $0.origin.description < $1.origin.description }
    }

    /// Whether `origin` is a server on this machine or network, or a self-hosted product:
    /// a loopback or private address (`127.0.0.0/8`, `::1`, `localhost`, `10/8`,
    /// `172.16/12`, `192.168/16`, `169.254/16`, `fc00::/7`, `fe80::/10`, `*.local`), or a
    /// preset of ``selfHostedPresets``.
    static func isLocalServer(_ origin: Origin, presetID: String) -> Bool {
        if selfHostedPresets.contains(presetID) { return true }
        let host = origin.host
        if host == "localhost" || host.hasSuffix(".localhost") || host.hasSuffix(".local") || host == "::1" { return true }
        if host.contains(":") {
            return host.hasPrefix("fc") || host.hasPrefix("fd") || host.hasPrefix("fe8") || host.hasPrefix("fe9")
                || host.hasPrefix("fea") || host.hasPrefix("feb")
        }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false).compactMap { UInt8($0) }
        guard parts.count == 4 else { return false }
        switch (parts[0], parts[1]) {
        case (127, _), (10, _), (192, 168), (169, 254): return true
        case (172, let second): return (16...31).contains(second)
        default: return false
        }
    }
}
