import XCTest

@testable import TidepoolProviders

final class ServerMessageTests: XCTestCase {
    func testAnHTMLErrorPageIsNamedByItsTitleNotItsMarkup() {
        let nginx = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
        XCTAssertEqual(ServerMessage.extract(from: Array(nginx.utf8)), "502 Bad Gateway")
        let untitled = "<!DOCTYPE html><BODY><H1>Sign in to the hotel Wi-Fi</H1></BODY>"
        XCTAssertEqual(ServerMessage.extract(from: Array(untitled.utf8)), "Sign in to the hotel Wi-Fi")
    }

    func testNonASCIIAroundTheTitleIsReadSafely() {
        // 'İ' grows when lower-cased; the title must still be cut at the right place.
        let page = "<html><!-- İİİİ --><TITLE>Ünïcode ok</TITLE></html>"
        XCTAssertEqual(ServerMessage.extract(from: Array(page.utf8)), "Ünïcode ok")
        XCTAssertNotNil(ServerMessage.extract(from: Array("<html><title>unclosed".utf8)))
    }

    func testPlainTextAndJSONAreUnchanged() {
        XCTAssertEqual(ServerMessage.extract(from: Array("model is loading".utf8)), "model is loading")
        XCTAssertEqual(ServerMessage.extract(from: Array(#"{"error":"busy"}"#.utf8)), "busy")
        XCTAssertEqual(ServerMessage.extract(from: Array("<not html at all>".utf8)), "<not html at all>")
    }
}
