import Foundation
import TestSupport
import TidepoolSim
import XCTest

/// The simulator's frames against the recorded real streams: the same keys in the same order
/// for each kind of frame (values differ, shapes must not).
final class SimFixtureShapeTests: SimServerTestCase {
    func testOllamaChatLinesMatchFixture() async throws {
        let fixture = try lines(Fixtures.bytes("ollama-chat-stream-tool-call.ndjson"))
        let response = try await RawHTTPConnection(port: port).exchange(
            "POST", "/api/chat", body: #"{"model":"sim-instant","messages":[{"role":"user","content":"hi"}]}"#)
        let sim = lines(response.body)
        assertSameKeys(sim[0], fixture[0])
        assertSameKeys(sim.last!, fixture.last!)
        XCTAssertEqual(JSONKeyOrder.keys(JSONKeyOrder.value(of: "message", in: sim.last!)!), ["role", "content"])
    }

    func testOpenAIChunksMatchFixture() async throws {
        let fixture = WireParsing.sse(try Fixtures.bytes("openai-chat-text-with-usage-chunk.sse")).map(\.data)
        let response = try await RawHTTPConnection(port: port).exchange(
            "POST", "/v1/chat/completions",
            body: #"{"model":"sim-instant","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}"#)
        let sim = WireParsing.sse(response.body).map(\.data)
        XCTAssertEqual(sim.last, fixture.last)  // data: [DONE]
        for index in [0, 1, sim.count - 3, sim.count - 2] {
            let fixtureIndex = index < 2 ? index : fixture.count - (sim.count - index)
            assertSameKeys(sim[index], fixture[fixtureIndex], "frame \(index)")
        }
        let firstChoice = { (frame: String) in
            String(JSONKeyOrder.value(of: "choices", in: frame)?.dropFirst().dropLast() ?? "")
        }
        assertSameKeys(firstChoice(sim[1]), firstChoice(fixture[1]), "choice")
        let roleDelta = JSONKeyOrder.value(of: "delta", in: firstChoice(sim[0])) ?? ""
        let fixtureRoleDelta = JSONKeyOrder.value(of: "delta", in: firstChoice(fixture[0])) ?? ""
        assertSameKeys(roleDelta, fixtureRoleDelta, "role delta")
        let simUsage = JSONKeyOrder.value(of: "usage", in: sim[sim.count - 2])!
        let fixtureUsage = JSONKeyOrder.value(of: "usage", in: fixture[fixture.count - 2])!
        assertSameKeys(simUsage, fixtureUsage)
    }

    func testAnthropicEventsMatchFixture() async throws {
        let fixture = WireParsing.sse(try Fixtures.bytes("anthropic-messages-basic-text-with-ping.sse"))
        let response = try await RawHTTPConnection(port: port).exchange(
            "POST", "/v1/messages",
            body: #"{"model":"sim-instant","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"hi"}]}"#)
        let sim = WireParsing.sse(response.body)
        for name in ["message_start", "content_block_start", "ping", "content_block_delta", "content_block_stop",
                     "message_delta", "message_stop"] {
            let simFrame = try XCTUnwrap(sim.first { $0.event == name }?.data, name)
            let fixtureFrame = try XCTUnwrap(fixture.first { $0.event == name }?.data, name)
            assertSameKeys(simFrame, fixtureFrame, name)
            if name == "ping" { XCTAssertEqual(simFrame, fixtureFrame) }
        }
        let simMessage = JSONKeyOrder.value(of: "message", in: sim[0].data)!
        let fixtureMessage = JSONKeyOrder.value(of: "message", in: fixture[0].data)!
        assertSameKeys(simMessage, fixtureMessage)
    }

    func testKeyOrderReaderItself() {
        XCTAssertEqual(JSONKeyOrder.keys(#"{"b":1,"a":{"x":[1,{"y":2}]},"c":"s,\"}","d":null}"#), ["b", "a", "c", "d"])
        XCTAssertEqual(JSONKeyOrder.value(of: "a", in: #"{"b":1,"a":{"x":[1,2]}}"#), #"{"x":[1,2]}"#)
        XCTAssertEqual(JSONKeyOrder.keys("[1]"), [])
    }

    /// Same keys in the same order, and not trivially (both empty).
    private func assertSameKeys(_ sim: String, _ fixture: String, _ message: String = "",
                                file: StaticString = #filePath, line: UInt = #line) {
        let simKeys = JSONKeyOrder.keys(sim)
        XCTAssertFalse(simKeys.isEmpty, "no keys read: \(message)", file: file, line: line)
        XCTAssertEqual(simKeys, JSONKeyOrder.keys(fixture), message, file: file, line: line)
    }

    private func lines(_ bytes: [UInt8]) -> [String] {
        String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}

/// Reads the top-level keys of a JSON object in document order (Foundation's parser forgets it).
enum JSONKeyOrder {
    /// The object's keys in order; empty if `json` is not an object.
    static func keys(_ json: String) -> [String] {
        members(json).map(\.key)
    }

    /// The raw text of one member's value.
    static func value(of key: String, in json: String) -> String? {
        members(json).first { $0.key == key }?.value
    }

    private static func members(_ json: String) -> [(key: String, value: String)] {
        let chars = Array(json.trimmingCharacters(in: .whitespaces))
        guard chars.first == "{" else { return [] }
        var result: [(String, String)] = []
        var index = 1
        while index < chars.count {
            while index < chars.count, chars[index] == " " || chars[index] == "," { index += 1 }
            guard index < chars.count, chars[index] == "\"" else { break }
            let keyEnd = endOfString(chars, from: index)
            let key = String(chars[(index + 1)..<(keyEnd - 1)])
            index = keyEnd
            while index < chars.count, chars[index] == " " || chars[index] == ":" { index += 1 }
            let valueStart = index
            var depth = 0
            while index < chars.count {
                let c = chars[index]
                if c == "\"" { index = endOfString(chars, from: index); continue }
                if c == "{" || c == "[" { depth += 1 }
                if c == "}" || c == "]" {
                    if depth == 0 { break }
                    depth -= 1
                }
                if c == ",", depth == 0 { break }
                index += 1
            }
            result.append((key, String(chars[valueStart..<index]).trimmingCharacters(in: .whitespaces)))
        }
        return result
    }

    /// The index just past the string literal starting at `start` (a quote).
    private static func endOfString(_ chars: [Character], from start: Int) -> Int {
        var index = start + 1
        while index < chars.count {
            if chars[index] == "\\" { index += 2; continue }
            if chars[index] == "\"" { return index + 1 }
            index += 1
        }
        return index
    }
}
