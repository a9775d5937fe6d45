import XCTest

@testable import TidepoolStore

/// `auto_size` in a provider table.
final class ConfigAutoSizeTests: XCTestCase {
    private func validate(_ source: String) -> ConfigValidation {
        ConfigValidator(environment: [:], homeDirectory: "/h", fileMode: { _ in nil })
            .validate(source: source, file: "c.toml")
    }

    func testAutoSizeIsReadAndLeftUnsetWhenNotWritten() {
        let validation = validate("""
            [providers.ollama]
            auto_size = false

            [providers.box]
            kind = "openai"
            base_url = "http://203.0.113.7:8000/v1"
            auto_size = true

            [providers.lab]
            kind = "openai"
            base_url = "http://127.0.0.1:9/v1"
            """)
        XCTAssertEqual(validation.issues.map(\.description), [])
        XCTAssertEqual(validation.config.providers["ollama"]?.autoSize, false)
        XCTAssertEqual(validation.config.providers["box"]?.autoSize, true)
        XCTAssertNil(validation.config.providers["lab"]?.autoSize)
    }

    func testAWrongTypeIsAnErrorAtItsLine() throws {
        let validation = validate("""
            [providers.ollama]
            auto_size = "no"
            """)
        let issue = try XCTUnwrap(validation.errors.first)
        XCTAssertEqual(issue.file, "c.toml")
        XCTAssertEqual(issue.line, 2)
        XCTAssertTrue(issue.message.contains("auto_size"), issue.message)
        XCTAssertTrue(issue.message.contains("true or false"), issue.message)
        XCTAssertEqual(issue.fix, "for example auto_size = false")
    }

    func testATypoSuggestsIt() throws {
        let validation = validate("""
            [providers.ollama]
            auto_sise = false
            """)
        XCTAssertEqual(validation.errors.first?.fix, "did you mean 'auto_size'?")
    }
}
