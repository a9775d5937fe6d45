import Foundation
import TidepoolPool

/// One cell of the pool benchmark, run inside its own child process so that its memory
/// figures are its own: N provider instances take turns, each sending M sequential small
/// requests, in one ``BenchMode``.
public struct PoolBenchmarkRun: Sendable {
    /// How requests reach the server.
    public var mode: BenchMode
    /// The URL every request fetches.
    public var url: String
    /// A CA file to trust (nginx's self-signed certificate), for TLS transports.
    public var caFile: String?
    /// Provider instances taking turns.
    public var instances: Int
    /// Sequential requests per instance.
    public var requestsPerInstance: Int

    /// Creates a run.
    public init(mode: BenchMode, url: String, caFile: String?, instances: Int, requestsPerInstance: Int) {
        self.mode = mode
        self.url = url
        self.caFile = caFile
        self.instances = instances
        self.requestsPerInstance = requestsPerInstance
    }

    /// Runs the requests and measures them.
    public func run() async -> BenchResult {
        let baseline = ProcessMemory.residentKilobytes
        var latencies: [Double] = []
        latencies.reserveCapacity(instances * requestsPerInstance)
        var failures = 0
        var connections = 0
        let options = ConnectionOptions(caFile: caFile)
        switch mode {
        case .raw:
            let result = CurlBaseline.sequentialRequests(url: url, count: instances * requestsPerInstance, caFile: caFile)
            latencies = result.latencies
            failures = result.failures
            connections = result.connectionsOpened
        case .shared, .perRequest:
            let manager = PoolManager()
            let request = HTTPRequest(url: url, connectionOptions: options, freshConnection: mode == .perRequest)
            // Every instance holds the same manager, as every Tidepool provider does.
            let providers = Array(repeating: manager, count: instances)
            for _ in 0..<requestsPerInstance {
                for provider in providers {
                    await Self.time(provider, request, into: &latencies, failures: &failures)
                }
            }
            connections = manager.stats().total.socketsOpened
            manager.shutdown()
        case .perInstance:
            let providers = (0..<instances).map { _ in PoolManager() }
            let request = HTTPRequest(url: url, connectionOptions: options)
            for _ in 0..<requestsPerInstance {
                for provider in providers {
                    await Self.time(provider, request, into: &latencies, failures: &failures)
                }
            }
            connections = providers.reduce(0) { $0 + $1.stats().total.socketsOpened }
            for provider in providers { provider.shutdown() }
        }
        let peak = ProcessMemory.peakResidentKilobytes
        latencies.sort()
        return BenchResult(
            medianMicroseconds: Self.percentile(latencies, 50) * 1e6,
            p99Microseconds: Self.percentile(latencies, 99) * 1e6,
            connectionsOpened: connections,
            peakRSSKilobytes: peak,
            poolRSSKilobytes: max(0, peak - baseline),
            requests: latencies.count - failures,
            failures: failures
        )
    }

    private static func time(
        _ manager: PoolManager, _ request: HTTPRequest, into latencies: inout [Double], failures: inout Int
    ) async {
        let start = ContinuousClock.now
        do {
            let response = try await manager.send(request)
            if response.head.status != 200 { failures += 1 }
        } catch {
            failures += 1
        }
        let elapsed = ContinuousClock.now - start
        latencies.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    /// The `p`th percentile of sorted `values` (nearest rank), 0 when empty.
    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(sorted.count - 1, max(0, rank))]
    }
}
