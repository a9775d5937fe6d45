import TidepoolPool
import TidepoolProviders
import XCTest

/// Issue 12 item 14: `ask --json` lines read cleanly.
final class EventJSONTests: XCTestCase {
    func testSecondsAreRoundedToTheMicrosecondAndSlashesAreNotEscaped() {
        let line = EventJSON.encode(.timings(ChatTimings(
            queue: 0.00030199999999999997, dns: 4.9e-05, firstByte: 0.1234567, timeToFirstToken: 0.2, total: 1.0000004,
            httpVersion: .http1_1)))
        XCTAssertTrue(line.contains("\"queue_s\":0.000302"), line)
        XCTAssertFalse(line.contains("0.00030199999999999997"), line)
        XCTAssertTrue(line.contains("\"first_byte_s\":0.123457"), line)
        XCTAssertTrue(line.contains("\"dns_s\":0.000049"), line)
        XCTAssertTrue(line.contains("\"total_s\":1,") || line.contains("\"total_s\":1.0,"), line)
        XCTAssertTrue(line.contains("\"http_version\":\"HTTP/1.1\""), line)
        XCTAssertFalse(line.contains("\\/"), line)
        XCTAssertTrue(EventJSON.encode(.textDelta("a/b")).contains("\"a/b\""))
    }
}
