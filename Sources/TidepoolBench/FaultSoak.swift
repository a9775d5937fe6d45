import Foundation
import TidepoolPool

/// Mixed faults from a ``HostileHTTPServer`` through one pool manager, a few at a time, to show
/// that nothing grows: resident memory at the last request against the 100th, and open
/// descriptors after `closeAll()` against before the first request. The test suite runs 200
/// requests; `tidepool bench faults` runs 1,000.
public struct FaultSoak: Sendable {
    /// What one soak measured.
    public struct Result: Sendable, Codable {
        /// Requests sent.
        public var requests: Int
        /// Healthy requests among them, and how many of those were answered in full.
        public var healthy: Int
        public var healthyAnswered: Int
        /// Failures that were not a `ProviderError` ("index: error"); there should be none.
        public var unexpected: [String]
        /// Resident memory after the 100th request and after the last, in bytes.
        public var residentAt100: Int
        public var residentAtLast: Int
        /// Open descriptors before the first request and after `closeAll()`.
        public var descriptorsBefore: Int
        public var descriptorsAfter: Int
        /// Wall time of the whole soak.
        public var seconds: Double

        /// Resident memory at the last request over the 100th, as a change in percent.
        public var residentGrowthPercent: Double {
            100 * (Double(residentAtLast) / Double(max(1, residentAt100)) - 1)
        }

        /// One line for people.
        public var summary: String {
            "\(requests) requests in \(String(format: "%.1f", seconds)) s; RSS at 100th \(residentAt100 >> 10) KiB, "
                + "at last \(residentAtLast >> 10) KiB (\(String(format: "%+.1f", residentGrowthPercent))%); "
                + "descriptors before \(descriptorsBefore), after closeAll \(descriptorsAfter); "
                + "healthy answered \(healthyAnswered)/\(healthy); unexpected errors \(unexpected.count)"
        }
    }

    /// Requests in all, and how many run at once.
    public var requests: Int
    public var width: Int

    /// A soak of `requests` requests, `width` at a time.
    public init(requests: Int = 200, width: Int = 4) {
        self.requests = max(100, requests)
        self.width = max(1, width)
    }

    /// The mix, repeated: cheap faults of every kind plus healthy requests. The stall (a second
    /// each) and the 5 MiB line come every 50 requests; the endless stream has its own matrix
    /// test (without an answer cap it moves 64 MiB).
    public static func fault(at index: Int) -> HostileHTTPServer.Fault {
        if index % 50 == 25 { return .stall }
        if index % 50 == 40 { return .lineOverLimit }
        let mix: [HostileHTTPServer.Fault] = [
            .ok, .resetMidStream, .rateLimited(.seconds), .ok, .unavailable(.httpDate), .unauthorized,
            .serverErrorHTML, .ok, .malformedLine, .invalidUTF8, .controls, .ok, .escapeSequences, .truncated,
            .htmlWithStatus200, .rateLimited(.garbage), .ok, .unavailable(.huge), .rateLimited(.negative),
        ]
        return mix[index % mix.count]
    }

    /// Runs the soak against its own hostile server and pool manager.
    public func run() async throws -> Result {
        let server = try HostileHTTPServer()
        defer { server.stop() }
        let pool = PoolManager()
        defer { pool.shutdown() }
        let client = FaultClient(pool: pool, server: server)
        let started = Date()
        var result = Result(requests: requests, healthy: 0, healthyAnswered: 0, unexpected: [], residentAt100: 0,
                            residentAtLast: 0, descriptorsBefore: ProcessFigures.openDescriptors(),
                            descriptorsAfter: 0, seconds: 0)
        for batch in stride(from: 0, to: requests, by: width) {
            let indices = Array(batch..<min(requests, batch + width))
            let outcomes = try await withThrowingTaskGroup(of: (Int, FaultOutcome).self) { group in
                for index in indices {
                    group.addTask { (index, try await client.run(Self.fault(at: index))) }
                }
                return try await group.reduce(into: [(Int, FaultOutcome)]()) { $0.append($1) }
            }
            for (index, outcome) in outcomes {
                if let other = outcome.otherError { result.unexpected.append("\(index): \(other)") }
                if Self.fault(at: index) == .ok {
                    result.healthy += 1
                    if outcome.error == nil && outcome.text == HostileHTTPServer.okWords.joined() {
                        result.healthyAnswered += 1
                    }
                }
            }
            if indices.contains(99) { result.residentAt100 = ProcessFigures.residentBytes() }
            if indices.contains(requests - 1) { result.residentAtLast = ProcessFigures.residentBytes() }
        }
        await pool.closeAll()
        result.descriptorsAfter = ProcessFigures.waitForDescriptors(result.descriptorsBefore)
        result.seconds = Date().timeIntervalSince(started)
        return result
    }
}
