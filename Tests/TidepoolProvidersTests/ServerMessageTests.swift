import XCTest

@testable import TidepoolProviders

final class ServerMessageTests: XCTestCase {
    func testAnHTMLErrorPageIsNamedByItsTitleNotItsMarkup() {
        let nginx = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
        XCTAssertEqual(ServerMessage.extract(from: Array(nginx.utf8)), "an HTML page “502 Bad Gateway”")
        let headingOnly = "<!DOCTYPE html><BODY><H1>Sign in to the hotel Wi-Fi</H1></BODY>"
        XCTAssertEqual(ServerMessage.extract(from: Array(headingOnly.utf8)), "an HTML page “Sign in to the hotel Wi-Fi”")
        XCTAssertEqual(ServerMessage.extract(from: Array("<html><p>nothing named</p></html>".utf8)), "an HTML page")
    }

    func testNonASCIIBeforeTheTitleKeepsOffsets() {
        // 'İ' grows when lower-cased by Unicode rules; the page must still be read correctly.
        let page = "<html><!-- İİİİ --><title>Ünïcode ok</title></html>"
        XCTAssertEqual(ServerMessage.extract(from: Array(page.utf8)), "an HTML page “Ünïcode ok”")
        XCTAssertEqual(ServerMessage.extract(from: Array("<html><title>unclosed".utf8)), "an HTML page")
    }

    func testPlainTextAndJSONAreUnchanged() {
        XCTAssertEqual(ServerMessage.extract(from: Array("model is loading".utf8)), "model is loading")
        XCTAssertEqual(ServerMessage.extract(from: Array(#"{"error":"busy"}"#.utf8)), "busy")
        XCTAssertEqual(ServerMessage.extract(from: Array("<not html at all>".utf8)), "<not html at all>")
    }
}
