import Foundation
import TidepoolSim
import XCTest

final class SimServerOpenAITests: SimServerTestCase {
    private func completions(_ body: String) async throws -> RawHTTPConnection.Response {
        try await RawHTTPConnection(port: port).exchange("POST", "/v1/chat/completions", body: body)
    }

    func testStreamShapeWithUsageChunkAndDone() async throws {
        let response = try await completions(
            #"{"model":"sim-instant","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Tell me about coffee"}]}"#)
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header("content-type"), "text/event-stream; charset=utf-8")
        let events = WireParsing.sse(response.body)
        XCTAssertEqual(events.last?.data, "[DONE]")
        let chunks = events.dropLast().map { try? XCTUnwrap($0.json) }.compactMap { $0 }
        XCTAssertEqual(chunks.count, events.count - 1, "every data line but [DONE] is JSON")
        let ids = Set(chunks.compactMap { $0["id"] as? String })
        XCTAssertEqual(ids.count, 1)
        XCTAssertTrue(ids.first?.hasPrefix("chatcmpl-") ?? false)
        XCTAssertTrue(chunks.allSatisfy { $0["object"] as? String == "chat.completion.chunk" })

        let choices = chunks.map { $0["choices"] as? [[String: Any]] ?? [] }
        let first = try XCTUnwrap(choices.first?.first?["delta"] as? [String: Any])
        XCTAssertEqual(first["role"] as? String, "assistant")
        XCTAssertEqual(first["content"] as? String, "")
        let contents = choices.dropFirst().compactMap { ($0.first?["delta"] as? [String: Any])?["content"] as? String }
        XCTAssertEqual(contents.count, 80)
        let finish = choices[choices.count - 2].first
        XCTAssertEqual(finish?["finish_reason"] as? String, "stop")
        XCTAssertEqual((finish?["delta"] as? [String: Any])?.count, 0)
        // The usage chunk: empty choices, counts that add up.
        XCTAssertEqual(choices.last?.count, 0)
        let usage = try XCTUnwrap(chunks.last?["usage"] as? [String: Any])
        XCTAssertEqual(usage["completion_tokens"] as? Int, 80)
        let prompt = try XCTUnwrap(usage["prompt_tokens"] as? Int)
        XCTAssertEqual(usage["total_tokens"] as? Int, prompt + 80)
    }

    func testNoUsageChunkUnlessAsked() async throws {
        let response = try await completions(#"{"model":"sim-instant","stream":true,"messages":[{"role":"user","content":"x"}]}"#)
        let chunks = WireParsing.sse(response.body).dropLast().compactMap(\.json)
        XCTAssertFalse(chunks.contains { $0["usage"] != nil })
        XCTAssertEqual((chunks.last?["choices"] as? [[String: Any]])?.first?["finish_reason"] as? String, "stop")
    }

    func testReasoningContentComesBeforeContent() async throws {
        let response = try await completions(
            #"{"model":"sim-thinker:instant","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"why?"}]}"#)
        let deltas = WireParsing.sse(response.body).dropLast().compactMap(\.json)
            .compactMap { ($0["choices"] as? [[String: Any]])?.first?["delta"] as? [String: Any] }
        let kinds = deltas.compactMap { delta -> String? in
            if delta["reasoning_content"] != nil { return "r" }
            if let content = delta["content"] as? String, !content.isEmpty { return "c" }
            return nil
        }
        XCTAssertEqual(kinds.joined(), String(repeating: "r", count: 60) + String(repeating: "c", count: 140))
        let usage = WireParsing.sse(response.body).dropLast().last?.json?["usage"] as? [String: Any]
        XCTAssertEqual((usage?["completion_tokens_details"] as? [String: Any])?["reasoning_tokens"] as? Int, 60)
    }

    func testNonStreamingCompletion() async throws {
        let response = try await completions(
            #"{"model":"sim-instant","max_tokens":12,"messages":[{"role":"user","content":"short please"}]}"#)
        XCTAssertEqual(response.status, 200)
        let object = try XCTUnwrap(WireParsing.object(response.body))
        XCTAssertEqual(object["object"] as? String, "chat.completion")
        let choice = try XCTUnwrap((object["choices"] as? [[String: Any]])?.first)
        XCTAssertEqual(choice["finish_reason"] as? String, "length")
        let content = try XCTUnwrap((choice["message"] as? [String: Any])?["content"] as? String)
        XCTAssertEqual(SimTextGenerator.tokenize(content).count, 12)
        XCTAssertEqual((object["usage"] as? [String: Any])?["completion_tokens"] as? Int, 12)
    }

    func testSamePromptSameTextDifferentPromptDifferentText() async throws {
        func answer(_ prompt: String) async throws -> String {
            let response = try await completions(
                #"{"model":"sim-fast:instant","messages":[{"role":"user","content":"\#(prompt)"}]}"#)
            let choice = (WireParsing.object(response.body)?["choices"] as? [[String: Any]])?.first
            return try XCTUnwrap((choice?["message"] as? [String: Any])?["content"] as? String)
        }
        let first = try await answer("What is a B-tree?")
        let again = try await answer("What is a B-tree?")
        let other = try await answer("What is a levain?")
        XCTAssertEqual(first, again)
        XCTAssertNotEqual(first, other)
    }

    func testModelListing() async throws {
        let response = try await RawHTTPConnection(port: port).exchange("GET", "/v1/models")
        let object = try XCTUnwrap(WireParsing.object(response.body))
        XCTAssertEqual(object["object"] as? String, "list")
        let data = try XCTUnwrap(object["data"] as? [[String: Any]])
        XCTAssertTrue(data.contains { $0["id"] as? String == "sim-fast" })
        XCTAssertTrue(data.allSatisfy { $0["object"] as? String == "model" && $0["owned_by"] as? String == "tidepool-sim" })
        XCTAssertTrue(data.allSatisfy { $0["created"] is Int })
    }

    func testUnknownModelIs404InOpenAIShape() async throws {
        let response = try await completions(#"{"model":"gpt-9","messages":[]}"#)
        XCTAssertEqual(response.status, 404)
        let error = try XCTUnwrap(WireParsing.object(response.body)?["error"] as? [String: Any])
        XCTAssertEqual(error["message"] as? String, "The model `gpt-9` does not exist or you do not have access to it.")
        XCTAssertEqual(error["type"] as? String, "invalid_request_error")
        XCTAssertEqual(error["code"] as? String, "model_not_found")
    }

    func testUnknownPathIs404() async throws {
        let response = try await RawHTTPConnection(port: port).exchange("GET", "/v1/nothing")
        XCTAssertEqual(response.status, 404)
        XCTAssertNotNil(WireParsing.object(response.body)?["error"] as? [String: Any])
    }
}
