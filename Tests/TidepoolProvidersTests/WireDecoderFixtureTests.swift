import TestSupport
import XCTest

@testable import TidepoolProviders

/// Every fixture through its wire decoder, with every chunking: the same events (or the same
/// error after the same events) each time, and the contents the fixtures README promises.
final class WireDecoderFixtureTests: XCTestCase {
    /// Events up to the end, plus the error that ended the stream, if any.
    struct Outcome: Equatable {
        var events: [ChatEvent]
        var error: ProviderError?
        var summary: ChatStreamSummary
    }

    private func decoder(for name: String) -> any ChatStreamDecoder {
        if name.hasPrefix("ollama") { return OllamaChatDecoder(provider: "Ollama") }
        if name.hasPrefix("anthropic") { return AnthropicChatDecoder(provider: "Anthropic") }
        return OpenAIChatDecoder(provider: "OpenAI")
    }

    private func run(_ name: String, _ chunks: [[UInt8]]) -> Outcome {
        var decoder = decoder(for: name)
        var events: [ChatEvent] = []
        do {
            for chunk in chunks { try decoder.feed(chunk, into: &events) }
            try decoder.finish(into: &events)
            return Outcome(events: events, error: nil, summary: decoder.summary)
        } catch {
            return Outcome(events: events, error: error, summary: decoder.summary)
        }
    }

    private func run(_ name: String) throws -> Outcome { run(name, [try Fixtures.bytes(name)]) }

    private func text(_ events: [ChatEvent]) -> String {
        events.map { if case .textDelta(let t) = $0 { t } else { "" } }.joined()
    }

    private func reasoning(_ events: [ChatEvent]) -> String {
        events.map { if case .reasoningDelta(let t) = $0 { t } else { "" } }.joined()
    }

