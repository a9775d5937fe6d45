import Foundation
import TidepoolSim
import XCTest

/// Each fault model over a real loopback connection, at instant pace (`:instant`).
final class SimServerFaultTests: SimServerTestCase {
    private let openAIBody = { (model: String) in
        #"{"model":"\#(model)","stream":true,"messages":[{"role":"user","content":"hello"}]}"#
    }

    func testDropClosesMidStream() async throws {
        let connection = try RawHTTPConnection(port: port)
        let response = try await connection.exchange("POST", "/v1/chat/completions", body: openAIBody("fault-drop:instant"))
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.ending, .closedEarly)
        let events = WireParsing.sse(response.body)
        XCTAssertGreaterThan(events.count, 10, "about half the stream arrives first")
        XCTAssertFalse(events.contains { $0.data == "[DONE]" })
    }

    func testStallKeepsConnectionOpenWithoutData() async throws {
        let connection = try RawHTTPConnection(port: port, timeout: 0.4)
        let response = try await connection.exchange("POST", "/api/chat", body:
            #"{"model":"fault-stall:instant","messages":[{"role":"user","content":"hello"}]}"#)
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.ending, .timedOut)
        let lines = WireParsing.ndjson(response.body)
        XCTAssertEqual(lines.count, 40, "half of 80 tokens, then silence")
        XCTAssertEqual(server.stats.openConnections, 1, "the stalled connection stays open")
    }

    func testTooManyRequestsHasRetryAfter() async throws {
        let response = try await RawHTTPConnection(port: port).exchange(
            "POST", "/v1/chat/completions", body: openAIBody("fault-429"))
        XCTAssertEqual(response.status, 429)
        XCTAssertEqual(response.header("retry-after"), "1")
        let error = try XCTUnwrap(WireParsing.object(response.body)?["error"] as? [String: Any])
        XCTAssertEqual(error["code"] as? String, "rate_limit_exceeded")

        let anthropic = try await RawHTTPConnection(port: port).exchange(
            "POST", "/v1/messages", body: #"{"model":"fault-429","max_tokens":10,"messages":[]}"#)
        XCTAssertEqual(anthropic.status, 429)
        XCTAssertEqual((WireParsing.object(anthropic.body)?["error"] as? [String: Any])?["type"] as? String, "rate_limit_error")
    }

    func testServerErrorInEachShape() async throws {
        let openAI = try await RawHTTPConnection(port: port).exchange(
            "POST", "/v1/chat/completions", body: openAIBody("fault-500"))
        XCTAssertEqual(openAI.status, 500)
        XCTAssertEqual((WireParsing.object(openAI.body)?["error"] as? [String: Any])?["type"] as? String, "server_error")

        let ollama = try await RawHTTPConnection(port: port).exchange(
            "POST", "/api/chat", body: #"{"model":"fault-500","messages":[]}"#)
        XCTAssertEqual(ollama.status, 500)
        XCTAssertNotNil(WireParsing.object(ollama.body)?["error"] as? String)

        let anthropic = try await RawHTTPConnection(port: port).exchange(
            "POST", "/v1/messages", body: #"{"model":"fault-500","max_tokens":10,"messages":[]}"#)
        XCTAssertEqual(anthropic.status, 500)
        let object = try XCTUnwrap(WireParsing.object(anthropic.body))
        XCTAssertEqual(object["type"] as? String, "error")
        XCTAssertEqual((object["error"] as? [String: Any])?["type"] as? String, "api_error")
    }

    func testMalformedLineMidStreamThenNormalEnd() async throws {
        let response = try await RawHTTPConnection(port: port).exchange(
            "POST", "/api/chat", body: #"{"model":"fault-malformed:instant","messages":[{"role":"user","content":"hi"}]}"#)
        XCTAssertEqual(response.ending, .complete)
        let lines = WireParsing.ndjson(response.body)
        XCTAssertEqual(lines.count, 82, "80 tokens, one broken line, the final line")
        let broken = lines.indices.filter { lines[$0] == nil }
        XCTAssertEqual(broken, [40])
        XCTAssertEqual(lines.last??["done"] as? Bool, true)

        let sse = try await RawHTTPConnection(port: port).exchange(
            "POST", "/v1/chat/completions", body: openAIBody("fault-malformed:instant"))
        let events = WireParsing.sse(sse.body)
        XCTAssertEqual(events.filter { $0.json == nil && $0.data != "[DONE]" }.count, 1)
        XCTAssertEqual(events.last?.data, "[DONE]")
    }

    func testRefuseClosesWithoutAnyResponse() async throws {
        let connection = try RawHTTPConnection(port: port)
        let response = try await connection.exchange("POST", "/v1/chat/completions", body: openAIBody("fault-refuse"))
        XCTAssertEqual(response.status, 0, "no status line")
        XCTAssertEqual(response.ending, .closedEarly)
        XCTAssertTrue(response.body.isEmpty)
    }
}

extension SimServerFaultTests {
    func testStalledConnectionClosesWhenClientHangsUp() async throws {
        var connection: RawHTTPConnection? = try RawHTTPConnection(port: port, timeout: 0.3)
        // Read what arrives first, so closing sends a plain FIN (unread data would send a reset).
        let partial = try await connection?.exchange("POST", "/api/chat", body: #"{"model":"fault-stall:instant","messages":[]}"#)
        XCTAssertEqual(partial?.ending, .timedOut)
        XCTAssertEqual(server.stats.openConnections, 1)
        connection = nil  // closes the socket
        XCTAssertNil(connection)
        let closeDeadline = ContinuousClock.now + .seconds(1)
        while server.stats.openConnections > 0, ContinuousClock.now < closeDeadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        XCTAssertEqual(server.stats.openConnections, 0, "the server lets go of a stalled stream the client abandoned")
    }
}

extension SimServerFaultTests {
    func testNonStreamingFaults() async throws {
        let dropped = try await RawHTTPConnection(port: port).exchange(
            "POST", "/v1/chat/completions", body: #"{"model":"fault-drop:instant","messages":[]}"#)
        XCTAssertEqual(dropped.ending, .closedEarly)
        XCTAssertEqual(dropped.status, 0, "a non-streaming drop loses the whole response")

        let malformed = try await RawHTTPConnection(port: port).exchange(
            "POST", "/v1/chat/completions", body: #"{"model":"fault-malformed:instant","messages":[]}"#)
        XCTAssertEqual(malformed.status, 200)
        XCTAssertEqual(malformed.ending, .complete)
        XCTAssertTrue(malformed.text.hasPrefix(#"{"id":"chatcmpl-"#))
        XCTAssertNil(WireParsing.object(malformed.body), "the body is cut JSON")
    }
}
