import TidepoolPool

/// Finds model servers running on this machine by asking each usual address for its model
/// list, all at once, within a small time budget (so startup never waits on absent servers).
public struct Discovery: Sendable {
    /// A server that answered, with the models it offers.
    public struct Found: Sendable, Equatable {
        /// Which kind of server answered.
        public let preset: ProviderPreset
        /// Where it answered.
        public let baseURL: String
        /// Its models, in its order.
        public let models: [String]
    }

    /// The presets probed by default: the local servers at their usual ports (the presets
    /// with a ``ProviderPreset/discoveryRank``).
    public static var localPresets: [ProviderPreset] { ProviderPreset.discoverable }

    /// The presets to probe.
    public var presets: [ProviderPreset]
    /// The whole probe's budget in seconds; servers that have not answered by then are left out.
    public var budget: Double
    let transport: any Transport

    /// Creates a discovery over `transport` (the shared pool in the app).
    public init(transport: any Transport, presets: [ProviderPreset] = Discovery.localPresets, budget: Double = 0.3) {
        self.transport = transport
        self.presets = presets
        self.budget = budget
    }

    /// Probes every preset in parallel and returns the servers that answered with a model
    /// list, in the order of ``presets``.
    public func run() async -> [Found] {
        let timeouts = RequestTimeouts(
            queue: budget, connect: budget / 2, firstByte: budget, idle: budget, total: budget)
        let probes: [(Int, Provider)] = presets.enumerated().compactMap { index, preset in
            guard let provider = try? Provider(
                preset: preset, environment: [:], transport: transport, retryPolicy: .none)
            else { return nil }
            return (index, provider)
        }
        let budget = self.budget
        var found: [(Int, Found)] = []
        await withTaskGroup(of: (Int, Found)?.self) { group in
            for (index, provider) in probes {
                group.addTask {
                    let request = provider.discoveryRequest(timeouts: timeouts)
                    guard let (head, body) = try? await provider.fetch(request),
                        (200..<300).contains(head.status), let models = provider.parseModels(body)
                    else { return nil }
                    return (index, Found(preset: provider.preset, baseURL: provider.baseURL, models: models))
                }
            }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(Int64(RetryPolicy.seconds(budget) * 1000)))
                return (-1, Found(preset: .ollama, baseURL: "", models: []))
            }
            var answered = 0
            while let result = await group.next() {
                if let result, result.0 < 0 {
                    group.cancelAll()
                    break
                }
                answered += 1
                if let result { found.append(result) }
                if answered == probes.count {
                    group.cancelAll()
                    break
                }
            }
        }
        return found.sorted { $0.0 < $1.0 }.map(\.1)
    }
}

extension Provider {
    /// The discovery probe of this provider's format, with the probe's clocks.
    func discoveryRequest(timeouts: RequestTimeouts) -> HTTPRequest {
        var http = wireFormat.discoveryProbe(baseURL: baseURL)
        http.timeouts = timeouts
        http.connectionOptions = connectionOptions
        http.purpose = .discovery
        return http
    }
}