    /// All wire fixtures (the SSE edge cases are framing tests, covered by SSEDecoderTests).
    /// Files above 1 KB are split at every 17th offset (and the first and last 8): the chat
    /// level is a pure function of the framing level, which is split at every offset there.
    func testEveryWireFixtureIsChunkingInvariant() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Fixtures.directory.path)
            .filter { ($0.hasSuffix(".sse") || $0.hasSuffix(".ndjson")) && !$0.hasPrefix("sse-edge") }.sorted()
        XCTAssertEqual(names.count, 16)
        for name in names {
            let bytes = try Fixtures.bytes(name)
            let reference = run(name, [bytes])
            XCTAssertFalse(reference.events.isEmpty && reference.error == nil, name)
            for (label, chunks) in Chunkings.all(bytes, splitStride: bytes.count > 1024 ? 17 : 1) {
                let outcome = run(name, chunks)
                if outcome != reference { XCTFail("\(name), \(label): \(outcome) != \(reference)"); break }
            }
        }
    }

    func testAnthropicBasicTextWithPing() throws {
        let outcome = try run("anthropic-messages-basic-text-with-ping.sse")
        XCTAssertNil(outcome.error)
        XCTAssertEqual(outcome.events, [
            .textDelta("Hello"), .textDelta(" there"), .textDelta("!"),
            .usage(inputTokens: 11, outputTokens: 6), .finish(reason: "end_turn"),
        ])
    }

    func testAnthropicToolUseKeepsTextAndIgnoresJSONDeltas() throws {
        let outcome = try run("anthropic-messages-tool-use-input-json-delta.sse")
        XCTAssertNil(outcome.error)
        XCTAssertEqual(text(outcome.events), "I'll check the current weather in Paris for you.")
        XCTAssertEqual(outcome.events.last, .finish(reason: "tool_use"))
        XCTAssertEqual(outcome.summary.inputTokens, 377)
    }

    func testAnthropicRefusal() throws {
        let outcome = try run("anthropic-messages-refusal-stop-details.sse")
        XCTAssertEqual(outcome.events, [.usage(inputTokens: 20, outputTokens: 0), .finish(reason: "refusal")])
    }

    func testAnthropicThinkingWithSignatureAndPaddedJSON() throws {
        let outcome = try run("anthropic-messages-thinking-signature-padded.sse")
        XCTAssertNil(outcome.error)
        XCTAssertEqual(text(outcome.events), "Hi")
        XCTAssertTrue(reasoning(outcome.events).hasPrefix("Simple educational question about what a solar eclipse is."))
        XCTAssertTrue(reasoning(outcome.events).hasSuffix("Minor correction or just roll with it politely."))
        XCTAssertFalse(outcome.events.contains(.reasoningDelta("")))
        XCTAssertEqual(outcome.events.suffix(2), [.usage(inputTokens: 28, outputTokens: 106), .finish(reason: "refusal")])
    }

    func testAnthropicOverloadedError() throws {
        let outcome = try run("anthropic-messages-error-overloaded.sse")
        XCTAssertEqual(outcome.events, [])
        XCTAssertEqual(outcome.error, .streamError(provider: "Anthropic", message: "overloaded_error: Overloaded"))
    }

    func testOpenAITextWithUsageChunk() throws {
        let outcome = try run("openai-chat-text-with-usage-chunk.sse")
        XCTAssertNil(outcome.error)
        XCTAssertTrue(text(outcome.events).hasPrefix("I'm unable to provide real-time weather updates."))
        XCTAssertEqual(outcome.events.last, .finish(reason: "stop"))
        guard case .usage(let input?, let output?) = outcome.events.dropLast().last else {
            return XCTFail("no usage event: \(outcome.events.suffix(2))")
        }
        XCTAssertGreaterThan(input, 0)
        XCTAssertGreaterThan(output, 0)
    }

    func testOpenAIFinishLengthAndUsage() throws {
        let outcome = try run("openai-chat-finish-length.sse")
        XCTAssertEqual(outcome.events, [.textDelta("{\""), .usage(inputTokens: 79, outputTokens: 1), .finish(reason: "length")])
    }

    func testOpenAIRefusalIsShownAsText() throws {
        let outcome = try run("openai-chat-refusal-delta.sse")
        XCTAssertEqual(text(outcome.events), "I'm sorry, I can't assist with that request.")
        XCTAssertEqual(outcome.events.suffix(2), [.usage(inputTokens: 79, outputTokens: 11), .finish(reason: "stop")])
    }

    func testOpenAIToolCallsFinishWithoutText() throws {
        for name in ["openai-chat-tool-call-deltas.sse", "openai-chat-two-parallel-tool-calls.sse"] {
            let outcome = try run(name)
            XCTAssertNil(outcome.error, name)
            XCTAssertEqual(text(outcome.events), "", name)
            XCTAssertEqual(outcome.events.last, .finish(reason: "tool_calls"), name)
        }
    }

    func testOpenAIMultipleChoicesKeepsOnlyTheFirst() throws {
        let outcome = try run("openai-chat-n3-multiple-choices.sse")
        let json = try JSONValue(parsing: Array(text(outcome.events).utf8))
        XCTAssertEqual(json["city"]?.string, "San Francisco")
        XCTAssertEqual(outcome.events.last, .finish(reason: "stop"))
    }

    func testOpenAILogprobsText() throws {
        XCTAssertEqual(text(try run("openai-chat-logprobs.sse").events), "Foo!")
    }

    func testOllamaChatFirstAndFinalWithExactTokensPerSecond() throws {
        let outcome = try run("ollama-chat-stream-first-and-final.ndjson")
        XCTAssertEqual(outcome.events, [.textDelta("The"), .usage(inputTokens: 26, outputTokens: 282), .finish(reason: "stop")])
        XCTAssertEqual(outcome.summary.exactTokensPerSecond ?? 0, 282 / 4.535599, accuracy: 1e-9)
    }

    func testOllamaToolCallDoneReason() throws {
        let outcome = try run("ollama-chat-stream-tool-call.ndjson")
        XCTAssertEqual(outcome.events, [.usage(inputTokens: 169, outputTokens: 15), .finish(reason: "stop")])
        XCTAssertEqual(outcome.summary.exactTokensPerSecond ?? 0, 15 / 0.115959084, accuracy: 1e-9)
    }

    func testOllamaGenerateStream() throws {
        let outcome = try run("ollama-generate-stream-done-reason.ndjson")
        XCTAssertEqual(text(outcome.events), "That's a fantastic question!")
        XCTAssertEqual(outcome.events.last, .finish(reason: "stop"))
    }

    func testOllamaMidStreamErrorKeepsEarlierText() throws {
        let outcome = try run("ollama-generate-stream-midstream-error.ndjson")
        XCTAssertEqual(text(outcome.events), " Yes.Ican")
        XCTAssertEqual(outcome.error, .streamError(provider: "Ollama", message: "an error was encountered while running the model"))
    }

    func testOpenAIMidStreamErrorObject() {
        var decoder = OpenAIChatDecoder(provider: "vLLM")
        var events: [ChatEvent] = []
        XCTAssertThrowsError(try {
            try decoder.feed(Array("data: {\"choices\":[{\"delta\":{\"content\":null}}]}\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n".utf8), into: &events)
            try decoder.feed(Array("data: {\"error\": {\"message\": \"CUDA out of memory\", \"type\": \"server_error\"}}\n\n".utf8), into: &events)
        }()) { XCTAssertEqual($0 as? ProviderError, .streamError(provider: "vLLM", message: "server_error: CUDA out of memory")) }
        XCTAssertEqual(events, [.textDelta("Hi")])
    }

    func testOpenAIReasoningFieldsAndMissingUsage() throws {
        var decoder = OpenAIChatDecoder(provider: "vLLM")
        var events: [ChatEvent] = []
        try decoder.feed(Array("""
            data: {"choices":[{"index":0,"delta":{"reasoning_content":"Let me think"}}]}

            data: {"choices":[{"index":0,"delta":{"reasoning":" more","content":null}}]}

            data: {"choices":[{"delta":{"content":"Answer"},"finish_reason":null}]}

            data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}

            data: [DONE]


            """.utf8), into: &events)
        try decoder.finish(into: &events)
        XCTAssertEqual(events, [.reasoningDelta("Let me think"), .reasoningDelta(" more"), .textDelta("Answer"), .finish(reason: "stop")])
    }

    func testMalformedLineKeepsEarlierTextAndNamesTheProvider() throws {
        var decoder = OllamaChatDecoder(provider: "Ollama")
        var events: [ChatEvent] = []
        let garbage = "{\"message\":{\"content\":\"oops" + String(repeating: "x", count: 200)
        XCTAssertThrowsError(try {
            try decoder.feed(Array("{\"message\":{\"content\":\"kept\"},\"done\":false}\n\(garbage)\n".utf8), into: &events)
        }()) { error in
            guard case .malformedStream(let provider, let excerpt) = error as? ProviderError else { return XCTFail("\(error)") }
            XCTAssertEqual(provider, "Ollama")
            XCTAssertLessThanOrEqual(excerpt.count, 80)
            XCTAssertTrue(excerpt.hasPrefix("{\"message\":{\"content\":\"oops"))
            XCTAssertTrue("\(error)".contains("Ollama"))
        }
        XCTAssertEqual(events, [.textDelta("kept")])
    }

    func testOversizedLineBecomesAProviderError() {
        var decoder = AnthropicChatDecoder(provider: "Anthropic", maxLineLength: 128)
        var events: [ChatEvent] = []
        XCTAssertThrowsError(try decoder.feed(Array(repeating: UInt8(ascii: "a"), count: 500), into: &events)) {
            XCTAssertEqual($0 as? ProviderError, .streamTooLarge(provider: "Anthropic", detail: "\(StreamFramingError.lineTooLong(limit: 128))"))
        }
    }
}
