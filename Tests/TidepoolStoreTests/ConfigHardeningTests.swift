import Foundation
import TidepoolPool
import XCTest

@testable import TidepoolStore

/// Issue 8 defects 1, 4 and 10 and issue 12 items 10, as seen by the config file.
final class ConfigHardeningTests: XCTestCase {
    private func validate(_ source: String, themes: [String]? = nil) -> ConfigValidation {
        var validator = ConfigValidator(environment: [:], homeDirectory: "/h", fileMode: { _ in nil })
        validator.themeNames = themes
        return validator.validate(source: source, file: "c.toml")
    }

    private func messages(_ source: String, themes: [String]? = nil) -> [String] {
        validate(source, themes: themes).issues.map(\.description)
    }

    /// Out-of-range numbers are refused with the line and the range, before they reach the
    /// pool's C integers and clocks.
    func testOutOfRangeLimitsAndTimeoutsAreRefusedWithTheRange() {
        XCTAssertEqual(messages("""
            [pool]
            connect_timeout = 1e300
            max_connections = 5000
            max_streams_per_connection = 1001
            idle_expiry_seconds = 86401
            [providers.lab]
            kind = "openai"
            base_url = "http://127.0.0.1:9/v1"
            total_timeout = 9999999999
            """), [
            "c.toml:2:1: error: connect_timeout in [pool] must be at most 86400 seconds (one day), got 1e+300; the range is more than 0 up to 86400 (0 turns it off); for example connect_timeout = 10",
            "c.toml:3:1: error: max_connections in [pool] must be between 1 and 1024, got 5000; for example max_connections = 6",
            "c.toml:4:1: error: max_streams_per_connection in [pool] must be between 1 and 1000, got 1001; for example max_streams_per_connection = 100",
            "c.toml:5:1: error: idle_expiry_seconds in [pool] must be at most 86400 seconds (one day), got 86401; the range is more than 0 up to 86400; for example idle_expiry_seconds = 90",
            "c.toml:9:1: error: total_timeout in [providers.lab] must be at most 86400 seconds (one day), got 9999999999; the range is more than 0 up to 86400 (0 turns it off); for example total_timeout = 600",
        ])
        let fine = validate("""
            [pool]
            max_connections = 1024
            max_streams_per_connection = 1000
            total_timeout = 86400
            """)
        XCTAssertEqual(fine.issues, [])
        XCTAssertEqual(fine.config.defaultLimits.maxStreamsPerConnection, 1000)
        XCTAssertEqual(fine.config.defaultTimeouts.total, 86400)
    }

    func testIdleLimitAboveTheConnectionLimitIsRefusedWhereItIsWritten() {
        XCTAssertEqual(messages("""
            [pool]
            max_connections = 4
            max_idle_connections = 8
            """), [
            "c.toml:3:1: error: max_idle_connections in [pool] is 8, more than max_connections (4); the idle limit is at most the connection limit; for example max_idle_connections = 4",
        ])
        // Inherited: lowered quietly to the table's own connection limit.
        let inherited = validate("""
            [providers.lab]
            kind = "openai"
            base_url = "http://127.0.0.1:9/v1"
            max_connections = 2
            """)
        XCTAssertEqual(inherited.issues, [])
        XCTAssertEqual(inherited.config.providers["lab"]?.limits.maxIdleConnections, 2)
    }

    /// Issue 8 defect 4: a header value with CR or LF would write headers of its own.
    func testHeaderValuesWithLineBreaksAreRefused() {
        XCTAssertEqual(messages("""
            [providers.lab]
            kind = "openai"
            base_url = "http://127.0.0.1:9/v1"
            headers = { X-Team = "a\\r\\nX-Injected: 1", X-Ok = "fine" }
            """), [
            "c.toml:4:13: error: header 'X-Team' in [providers.lab.headers] contains a line break (CR or LF); write the value on one line",
        ])
    }

    func testCredentialsInABadBaseURLAreNotEchoed() {
        let issues = messages("""
            [providers.lab]
            kind = "openai"
            base_url = "ftp://alice:hunter2@host/v1?key=sk-123"
            """)
        XCTAssertEqual(issues.count, 1)
        XCTAssertFalse(issues[0].contains("hunter2") || issues[0].contains("sk-123"), issues[0])
        XCTAssertTrue(issues[0].contains("ftp://[redacted]@host/v1?key=[redacted]"), issues[0])
    }

    /// Issue 8 defect 10: a key file written on Windows still gives the key.
    func testAKeyFileWithABOMAndCRLFIsTrimmed() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("key").path
        try Data([0xEF, 0xBB, 0xBF] + Array("sk-abc123\r\n".utf8)).write(to: URL(fileURLWithPath: path))
        let key = try APIKeySource.file(path: path).resolve(provider: "p", environment: [:], homeDirectory: "/")
        XCTAssertEqual(key.withValue { $0 }, "sk-abc123")
        try Data("sk-abc\r\nsecond line\r\n".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try APIKeySource.file(path: path).resolve(provider: "p", environment: [:], homeDirectory: "/")) {
            XCTAssertEqual($0 as? APIKeyError, .notOneLine(provider: "p", source: path))
        }
    }

    func testMaxAnswerBytes() {
        XCTAssertEqual(validate("").config.maxAnswerBytes, 4 << 20)
        XCTAssertEqual(validate("max_answer_bytes = 65536").config.maxAnswerBytes, 65536)
        XCTAssertEqual(messages("max_answer_bytes = 10"), [
            "c.toml:1:1: error: max_answer_bytes at the top level must be a whole number of bytes from 1024 to 1073741824, got 10; for example max_answer_bytes = 4194304",
        ])
    }

    /// Issue 12 item 10: the theme is checked against the themes the caller found.
    func testUnknownThemeListsTheThemesFound() {
        let themes = ["tidepool-dark", "tidepool-light", "mono"]
        XCTAssertEqual(messages("theme = \"tidepool-drak\"", themes: themes), [
            "c.toml:1:1: error: unknown theme 'tidepool-drak'; did you mean 'tidepool-dark'? themes found: mono, tidepool-dark, tidepool-light",
        ])
        XCTAssertEqual(messages("theme = \"no-such-theme\"", themes: themes), [
            "c.toml:1:1: error: unknown theme 'no-such-theme'; themes found: mono, tidepool-dark, tidepool-light",
        ])
        XCTAssertEqual(messages("theme = \"mono\"", themes: themes), [])
        XCTAssertEqual(messages("theme = \"no-such-theme\""), [], "unchecked when the caller gives no names")
    }

    /// Issue 12 item 10: a table without base_url gets one error, at base_url, and no second
    /// one for the pane that names it.
    func testATableWithoutBaseURLGivesOneError() {
        XCTAssertEqual(messages("""
            panes = ["lab:llama"]
            [providers.lab]
            kind = "openai"
            """), [
            "c.toml:2:1: error: [providers.lab] has no base_url, and kind 'openai' has no default server; add base_url = \"http://HOST:PORT/v1\"",
        ])
    }
}
