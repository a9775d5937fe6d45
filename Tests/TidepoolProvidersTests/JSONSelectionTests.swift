import Foundation
import TestSupport
import XCTest

@testable import TidepoolProviders

/// A selective parse must accept and reject exactly what the plain parse does, and keep of
/// each object exactly the plain parse's values of the selected members.
final class JSONSelectionTests: XCTestCase {
    private let chunk = OpenAIChatDecoder.chunkSelection

    /// The plain parse's value cut down to `selection`: what a selective parse must return.
    private func project(_ value: JSONValue, _ selection: JSONSelection) -> JSONSelected {
        guard case .members(let members) = selection else { return .value(value) }
        switch value {
        case .object(let dictionary):
            let values = JSONSelectedMembers.make(members)
            for (position, member) in members.enumerated() { values[position] = dictionary[member.name].map { project($0, member.value) } }
            return .object(values)
        case .array(let elements):
            return .array(elements.map { project($0, selection) })
        default:
            return .value(value)
        }
    }

    /// Both parses agree on `text`: both fail, or the selective one is the projection.
    private func agree(_ text: String, _ selection: JSONSelection? = nil, file: StaticString = #filePath, line: UInt = #line) {
        let bytes = Array(text.utf8)
        let selection = selection ?? chunk
        let plain = try? JSONValue(parsing: bytes)
        let selected = try? JSONParser.parse(bytes, selecting: selection)
        XCTAssertEqual(selected, plain.map { project($0, selection) }, "for \(text.debugDescription)", file: file, line: line)
    }

