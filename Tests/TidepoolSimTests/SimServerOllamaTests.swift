import Foundation
import TidepoolSim
import XCTest

final class SimServerOllamaTests: SimServerTestCase {
    private func chat(_ body: String) async throws -> RawHTTPConnection.Response {
        try await RawHTTPConnection(port: port).exchange("POST", "/api/chat", body: body)
    }

    func testStreamsNDJSONWithFinalMetrics() async throws {
        let response = try await chat(#"{"model":"sim-instant","messages":[{"role":"user","content":"How do tides work?"}]}"#)
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.ending, .complete)
        XCTAssertEqual(response.header("content-type"), "application/x-ndjson")
        let lines = WireParsing.ndjson(response.body).map { try? XCTUnwrap($0) }
        XCTAssertEqual(lines.count, 81, "80 tokens then the final line")
        let parts = lines.dropLast().compactMap { $0 }
        for part in parts {
            XCTAssertEqual(part["model"] as? String, "sim-instant")
            XCTAssertEqual(part["done"] as? Bool, false)
            XCTAssertNotNil(part["created_at"] as? String)
            let message = part["message"] as? [String: Any]
            XCTAssertEqual(message?["role"] as? String, "assistant")
            XCTAssertNil(message?["thinking"])
        }
        let text = parts.compactMap { ($0["message"] as? [String: Any])?["content"] as? String }.joined()
        XCTAssertTrue(text.hasPrefix("## "), "answers open with a Markdown heading: \(text.prefix(40))")
        let final = try XCTUnwrap(lines.last ?? nil)
        XCTAssertEqual(final["done"] as? Bool, true)
        XCTAssertEqual(final["done_reason"] as? String, "stop")
        XCTAssertEqual(final["eval_count"] as? Int, 80)
        XCTAssertGreaterThan(final["prompt_eval_count"] as? Int ?? 0, 0)
        for key in ["total_duration", "load_duration", "prompt_eval_duration", "eval_duration"] {
            XCTAssertNotNil(final[key] as? Int, key)
        }
        // Key order as Ollama's Go structs.
        let finalLine = String(decoding: response.body, as: UTF8.self).split(separator: "\n").last ?? ""
        XCTAssertTrue(finalLine.hasPrefix(#"{"model":"sim-instant","created_at":""#))
        XCTAssertTrue(finalLine.contains(#""done_reason":"stop","done":true,"total_duration":"#))
    }

    func testThinkingOnlyWhenRequested() async throws {
        let prompt = #""messages":[{"role":"user","content":"Plan a hike"}]"#
        let thinking = try await chat(#"{"model":"sim-thinker:instant","think":true,"#+prompt+"}")
        let lines = WireParsing.ndjson(thinking.body).compactMap { $0 }
        let thoughts = lines.compactMap { ($0["message"] as? [String: Any])?["thinking"] as? String }
        XCTAssertEqual(thoughts.count, 60)
        XCTAssertEqual(lines.last?["eval_count"] as? Int, 200, "60 thinking + 140 answer tokens")

        let plain = try await chat(#"{"model":"sim-thinker:instant","#+prompt+"}")
        let plainLines = WireParsing.ndjson(plain.body).compactMap { $0 }
        XCTAssertFalse(plainLines.contains { ($0["message"] as? [String: Any])?["thinking"] != nil })
        XCTAssertEqual(plainLines.last?["eval_count"] as? Int, 140)
    }

    func testNonStreamingReturnsOneObject() async throws {
        let response = try await chat(#"{"model":"sim-instant","stream":false,"options":{"num_predict":10},"messages":[{"role":"user","content":"hi"}]}"#)
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header("content-type"), "application/json")
        let object = try XCTUnwrap(WireParsing.object(response.body))
        XCTAssertEqual(object["done"] as? Bool, true)
        XCTAssertEqual(object["done_reason"] as? String, "length")
        XCTAssertEqual(object["eval_count"] as? Int, 10)
        let content = try XCTUnwrap((object["message"] as? [String: Any])?["content"] as? String)
        XCTAssertFalse(content.isEmpty)
    }

    func testTagsListsModelsWithLatestTag() async throws {
        let response = try await RawHTTPConnection(port: port).exchange("GET", "/api/tags")
        let models = try XCTUnwrap(WireParsing.object(response.body)?["models"] as? [[String: Any]])
        let names = models.compactMap { $0["name"] as? String }
        XCTAssertTrue(names.contains("sim-fast:latest"))
        XCTAssertTrue(names.contains("fault-drop:latest"))
        XCTAssertNotNil(models.first?["size"] as? Int)
        XCTAssertNotNil(models.first?["digest"] as? String)
    }

    func testRootAnswersLikeOllama() async throws {
        let response = try await RawHTTPConnection(port: port).exchange("GET", "/")
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.text, "Ollama is running")
    }

    func testUnknownModelIs404InOllamaShape() async throws {
        let response = try await chat(#"{"model":"llama9","messages":[]}"#)
        XCTAssertEqual(response.status, 404)
        XCTAssertEqual(response.text, #"{"error":"model \"llama9\" not found, try pulling it first"}"#)
    }

    func testInvalidJSONIs400() async throws {
        let response = try await chat("{not json")
        XCTAssertEqual(response.status, 400)
        XCTAssertNotNil(WireParsing.object(response.body)?["error"] as? String)
    }
}
