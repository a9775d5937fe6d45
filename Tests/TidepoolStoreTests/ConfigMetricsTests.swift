import XCTest

@testable import TidepoolStore

/// The `[metrics]` table: `listen = "HOST:PORT"`, any address (the config is the consent a
/// remote one needs), every mistake with its line and a fix.
final class ConfigMetricsTests: XCTestCase {
    private let file = "/home/u/.config/tidepool/config.toml"

    private func validate(_ source: String) -> ConfigValidation {
        ConfigValidator(environment: [:], homeDirectory: "/home/u", fileMode: { _ in nil })
            .validate(source: source, file: file)
    }

    func testListenAddressIsRead() {
        let validation = validate("theme = \"tidepool-dark\"\n[metrics]\nlisten = \"127.0.0.1:9464\"\n")
        XCTAssertEqual(validation.issues, [])
        XCTAssertEqual(validation.config.metricsListen, MetricsListenAddress(host: "127.0.0.1", port: 9464))
        XCTAssertNil(validate("").config.metricsListen)
    }

    func testTheConfigMayNameARemoteAddress() {
        let validation = validate("[metrics]\nlisten = \"0.0.0.0:9464\"\n")
        XCTAssertEqual(validation.issues, [])
        XCTAssertEqual(validation.config.metricsListen?.host, "0.0.0.0")
    }

    func testMistakesHaveALineAndAFix() {
        let source = "[metrics]\nlisten = \"127.0.0.1\"\nlistn = 3\n"
        let issues = validate(source).issues
        XCTAssertEqual(issues.count, 2, "\(issues)")
        XCTAssertEqual(issues.first?.kind, .badAddress)
        XCTAssertEqual(issues.first?.line, 2)
        XCTAssertTrue(issues.first?.description.contains("has no port") == true, issues.first?.description ?? "")
        XCTAssertTrue(issues.first?.description.contains("127.0.0.1:9464") == true, issues.first?.description ?? "")
        XCTAssertEqual(issues.last?.kind, .unknownKey)
        XCTAssertEqual(issues.last?.line, 3)
        XCTAssertTrue(issues.last?.description.contains("did you mean 'listen'?") == true, issues.last?.description ?? "")

        let wrongType = validate("[metrics]\nlisten = 9464\n").issues
        XCTAssertEqual(wrongType.map(\.kind), [.wrongType])
        XCTAssertEqual(wrongType.first?.line, 2)
        XCTAssertEqual(validate("metrics = 1\n").issues.map(\.kind), [.wrongType])
    }
}