    func testSkippedMembersWithNestingEscapesAndUnicodeAreLeftOutAndTheRestKept() throws {
        let text = #"""
            {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1764471600,"model":"sim-bench",
             "system_fingerprint":null,"nested":{"a":[1,2.5e-3,{"b":[true,false,null]}],"c":{}},"arr":[[],[[]],{}],
             "esc":"q \" b \\ s \/ \b\f\n\r\t \u00e9\ud83d\ude00","raw":"é 中 😀","big":123456789012345678901234567890,"neg":-0.0E+0,
             "é":1,"k\u00e9y":{"x":"\u0000"},
             "choices":[{"index":0,"delta":{"content":" word","role":"assistant","extra":{"deep":["x"]}},
                         "logprobs":{"content":[{"token":"\u00e9","bytes":[195,169],"top_logprobs":[]}]},"finish_reason":null}],
             "usage":null}
            """#
        agree(text)
        let selected = try JSONParser.parse(Array(text.utf8), selecting: chunk)
        guard case .object(let values) = selected else { return XCTFail("not an object: \(selected)") }
        XCTAssertEqual(values.members.map(\.name), ["error", "usage", "choices"])  // nothing else can be there
        XCTAssertNil(selected["error"])
        XCTAssertEqual(selected["usage"], .value(.null))
        let choice = try XCTUnwrap(selected["choices"]?.array?.first)
        XCTAssertEqual(choice["index"]?.int, 0)
        XCTAssertEqual(choice["delta"]?["content"]?.string, " word")
        XCTAssertNil(choice["delta"]?["role"])  // not selected, so not built
        XCTAssertEqual(choice["finish_reason"]?.isNull, true)
    }

    func testKeysAreMatchedAfterUnescapingAndRepeatedKeysKeepTheLastValue() throws {
        let text = #"{"choices":[{"delta":{"con\u0074ent":"escaped key","content":"last"}},{"index":1}],"ch\u006fices":[{"delta":{"content":"won"}}]}"#
        agree(text)
        let selected = try JSONParser.parse(Array(text.utf8), selecting: chunk)
        XCTAssertEqual(selected["choices"]?.array?.count, 1)
        XCTAssertEqual(selected["choices"]?.array?.first?["delta"]?["content"]?.string, "won")
        agree(#"{"choices":[{"delta":{"con\u0074ent":"only the escaped one"}}]}"#)
        XCTAssertEqual(try JSONParser.parse(Array(#"{"choices":[{"delta":{"con\u0074ent":"x"}}]}"#.utf8), selecting: chunk)["choices"]?.array?.first?["delta"]?["content"]?.string, "x")
    }

    func testOtherShapesAgree() {
        for text in [
            "{}", "[]", "[{}]", "42", "\"s\"", "null", #"{"choices":5}"#, #"{"choices":{"index":0}}"#, #"{"choices":[5,"x",null,[{"index":0}]]}"#,
            #"{"choices":[{"delta":null,"message":{"content":"m"}}]}"#, #"{"usage":{"prompt_tokens":3,"completion_tokens":4,"x":[1]}}"#,
            #"{"error":{"message":"boom","type":"server_error"},"id":"x"}"#, " \n{\"id\":1} \t",
        ] {
            agree(text)
        }
    }

    /// Every malformed document of the plain parser's tests, also as the value of a member
    /// the selection skips (at the top, in a choice and in a delta), is rejected by both.
    func testBrokenSkippedValuesAreRejected() {
        let broken = [
            "", "{", "}", "[1,]", "{\"a\":}", "{\"a\" 1}", "{a:1}", "[1 2]", "01", "1.", ".5", "-", "1e", "-01", "1e+",
            "\"unterminated", "\"bad \\x escape\"", "\"\\u12\"", "\"\\u12G4\"", "\"lone \\ud800 surrogate\"", "\"\\udc00\"",
            "\"\\ud800\\u0041\"", "\"tab\tinside\"", "\"nl\ninside\"", "tru", "nul", "fals", "nulL", "[1}", "{\"a\":1]",
            "{\"a\":1,}", "{,}", "[,1]", "{\"a\"}", "{1:2}", "+1", "0x10", "NaN", "Infinity", "'single'",
            String(repeating: "[", count: 600) + String(repeating: "]", count: 600),
            String(repeating: "{\"a\":", count: 600) + "1" + String(repeating: "}", count: 600),
        ]
        for value in broken {
            for document in [
                "{\"id\":\(value),\"choices\":[]}",
                "{\"choices\":[{\"logprobs\":\(value),\"delta\":{\"content\":\"x\"}}]}",
                "{\"choices\":[{\"delta\":{\"role\":\(value),\"content\":\"x\"}}]}",
            ] {
                XCTAssertThrowsError(try JSONValue(parsing: Array(document.utf8)), document.prefix(60).debugDescription)
                XCTAssertThrowsError(try JSONParser.parse(Array(document.utf8), selecting: chunk), document.prefix(60).debugDescription)
            }
        }
        // Broken skipped keys.
        for key in ["bad \\x escape", "\\u12", "lone \\ud800", "tab\tinside", "\\udc00\\ud800"] {
            let document = "{\"\(key)\":1,\"choices\":[]}"
            XCTAssertThrowsError(try JSONValue(parsing: Array(document.utf8)), document.debugDescription)
            XCTAssertThrowsError(try JSONParser.parse(Array(document.utf8), selecting: chunk), document.debugDescription)
        }
        // Invalid UTF-8 in a skipped value or a skipped key, and a bare control byte in a key.
        for bytes: [UInt8] in [
            Array("{\"id\":\"".utf8) + [0xFF, 0xFE] + Array("\",\"choices\":[]}".utf8),
            Array("{\"id\":\"".utf8) + [0xC3] + Array("\",\"choices\":[]}".utf8),
            Array("{\"".utf8) + [0xE4, 0xB8] + Array("\":1,\"choices\":[]}".utf8),
            Array("{\"a".utf8) + [0x01] + Array("\":1}".utf8),
        ] {
            XCTAssertThrowsError(try JSONValue(parsing: bytes))
            XCTAssertThrowsError(try JSONParser.parse(bytes, selecting: chunk))
        }
    }

    /// Strings are scanned eight bytes at a time: a special byte (quote, escape, control,
    /// non-ASCII, invalid UTF-8) at every offset of a word, in a kept value, a skipped value
    /// and a key, reads as Foundation reads it, or is rejected.
    func testStringsWithASpecialByteAtEveryOffset() throws {
        // Escapes, non-ASCII, DEL, a lone quote or backslash: as Foundation reads them.
        let readAlike: [[UInt8]] = [
            Array(#"\""#.utf8), Array(#"\\"#.utf8), Array(#"\u00e9"#.utf8), Array(#"\n"#.utf8), Array("é".utf8), Array("😀".utf8),
            [0x7F], [0x22], [0x5C],
        ]
        // Bare control bytes and invalid UTF-8: rejected.
        let rejected: [[UInt8]] = [[0x09], [0x00], [0x1F], [0xFF], [0xC3]]
        var accepted = 0
        for length in 0..<20 {
            for offset in 0...length {
                for special in readAlike + rejected {
                    let text = Array(repeating: UInt8(ascii: "a"), count: offset) + special + Array(repeating: UInt8(ascii: "b"), count: length - offset)
                    let string = [UInt8(ascii: "\"")] + text + [UInt8(ascii: "\"")]
                    for document in [
                        Array(#"{"choices":[{"delta":{"content":"#.utf8) + string + Array("}}]}".utf8),
                        Array(#"{"id":"#.utf8) + string + Array(#","choices":[]}"#.utf8),
                        [UInt8(ascii: "{")] + string + Array(#":1,"choices":[]}"#.utf8),
                    ] {
                        let plain = try? JSONValue(parsing: document)
                        if rejected.contains(special) {
                            XCTAssertNil(plain, "\(document)")
                        } else {
                            XCTAssertEqual(plain, try? JSONValue(parsingWithFoundation: document), "\(document)")
                        }
                        let selected = try? JSONParser.parse(document, selecting: chunk)
                        XCTAssertEqual(selected, plain.map { project($0, chunk) }, "\(document)")
                        if plain != nil { accepted += 1 }
                    }
                }
            }
        }
        XCTAssertGreaterThan(accepted, 3000)
    }

    func testEveryLineOfTheWireFixturesAgrees() throws {
        let documents = try Fixtures.wireJSONDocuments()
        for document in documents {
            agree(document)
            agree(document, OllamaChatDecoder.lineSelection)
        }
        XCTAssertGreaterThan(documents.count, 30)
    }

    // MARK: Through the OpenAI decoder

    private func decode(_ body: String) -> (events: [ChatEvent], error: ProviderError?) {
        var decoder = OpenAIChatDecoder(provider: "vLLM")
        var events: [ChatEvent] = []
        do {
            try decoder.feed(Array(body.utf8), into: &events)
            return (events, nil)
        } catch {
            return (events, error)
        }
    }

    func testAChunkWithABrokenSkippedValueIsMalformed() {
        let bad = #"{"id":"x","created":12.,"choices":[{"index":0,"delta":{"content":"lost"}}]}"#
        let outcome = decode("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"kept\"}}]}\n\ndata: \(bad)\n\n")
        XCTAssertEqual(outcome.events, [.textDelta("kept")])
        XCTAssertEqual(outcome.error, .malformed("vLLM", Array(bad.utf8)))
    }

    func testErrorChunksKeepTheirMessages() {
        // The message comes from members the selection leaves out (`message`, `detail`).
        for (chunk, message) in [
            (#"{"id":"x","error":{"message":"CUDA out of memory","type":"server_error","code":null}}"#, "server_error: CUDA out of memory"),
            (#"{"error":"plain text","message":"ignored"}"#, "plain text"),
            (#"{"error":{"code":1},"message":"from the top"}"#, "from the top"),
            (#"{"error":{"code":1},"detail":[{"msg":"from detail"}]}"#, "from detail"),
            (#"{"error":{"code":1}}"#, "unknown error"),
        ] {
            XCTAssertEqual(decode("data: \(chunk)\n\n").error, .streamError(provider: "vLLM", message: message), chunk)
        }
        XCTAssertEqual(decode("event: error\ndata: {\"message\":\"overloaded\",\"choices\":[]}\n\n").error,
                       .streamError(provider: "vLLM", message: "overloaded"))
        XCTAssertEqual(decode("data: {\"error\":null,\"choices\":[{\"delta\":{\"content\":\"fine\"}}]}\n\n").events, [.textDelta("fine")])
    }

    func testOllamaErrorLinesKeepTheirMessagesAndDurationsAreRead() throws {
        var decoder = OllamaChatDecoder(provider: "Ollama")
        var events: [ChatEvent] = []
        XCTAssertThrowsError(try decoder.feed(Array("{\"error\":{\"code\":1},\"message\":\"from the top\"}\n".utf8), into: &events)) {
            XCTAssertEqual($0 as? ProviderError, .streamError(provider: "Ollama", message: "from the top"))
        }
        decoder = OllamaChatDecoder(provider: "Ollama")
        try decoder.feed(Array("""
            {"model":"m","created_at":"2026-01-01T00:00:00Z","message":{"role":"assistant","content":"Hi","images":null},"done":false}
            {"model":"m","response":"","done":true,"done_reason":"stop","context":[1,2,3],"prompt_eval_count":5,"eval_count":10,"eval_duration":2000000000,"total_duration":3}

            """.utf8), into: &events)
        try decoder.finish(into: &events)
        XCTAssertEqual(events, [.textDelta("Hi"), .usage(inputTokens: 5, outputTokens: 10), .finish(reason: "stop")])
        XCTAssertEqual(decoder.summary.exactTokensPerSecond, 5)
    }

    func testChunksAroundTheFastPathDecodeAlike() {
        // Padded, with a non-ASCII character, escaped: the same text each way.
        for body in [
            "data: {\"choices\":[{\"delta\":{\"content\":\"é 😀\"}}]}\n\n",
            "data:  {\"choices\":[{\"delta\":{\"content\":\"é 😀\"}}]} \n\n",
            "data: {\"choices\":[{\"delta\":{\"content\":\"\\u00e9 \\ud83d\\ude00\"}}],\"logprobs\":{\"t\":\"\\u00e9\"}}\n\n",
        ] {
            XCTAssertEqual(decode(body).events, [.textDelta("é 😀")], body)
        }
        // Invalid UTF-8 inside a string was repaired before parsing, and still is.
        var decoder = OpenAIChatDecoder(provider: "vLLM")
        var events: [ChatEvent] = []
        XCTAssertNoThrow(try decoder.feed(Array("data: {\"choices\":[{\"delta\":{\"content\":\"a".utf8) + [0xFF] + Array("b\"}}]}\n\n".utf8), into: &events))
        XCTAssertEqual(events, [.textDelta("a\u{FFFD}b")])
    }
}
