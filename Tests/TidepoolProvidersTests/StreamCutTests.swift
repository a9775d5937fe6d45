import TestSupport
import TidepoolPool
import XCTest

@testable import TidepoolProviders

/// Issue 8 defect 5: a stream cut short is an error, never a finished answer. Every recorded
/// fixture is cut at every offset; each format must require its own end of stream.
final class StreamCutTests: XCTestCase {
    private func decoder(for name: String) -> any ChatStreamDecoder {
        if name.hasPrefix("ollama") { return OllamaChatDecoder(provider: "Ollama") }
        if name.hasPrefix("anthropic") { return AnthropicChatDecoder(provider: "Anthropic") }
        return OpenAIChatDecoder(provider: "OpenAI")
    }

    /// The ways the formats say an answer is complete.
    private let endMarkers = ["[DONE]", "\"finish_reason\":\"", "message_stop", "\"done\":true"]

    private func text(_ events: [ChatEvent]) -> String {
        events.map { if case .textDelta(let t) = $0 { t } else { "" } }.joined()
    }

    func testEveryFixtureCutAtEveryOffsetReportsTheCut() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Fixtures.directory.path)
            .filter { ($0.hasSuffix(".sse") || $0.hasSuffix(".ndjson")) && !$0.hasPrefix("sse-edge") }.sorted()
        XCTAssertEqual(names.count, 16)
        for name in names {
            let bytes = try Fixtures.bytes(name)
            // The whole stream, for the reference outcome.
            var whole = decoder(for: name)
            var wholeEvents: [ChatEvent] = []
            var wholeError: ProviderError?
            do {
                try whole.feed(bytes, into: &wholeEvents)
                try whole.finish(into: &wholeEvents)
            } catch {
                wholeError = error
            }
            XCTAssertNotEqual(wholeError, .interrupted(provider: whole.providerName), name)
            let fullText = text(wholeEvents)

            // Fed one byte at a time; at each offset a copy of the decoder is finished, which
            // is the stream cut there.
            var running = decoder(for: name)
            var events: [ChatEvent] = []
            var firstComplete: Int?
            for offset in 0...bytes.count {
                if offset > 0 {
                    do { try running.feed([bytes[offset - 1]], into: &events) } catch {
                        // The fixture's own server error: every later cut reports it too.
                        XCTAssertEqual(error, wholeError, "\(name) at \(offset)")
                        break
                    }
                }
                var cut = running
                var closing: [ChatEvent] = []
                do {
                    try cut.finish(into: &closing)
                    if firstComplete == nil { firstComplete = offset }
                } catch {
                    XCTAssertNil(firstComplete, "\(name): complete at \(firstComplete ?? 0) but cut again at \(offset)")
                    // A cut just after the fixture's own error line reports that error.
                    if let wholeError, error == wholeError { continue }
                    XCTAssertEqual(error, .interrupted(provider: cut.providerName), "\(name) cut at \(offset)")
                    XCTAssertEqual(error.description,
                                   "interrupted: the server closed the stream before the answer finished (\(cut.providerName))")
                }
                // The text decoded so far is kept, and is the start of the whole answer.
                XCTAssertTrue(fullText.hasPrefix(text(events)), "\(name) at \(offset)")
            }
            if wholeError == nil {
                let end = try XCTUnwrap(firstComplete, name)
                let head = String(decoding: bytes[..<end], as: UTF8.self)
                XCTAssertTrue(endMarkers.contains { head.contains($0) },
                              "\(name): accepted as complete at \(end) before any end marker")
            } else {
                XCTAssertNil(firstComplete, "\(name) never completes")
            }
        }
    }

    func testStreamsWithoutAnEndAreInterrupted() {
        let cases: [(any ChatStreamDecoder, String)] = [
            (OpenAIChatDecoder(provider: "X"), "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n"),
            (AnthropicChatDecoder(provider: "X"),
             "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n"
                + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"}}\n\n"),
            (OllamaChatDecoder(provider: "X"), "{\"message\":{\"content\":\"Hi\"},\"done\":false}\n{\"message\":{\"cont"),
        ]
        for (decoder, body) in cases {
            var decoder = decoder
            var events: [ChatEvent] = []
            XCTAssertThrowsError(try {
                try decoder.feed(Array(body.utf8), into: &events)
                try decoder.finish(into: &events)
            }()) { XCTAssertEqual($0 as? ProviderError, .interrupted(provider: "X")) }
            XCTAssertEqual(events, [.textDelta("Hi")], "the partial text is kept")
        }
    }
}

