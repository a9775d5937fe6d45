import Foundation
import TidepoolSim
import XCTest

final class SimServerAnthropicTests: SimServerTestCase {
    private func messages(_ body: String) async throws -> RawHTTPConnection.Response {
        try await RawHTTPConnection(port: port).exchange(
            "POST", "/v1/messages", body: body, headers: ["anthropic-version": "2023-06-01", "x-api-key": "test"])
    }

    func testTextStreamEventSequence() async throws {
        let response = try await messages(
            #"{"model":"sim-instant","max_tokens":1024,"stream":true,"messages":[{"role":"user","content":"Hello"}]}"#)
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header("content-type"), "text/event-stream; charset=utf-8")
        let events = WireParsing.sse(response.body)
        for event in events {
            XCTAssertEqual(event.json?["type"] as? String, event.event, "event name matches data.type")
        }
        let names = events.compactMap(\.event)
        XCTAssertEqual(Array(names.prefix(3)), ["message_start", "content_block_start", "ping"])
        XCTAssertEqual(Array(names.suffix(3)), ["content_block_stop", "message_delta", "message_stop"])
        XCTAssertEqual(names.filter { $0 == "content_block_delta" }.count, 80)
        let deltas = events.filter { $0.event == "content_block_delta" }.compactMap { $0.json?["delta"] as? [String: Any] }
        XCTAssertTrue(deltas.allSatisfy { $0["type"] as? String == "text_delta" })
        XCTAssertTrue(events.contains { $0.data == #"{"type": "ping"}"# }, "ping written as the real API does")

        let start = try XCTUnwrap(events.first?.json?["message"] as? [String: Any])
        XCTAssertTrue((start["id"] as? String)?.hasPrefix("msg_") ?? false)
        XCTAssertGreaterThan((start["usage"] as? [String: Any])?["input_tokens"] as? Int ?? 0, 0)
        let messageDelta = try XCTUnwrap(events.first { $0.event == "message_delta" }?.json)
        XCTAssertEqual((messageDelta["delta"] as? [String: Any])?["stop_reason"] as? String, "end_turn")
        XCTAssertEqual((messageDelta["usage"] as? [String: Any])?["output_tokens"] as? Int, 80)
    }

    func testThinkingBlockThenTextBlock() async throws {
        let response = try await messages(
            #"{"model":"sim-thinker:instant","max_tokens":4096,"stream":true,"thinking":{"type":"enabled","budget_tokens":2048},"messages":[{"role":"user","content":"Think first"}]}"#)
        let events = WireParsing.sse(response.body)
        let starts = events.filter { $0.event == "content_block_start" }.compactMap { $0.json }
        XCTAssertEqual(starts.map { $0["index"] as? Int }, [0, 1])
        XCTAssertEqual(starts.map { ($0["content_block"] as? [String: Any])?["type"] as? String }, ["thinking", "text"])
        let deltaTypes = events.filter { $0.event == "content_block_delta" }
            .compactMap { ($0.json?["delta"] as? [String: Any])?["type"] as? String }
        XCTAssertEqual(deltaTypes.filter { $0 == "thinking_delta" }.count, 60)
        XCTAssertEqual(deltaTypes.filter { $0 == "text_delta" }.count, 140)
        let signatureAt = try XCTUnwrap(deltaTypes.firstIndex(of: "signature_delta"))
        XCTAssertEqual(signatureAt, 60, "the signature closes the thinking block, before any text")
        let usage = events.first { $0.event == "message_delta" }?.json?["usage"] as? [String: Any]
        XCTAssertEqual(usage?["output_tokens"] as? Int, 200)
    }

    func testNoThinkingWithoutTheRequest() async throws {
        let response = try await messages(
            #"{"model":"sim-thinker:instant","max_tokens":4096,"stream":true,"messages":[{"role":"user","content":"x"}]}"#)
        let events = WireParsing.sse(response.body)
        XCTAssertFalse(events.contains { $0.data.contains("thinking") })
    }

    func testNonStreamingMessageWithMaxTokens() async throws {
        let response = try await messages(
            #"{"model":"sim-instant","max_tokens":5,"messages":[{"role":"user","content":[{"type":"text","text":"Hi"}]}]}"#)
        let object = try XCTUnwrap(WireParsing.object(response.body))
        XCTAssertEqual(object["type"] as? String, "message")
        XCTAssertEqual(object["stop_reason"] as? String, "max_tokens")
        let content = try XCTUnwrap(object["content"] as? [[String: Any]])
        XCTAssertEqual(content.first?["type"] as? String, "text")
        XCTAssertEqual(SimTextGenerator.tokenize(content.first?["text"] as? String ?? "").count, 5)
    }

    func testModelsListingFollowsHeaders() async throws {
        let anthropic = try await RawHTTPConnection(port: port).exchange(
            "GET", "/v1/models", headers: ["anthropic-version": "2023-06-01"])
        let object = try XCTUnwrap(WireParsing.object(anthropic.body))
        XCTAssertEqual(object["has_more"] as? Bool, false)
        let data = try XCTUnwrap(object["data"] as? [[String: Any]])
        XCTAssertTrue(data.allSatisfy { $0["type"] as? String == "model" })
        XCTAssertEqual(object["first_id"] as? String, data.first?["id"] as? String)

        let openAI = try await RawHTTPConnection(port: port).exchange("GET", "/v1/models")
        XCTAssertEqual(WireParsing.object(openAI.body)?["object"] as? String, "list")
    }

    func testUnknownModelIs404InAnthropicShape() async throws {
        let response = try await messages(#"{"model":"claude-9","max_tokens":10,"messages":[]}"#)
        XCTAssertEqual(response.status, 404)
        XCTAssertEqual(response.text, #"{"type":"error","error":{"type":"not_found_error","message":"model: claude-9"}}"#)
    }
}
