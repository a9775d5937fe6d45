import Foundation
import Synchronization
import TestSupport
import TidepoolChat
import TidepoolPool
import TidepoolProviders
import XCTest

/// The runtime that carries out `startChat` and `cancelChat`: every outcome comes back as a
/// message tagged with its pane and request, and a cancelled request ends without one.
final class ChatRuntimeTests: XCTestCase {
    private var pool: PoolManager!
    private final class Posted: Sendable {
        let messages = Mutex<[AppMessage]>([])
    }
    private let posted = Posted()

    override func setUp() { pool = PoolManager() }
    override func tearDown() { pool.shutdown() }

    private func runtime(_ directory: ProviderDirectory) -> ChatRuntime {
        let posted = self.posted
        return ChatRuntime(directory: directory, pool: pool) { message in posted.messages.withLock { $0.append(message) } }
    }

    private func start(_ provider: String, requestID: Int = 7) -> AppEffect {
        .startChat(pane: 2, requestID: requestID, provider: provider,
                   request: ChatRequest(model: "m", messages: [ChatMessage(role: .user, text: "hi")]))
    }

    /// Waits (at most 10 s) until `condition` holds.
    private func waitUntil(_ what: String, _ condition: () -> Bool) {
        let deadline = Date().addingTimeInterval(10)
        while !condition() && Date() < deadline { usleep(2_000) }
        XCTAssertTrue(condition(), "timed out waiting until \(what)")
    }

    func testAnUnknownProviderFailsInItsPaneAtOnce() {
        let chats = runtime(ProviderDirectory())
        chats.perform(start("nosuch"))
        let messages = posted.messages.withLock { $0 }
        XCTAssertEqual(messages.count, 1)
        guard case .chatFailed(let pane, let request, let text)? = messages.first else {
            return XCTFail("expected a failure, got \(messages)")
        }
        XCTAssertEqual(pane, 2)
        XCTAssertEqual(request, 7)
        XCTAssertTrue(text.contains("nosuch"), text)
        XCTAssertEqual(chats.inFlight, 0)
    }

    func testCancelEndsAStalledRequestWithoutAnEndMessageAndClosesItsConnection() throws {
        let server = try ScriptedHTTPServer()
        defer { server.stop() }
        // The provider appends its API path to the base URL; as a query it leaves /stall.
        let catalog = ProviderCatalog(entries: [
            "stalled": .init(preset: .openAICompatible, baseURL: server.url("/stall?rest=")),
        ])
        let chats = runtime(catalog.directory(transport: pool))
        chats.perform(start("stalled"))
        XCTAssertEqual(chats.inFlight, 1)
        _ = server.wait(seconds: 10) { $0.requests >= 1 }
        XCTAssertEqual(server.snapshot.requests, 1, "the request reached the server")
        chats.perform(.cancelChat(requestID: 7))
        waitUntil("the request is no longer in flight") { chats.inFlight == 0 }
        let closed = server.wait(seconds: 10) { $0.closed >= 1 }
        XCTAssertEqual(closed.closed, 1, "cancelling an HTTP/1.1 stream closes its connection")
        let ends = posted.messages.withLock { $0 }.filter {
            switch $0 {
            case .chatEnded, .chatFailed: true
            default: false
            }
        }
        XCTAssertEqual(ends.count, 0, "a cancelled request posts no end: \(ends)")
    }

    func testCancelAllStopsEveryRequest() throws {
        let server = try ScriptedHTTPServer()
        defer { server.stop() }
        let catalog = ProviderCatalog(entries: [
            "stalled": .init(preset: .openAICompatible, baseURL: server.url("/stall?rest=")),
        ])
        let chats = runtime(catalog.directory(transport: pool))
        chats.perform(start("stalled", requestID: 1))
        chats.perform(start("stalled", requestID: 2))
        XCTAssertEqual(chats.inFlight, 2)
        _ = server.wait(seconds: 10) { $0.requests >= 2 }
        chats.cancelAll()
        waitUntil("nothing is in flight") { chats.inFlight == 0 }
        XCTAssertEqual(server.wait(seconds: 10) { $0.closed >= 2 }.closed, 2)
    }
}