extension ChatStreamDecoder {
    /// The display name the decoder puts in its errors.
    var providerName: String {
        switch self {
        case let decoder as OpenAIChatDecoder: decoder.provider
        case let decoder as AnthropicChatDecoder: decoder.provider
        case let decoder as OllamaChatDecoder: decoder.provider
        default: ""
        }
    }
}

/// What the whole provider makes of hostile or odd answers (over a fake transport).
final class ProviderOutcomeTests: XCTestCase {
    private let question = ChatRequest(model: "m1", messages: [ChatMessage(role: .user, text: "Hi?")])

    private func collect(_ stream: AsyncThrowingStream<ChatEvent, any Error>) async -> ([ChatEvent], ProviderError?) {
        var events: [ChatEvent] = []
        do {
            for try await event in stream { events.append(event) }
            return (events, nil)
        } catch {
            return (events, error as? ProviderError)
        }
    }

    private func text(_ events: [ChatEvent]) -> String {
        events.map { if case .textDelta(let t) = $0 { t } else { "" } }.joined()
    }

    private struct WaitFailed: Error {}

    /// Issue 9 section 4: a failure that is not a cancellation is reported as itself.
    func testAFailedRetryWaitReportsTheServersErrorNotCancelled() async throws {
        let transport = FakeTransport { _, _ in
            .respond(status: 503, headers: [HTTPHeader("Retry-After", "1")], chunks: [Array(#"{"error":"busy"}"#.utf8)])
        }
        let policy = RetryPolicy(maxAttempts: 3) { _ in throw WaitFailed() }
        let provider = try Provider(preset: .ollama, environment: [:], transport: transport, retryPolicy: policy)
        let (_, error) = await collect(provider.stream(question))
        XCTAssertEqual(error, .unavailable(provider: "Ollama", retryAfter: 1, message: "busy"))
    }

    func testACutStreamIsAnErrorAndKeepsTheText() async throws {
        let bytes = try Fixtures.bytes("openai-chat-text-with-usage-chunk.sse")
        let whole = String(decoding: bytes, as: UTF8.self)
        let cut = try XCTUnwrap(whole.range(of: "\"finish_reason\":\"stop\""))
        let head = Array(whole[..<cut.lowerBound].utf8)
        let transport = FakeTransport { _, _ in .respond(status: 200, chunks: [head]) }
        let provider = try Provider(preset: .openai, apiKey: "k", environment: [:], transport: transport, retryPolicy: .none)
        let (events, error) = await collect(provider.stream(question))
        XCTAssertEqual(error, .interrupted(provider: "OpenAI"))
        XCTAssertFalse(text(events).isEmpty)
        XCTAssertFalse(events.contains { if case .finish = $0 { true } else { false } })
    }

    func testAnHTMLPageIsNamedWithTheBaseURL() async throws {
        let page = Array("<!DOCTYPE html><html><head><title>Sign in to Hotel WiFi</title></head><body>...</body></html>".utf8)
        let transport = FakeTransport { _, _ in
            .respond(status: 200, headers: [HTTPHeader("Content-Type", "text/html; charset=utf-8")], chunks: [page])
        }
        let provider = try Provider(preset: .lmstudio, environment: [:], transport: transport, retryPolicy: .none)
        let (events, error) = await collect(provider.stream(question))
        XCTAssertEqual(events, [])
        let message = try XCTUnwrap(error?.description)
        XCTAssertTrue(message.hasPrefix("LM Studio answered with an HTML page (text/html; charset=utf-8): \"Sign in to Hotel WiFi\""), message)
        XCTAssertTrue(message.hasSuffix("; check the base URL http://127.0.0.1:1234/v1"), message)
    }

    func testAnAnswerInAnotherFormatIsNamed() async throws {
        // A non-streaming JSON answer to an SSE request, and plain text to an NDJSON one,
        // with no helpful content type.
        for (preset, body) in [
            (ProviderPreset.vllm, #"{"id":"x","choices":[{"message":{"content":"hi"}}]}"#),
            (.ollama, "404 page not found\n"),
        ] {
            let transport = FakeTransport { _, _ in .respond(status: 200, chunks: [Array(body.utf8)]) }
            let provider = try Provider(preset: preset, environment: [:], transport: transport, retryPolicy: .none)
            let (_, error) = await collect(provider.stream(question))
            guard case .unexpectedResponse(_, let arrived, let baseURL) = error else {
                XCTFail("\(preset.id): \(String(describing: error))")
                continue
            }
            XCTAssertEqual(arrived, "content of no stated type: \"\(body.trimmingCharacters(in: .whitespacesAndNewlines))\"")
            XCTAssertEqual(baseURL, preset.defaultBaseURL)
        }
    }

    /// Issue 8 defect 10: an endless answer is cut at the cap, the text up to it kept.
    func testAnEndlessAnswerIsCutAtTheCap() async throws {
        let chunk = Array("{\"message\":{\"content\":\"loop ✓ \"},\"done\":false}\n".utf8)
        let transport = FakeTransport { _, _ in .hang(chunks: Array(repeating: chunk, count: 200)) }
        var provider = try Provider(preset: .ollama, environment: [:], transport: transport, retryPolicy: .none)
        provider.maxAnswerBytes = 100
        let (events, error) = await collect(provider.stream(question))
        XCTAssertEqual(error, .answerTooLong(provider: "Ollama", limit: 100))
        XCTAssertEqual(error?.description, "answer cut at 100 bytes (max_answer_bytes)")
        XCTAssertEqual(ProviderError.answerTooLong(provider: "X", limit: 4 << 20).description,
                       "answer cut at 4 MiB (max_answer_bytes)")
        let kept = text(events)
        XCTAssertLessThanOrEqual(kept.utf8.count, 100)
        XCTAssertGreaterThan(kept.utf8.count, 90)
        XCTAssertTrue(kept.hasPrefix("loop ✓ loop ✓ "))
        XCTAssertEqual(Provider.defaultMaxAnswerBytes, 4 << 20)
    }

    /// Issue 8 defect 1: any Retry-After is clamped to [0, 300] s, and no advice traps.
    func testRetryAfterIsClampedWhateverItsForm() {
        let now = Date(timeIntervalSince1970: 1_445_412_480)
        XCTAssertEqual(RetryAfter.seconds("1e19"), 300)
        XCTAssertEqual(RetryAfter.seconds("9999999999999999999999"), 300)
        XCTAssertEqual(RetryAfter.seconds("inf"), 300)
        XCTAssertEqual(RetryAfter.seconds("-5"), 0)
        XCTAssertEqual(RetryAfter.seconds("-1e19"), 0)
        XCTAssertNil(RetryAfter.seconds("nan"))
        XCTAssertNil(RetryAfter.seconds("soon"))
        XCTAssertEqual(RetryAfter.seconds("Fri, 31 Dec 9999 23:59:59 GMT", now: now), 300)
        XCTAssertEqual(RetryAfter.seconds("Thu, 01 Jan 1970 00:00:00 GMT", now: now), 0)
        for seconds in [1e19, -1e19, .infinity, -.infinity, .nan, 1e300] {
            let advice = ProviderError.rateLimited(provider: "X", retryAfter: seconds, message: nil).description
            XCTAssertTrue(advice.hasPrefix("X is rate limiting requests (HTTP 429); try again in "), advice)
        }
        let policy = RetryPolicy(maxAttempts: Int.max, baseDelay: .nan, maxDelay: .infinity, maxRetryAfter: 1e300)
        XCTAssertNotNil(policy.delay(afterAttempt: 99, retryAfter: nil))
        XCTAssertNil(policy.delay(afterAttempt: 1, retryAfter: .nan))
    }
}

/// Issue 8 defect 4: keys and URL credentials are redacted before anything is cut to length.
final class RedactionTests: XCTestCase {
    func testAKeyStraddlingTheCutIsRedactedInAnErrorBody() async throws {
        let key = "sk-proj-ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        // Padding puts the key across the 300-character cut of the server's message.
        let padding = String(repeating: "x", count: 280)
        let body = #"{"error":{"message":"\#(padding) bad key \#(key) was given"}}"#
        let transport = FakeTransport { _, _ in .respond(status: 500, chunks: [Array(body.utf8)]) }
        let provider = try Provider(preset: .openai, apiKey: key, environment: [:], transport: transport, retryPolicy: .none)
        var message = ""
        do { for try await _ in provider.stream(ChatRequest(model: "m", messages: [])) {} } catch { message = "\(error)" }
        XCTAssertTrue(message.contains("bad key"), message)
        XCTAssertFalse(message.contains("sk-proj-ABCD"), message)
        XCTAssertFalse(message.contains("ABCDEFGHIJ"), message)
    }

    func testPartialKeysAtTheEndOfAnExcerptAreRedacted() {
        let key = "sk-live-0123456789"
        XCTAssertEqual(CredentialRedaction.secret(key, in: "got sk-live-0123…"), "got [redacted]…")
        XCTAssertEqual(CredentialRedaction.secret(key, in: "got sk-live-0123456789 twice sk-live-0123456789"),
                       "got [redacted] twice [redacted]")
        XCTAssertEqual(CredentialRedaction.secret(key, in: "ends in sk-"), "ends in sk-", "too short to be the key")
        let cut = ProviderError.malformedStream(provider: "X", excerpt: "data: sk-live-01234…").redacting(key)
        XCTAssertEqual(cut, .malformedStream(provider: "X", excerpt: "data: [redacted]…"))
    }

    func testURLCredentials() {
        XCTAssertEqual(CredentialRedaction.url("https://u:p@host:8443/v1?key=abc&model=x&API_KEY=def#frag"),
                       "https://[redacted]@host:8443/v1?key=[redacted]&model=x&API_KEY=[redacted]#frag")
        XCTAssertEqual(CredentialRedaction.url("http://127.0.0.1:11434"), "http://127.0.0.1:11434")
        XCTAssertEqual(CredentialRedaction.urls(in: "no server at http://a:b@h/v1?token=t; check"),
                       "no server at http://[redacted]@h/v1?token=[redacted]; check")
        let error = ProviderError.invalidBaseURL(provider: "lab", url: "http://user:pw@h/v1?access_token=zzz")
        XCTAssertEqual(error.description, "lab: 'http://[redacted]@h/v1?access_token=[redacted]' is not an http:// or https:// base URL")
    }
}

/// An HTML error page is summarised, not quoted as markup.
final class HTMLErrorPageTests: XCTestCase {
    func testAnHTMLPageGivesItsTitleOrItsWords() {
        let nginx = "<html>\r\n<head><title>500 Internal Server Error</title></head>\r\n<body>\r\n<center><h1>500 Internal Server Error</h1></center>\r\n</body>\r\n</html>"
        XCTAssertEqual(ServerMessage.extract(from: Array(nginx.utf8)), "500 Internal Server Error")
        XCTAssertEqual(ServerMessage.extract(from: Array("<html><body><p>Gateway  <b>down</b></p></body></html>".utf8)), "Gateway down")
        XCTAssertEqual(ServerMessage.extract(from: Array("<TITLE>x".utf8)), "<TITLE>x", "not a page: kept as it is")
        XCTAssertEqual(ServerMessage.extract(from: Array("plain text".utf8)), "plain text")
    }
}
