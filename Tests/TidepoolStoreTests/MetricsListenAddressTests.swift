import XCTest
@testable import TidepoolStore

final class MetricsListenAddressTests: XCTestCase {
    func testHostAndPort() throws {
        XCTAssertEqual(try MetricsListenAddress(parsing: "127.0.0.1:9464", allowRemote: false),
                       MetricsListenAddress(host: "127.0.0.1", port: 9464))
        XCTAssertEqual(try MetricsListenAddress(parsing: "[::1]:9464", allowRemote: false),
                       MetricsListenAddress(host: "::1", port: 9464))
        XCTAssertEqual(try MetricsListenAddress(parsing: ":9464", allowRemote: false).host, "127.0.0.1")
        XCTAssertEqual(try MetricsListenAddress(parsing: "localhost:1", allowRemote: false).port, 1)
        XCTAssertEqual(MetricsListenAddress(host: "::1", port: 9).description, "[::1]:9")
    }

    func testMalformedAddressesSayWhatToWrite() {
        XCTAssertThrowsError(try MetricsListenAddress(parsing: "127.0.0.1", allowRemote: false)) {
            XCTAssertEqual($0 as? MetricsListenAddress.ParseError, .missingPort("127.0.0.1"))
        }
        XCTAssertThrowsError(try MetricsListenAddress(parsing: "127.0.0.1:99999", allowRemote: false)) {
            XCTAssertEqual($0 as? MetricsListenAddress.ParseError, .badPort("127.0.0.1:99999"))
        }
        XCTAssertThrowsError(try MetricsListenAddress(parsing: "::1:80", allowRemote: false)) {
            XCTAssertEqual($0 as? MetricsListenAddress.ParseError, .missingPort("::1:80"))
        }
        XCTAssertTrue(MetricsListenAddress.ParseError.badPort("x:0").description.contains("HOST:PORT"))
    }

    func testARemoteAddressNeedsConsent() throws {
        XCTAssertThrowsError(try MetricsListenAddress(parsing: "0.0.0.0:9464", allowRemote: false)) {
            XCTAssertEqual($0 as? MetricsListenAddress.ParseError, .remoteNotAllowed("0.0.0.0:9464"))
        }
        XCTAssertThrowsError(try MetricsListenAddress(parsing: "127.0.0.300:9464", allowRemote: false))
        XCTAssertEqual(try MetricsListenAddress(parsing: "0.0.0.0:9464", allowRemote: true).host, "0.0.0.0")
    }
}
