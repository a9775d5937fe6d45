import Foundation
import TestSupport
import TidepoolPool
import TidepoolProviders
import XCTest

/// 200 requests with mixed faults through one pool manager, four at a time: nothing grows.
/// Resident memory at the last request stays within 10% of what it was at the 100th, and
/// after `closeAll()` the process has exactly the descriptors it had before the first request.
final class SoakTests: XCTestCase {
    /// The mix, repeated: cheap faults of every kind plus healthy requests. The stall (a
    /// second each) and the 5 MiB line come every 50 requests; the endless stream has its own
    /// matrix test (without an answer cap it moves 64 MiB).
    static func fault(at index: Int) -> HostileHTTPServer.Fault {
        if index % 50 == 25 { return .stall }
        if index % 50 == 40 { return .lineOverLimit }
        let mix: [HostileHTTPServer.Fault] = [
            .ok, .resetMidStream, .rateLimited(.seconds), .ok, .unavailable(.httpDate), .unauthorized,
            .serverErrorHTML, .ok, .malformedLine, .invalidUTF8, .controls, .ok, .escapeSequences, .truncated,
            .htmlWithStatus200, .rateLimited(.garbage), .ok, .unavailable(.huge), .rateLimited(.negative),
        ]
        return mix[index % mix.count]
    }

    func testTwoHundredMixedFaultsThroughOnePoolLeakNeitherMemoryNorDescriptors() async throws {
        let server = try HostileHTTPServer()
        defer { server.stop() }
        let pool = PoolManager()
        defer { pool.shutdown() }
        let client = FaultClient(pool: pool, server: server)
        let descriptorsBefore = ProcessFigures.openDescriptors()
        let total = 200
        let width = 4
        var healthy = 0
        var healthyAnswered = 0
        var unexpected: [String] = []
        var residentAt100 = 0
        var residentAtLast = 0
        for batch in stride(from: 0, to: total, by: width) {
            let indices = Array(batch..<min(total, batch + width))
            let outcomes = try await withThrowingTaskGroup(of: (Int, FaultOutcome).self) { group in
                for index in indices {
                    group.addTask { (index, try await client.run(Self.fault(at: index))) }
                }
                return try await group.reduce(into: [(Int, FaultOutcome)]()) { $0.append($1) }
            }
            for (index, outcome) in outcomes {
                if let other = outcome.otherError { unexpected.append("\(index): \(other)") }
                if Self.fault(at: index) == .ok {
                    healthy += 1
                    if outcome.error == nil && outcome.text == HostileHTTPServer.okWords.joined() { healthyAnswered += 1 }
                }
            }
            if indices.contains(99) { residentAt100 = ProcessFigures.residentBytes() }
            if indices.contains(total - 1) { residentAtLast = ProcessFigures.residentBytes() }
        }
        await pool.closeAll()
        let descriptorsAfter = ProcessFigures.waitForDescriptors(descriptorsBefore)
        print("soak: \(total) requests, RSS at 100th \(residentAt100 >> 10) KiB, at last \(residentAtLast >> 10) KiB "
              + "(\(String(format: "%+.1f", 100 * (Double(residentAtLast) / Double(max(1, residentAt100)) - 1)))%), "
              + "descriptors before \(descriptorsBefore), after closeAll \(descriptorsAfter)")

        XCTAssertEqual(unexpected, [], "every failure is a ProviderError")
        XCTAssertEqual(healthyAnswered, healthy, "every healthy request between the faults was answered in full")
        XCTAssertGreaterThan(residentAt100, 0)
        XCTAssertLessThanOrEqual(Double(residentAtLast), Double(residentAt100) * 1.10,
                                 "RSS at the last request within 10% of RSS at the 100th")
        XCTAssertEqual(descriptorsAfter, descriptorsBefore, "descriptors after closeAll() as before the first request")
    }
}
