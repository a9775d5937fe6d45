import TestSupport
import XCTest

@testable import TidepoolPool

/// A `curl_multi_socket_action` that fails (libcurl out of memory, an internal error) leaves
/// the multi handle unusable. The request in flight must end with libcurl's message rather
/// than hang, and the next request must get a new multi handle and succeed. No loopback
/// server can make libcurl fail so, so the failure is injected at the one call site.
final class SocketActionFailureTests: XCTestCase {
    func testAFailedSocketActionFailsTheStreamAndTheNextRequestWorks() async throws {
        let server = try ScriptedHTTPServer()
        defer { server.stop() }
        let manager = PoolManager()
        defer { manager.shutdown() }
        server.step()
        var events = manager.stream(HTTPRequest(url: server.url("/stepped?chunks=3"))).makeAsyncIterator()
        // The first chunk arrived: the transfer is in the multi handle, waiting for more.
        while true {
            guard let event = try await events.next() else { return XCTFail("the stream ended early") }
            if case .body = event { break }
        }
        let taken = await manager.failNextSocketAction()
        XCTAssertEqual(taken, 1)
        server.step()
        do {
            while try await events.next() != nil {}
            XCTFail("the stream finished though its multi handle failed")
        } catch let error as PoolError {
            XCTAssertTrue("\(error)".contains("curl_multi_socket_action failed"), "\(error)")
        }
        let answer = try await manager.send(HTTPRequest(url: server.url("/hello")))
        XCTAssertEqual(answer.head.status, 200)
    }
}
