import TidepoolPool
import XCTest

final class OriginTests: XCTestCase {
    func testParsesSchemeHostAndDefaultPorts() {
        XCTAssertEqual(Origin(url: "http://127.0.0.1:11434/api/chat"), Origin(scheme: "http", host: "127.0.0.1", port: 11434))
        XCTAssertEqual(Origin(url: "HTTPS://API.OpenAI.com/v1/chat/completions")?.port, 443)
        XCTAssertEqual(Origin(url: "http://localhost")?.port, 80)
        XCTAssertEqual(Origin(url: "http://[::1]:8080/v1")?.host, "::1")
        XCTAssertEqual(Origin(url: "http://[::1]:8080/v1")?.hostAndPort, "[::1]:8080")
        XCTAssertEqual(Origin(url: "https://user:pw@example.com/x")?.host, "example.com")
    }

    /// ASCII URLs are read as bytes, others as characters: both follow the same rules.
    func testTheByteAndCharacterReadingsAgree() {
        XCTAssertEqual(Origin(url: "http://Example.COM:8080?q=1"), Origin(scheme: "http", host: "example.com", port: 8080))
        XCTAssertEqual(Origin(url: "https://h#frag")?.port, 443)
        XCTAssertEqual(Origin(url: "http://a@b@Host:81/x@y"), Origin(scheme: "http", host: "host", port: 81))
        XCTAssertEqual(Origin(url: "http://[::1]/v1")?.port, 80)
        XCTAssertNil(Origin(url: "http://[::1]x/v1"))
        XCTAssertNil(Origin(url: "http://[::1:8080/v1"))
        XCTAssertNil(Origin(url: "http://host:/v1"))
        XCTAssertNil(Origin(url: "http:/host"))
        XCTAssertNil(Origin(url: "http://"))
        // The same shapes with a non-ASCII host take the character path.
        XCTAssertEqual(Origin(url: "http://Exämple.com:8080?q=1"), Origin(scheme: "http", host: "exämple.com", port: 8080))
        XCTAssertEqual(Origin(url: "https://ü@Hößt/x")?.host, "hößt")
        XCTAssertEqual(Origin(url: "https://ü@Hößt/x")?.port, 443)
        XCTAssertNil(Origin(url: "http://hö:/v1"))
        XCTAssertNil(Origin(url: "ftp://hö"))
    }

    func testRejectsWhatIsNotAnHTTPURL() {
        XCTAssertNil(Origin(url: "ftp://example.com"))
        XCTAssertNil(Origin(url: "example.com:80"))
        XCTAssertNil(Origin(url: "http://:80"))
        XCTAssertNil(Origin(url: "http://host:99999"))
        XCTAssertNil(Origin(url: "http://host:abc"))
    }

    func testPoolNameNeverCarriesCredentials() {
        let key = PoolKey(origin: Origin(url: "https://user:secret@example.com")!)
        XCTAssertFalse(key.description.contains("secret"))
        XCTAssertEqual(key.description, "https://example.com:443")
    }
}
