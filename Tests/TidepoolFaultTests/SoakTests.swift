import Foundation
import TidepoolBench
import XCTest

/// 200 requests with mixed faults through one pool manager, four at a time: nothing grows.
/// Resident memory at the last request stays within 10% of what it was at the 100th, and
/// after `closeAll()` the process has exactly the descriptors it had before the first request.
/// (`tidepool bench faults` runs the same soak with 1,000 requests.)
final class SoakTests: XCTestCase {
    func testTwoHundredMixedFaultsThroughOnePoolLeakNeitherMemoryNorDescriptors() async throws {
        let result = try await FaultSoak(requests: 200, width: 4).run()
        print("soak: " + result.summary)

        XCTAssertEqual(result.unexpected, [], "every failure is a ProviderError")
        XCTAssertEqual(result.healthyAnswered, result.healthy, "every healthy request between the faults was answered in full")
        XCTAssertGreaterThan(result.residentAt100, 0)
        XCTAssertLessThanOrEqual(Double(result.residentAtLast), Double(result.residentAt100) * 1.10,
                                 "RSS at the last request within 10% of RSS at the 100th")
        // At most as many: another suite's descriptor closing in the background may lower the
        // count in this shared test process; a leak would raise it.
        XCTAssertLessThanOrEqual(result.descriptorsAfter, result.descriptorsBefore,
                                 "descriptors after closeAll() as before the first request")
    }
}
