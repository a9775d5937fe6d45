import TestSupport
import TidepoolPool
import XCTest

@testable import TidepoolProviders

final class ProviderTests: XCTestCase {
    private let question = ChatRequest(
        model: "m1", messages: [ChatMessage(role: .user, text: "Hi?")], systemPrompt: "Be brief.",
        temperature: 0.5, maxTokens: 100)

    private func provider(
        _ preset: ProviderPreset, key: String? = nil, transport: FakeTransport,
        retry: RetryPolicy = .none, memory: StreamOptionsMemory = StreamOptionsMemory(), baseURL: String? = nil
    ) throws -> Provider {
        try Provider(preset: preset, baseURL: baseURL, apiKey: key, environment: [:], transport: transport,
                     retryPolicy: retry, streamOptionsMemory: memory)
    }

    /// Collects a stream's events and the error that ended it.
    private func collect(_ stream: AsyncThrowingStream<ChatEvent, any Error>) async -> ([ChatEvent], ProviderError?) {
        await Self.collect(stream)
    }

    private static func collect(_ stream: AsyncThrowingStream<ChatEvent, any Error>) async -> ([ChatEvent], ProviderError?) {
        var events: [ChatEvent] = []
        do {
            for try await event in stream { events.append(event) }
            return (events, nil)
        } catch {
            return (events, error as? ProviderError)
        }
    }

    private func body(_ request: HTTPRequest) throws -> JSONValue { try JSONValue(parsing: request.body ?? []) }

    private func text(_ events: [ChatEvent]) -> String {
        events.map { if case .textDelta(let t) = $0 { t } else { "" } }.joined()
    }

    // MARK: Request encoding

    func testOllamaRequestEncoding() async throws {
        let transport = FakeTransport { _, _ in .respond(status: 200, chunks: [try! Fixtures.bytes("ollama-chat-stream-first-and-final.ndjson")]) }
        var request = question
        request.reasoning = true
        _ = await collect(try provider(.ollama, transport: transport).stream(request))
        let sent = try XCTUnwrap(transport.requests.first)
        XCTAssertEqual(sent.method, "POST")
        XCTAssertEqual(sent.url, "http://127.0.0.1:11434/api/chat")
        XCTAssertNil(sent.headers.value(for: "Authorization"))
        XCTAssertEqual(sent.headers.value(for: "Content-Type"), "application/json")
        let json = try body(sent)
        XCTAssertEqual(json["model"], .string("m1"))
        XCTAssertEqual(json["stream"], .bool(true))
        XCTAssertEqual(json["think"], .bool(true))
        XCTAssertEqual(json["options"]?["temperature"]?.double, 0.5)
        XCTAssertEqual(json["options"]?["num_predict"]?.int, 100)
        XCTAssertEqual(json["messages"]?.array?.map { $0["role"]?.string ?? "" }, ["system", "user"])
        XCTAssertEqual(json["messages"]?.array?.first?["content"]?.string, "Be brief.")
    }

    func testOpenAIRequestEncodingWithAndWithoutKey() async throws {
        let transport = FakeTransport { _, _ in .respond(status: 200, chunks: [try! Fixtures.bytes("openai-chat-finish-length.sse")]) }
        _ = await collect(try provider(.openai, key: "sk-test-123", transport: transport).stream(question))
        _ = await collect(try provider(.lmstudio, transport: transport).stream(question))
        let (withKey, withoutKey) = (transport.requests[0], transport.requests[1])
        XCTAssertEqual(withKey.url, "https://api.openai.com/v1/chat/completions")
        XCTAssertEqual(withKey.headers.value(for: "Authorization"), "Bearer sk-test-123")
        XCTAssertEqual(withoutKey.url, "http://127.0.0.1:1234/v1/chat/completions")
        XCTAssertNil(withoutKey.headers.value(for: "Authorization"))
        let json = try body(withKey)
        XCTAssertEqual(json["stream"], .bool(true))
        XCTAssertEqual(json["stream_options"]?["include_usage"], .bool(true))
        XCTAssertEqual(json["max_tokens"]?.int, 100)
        XCTAssertEqual(json["temperature"]?.double, 0.5)
        XCTAssertEqual(json["messages"]?.array?.map { $0["role"]?.string ?? "" }, ["system", "user"])
    }

    func testAnthropicRequestEncoding() async throws {
        let transport = FakeTransport { _, _ in .respond(status: 200, chunks: [try! Fixtures.bytes("anthropic-messages-basic-text-with-ping.sse")]) }
        var request = question
        request.maxTokens = nil
        _ = await collect(try provider(.anthropic, key: "ak-1", transport: transport).stream(request))
        request.reasoning = true
        _ = await collect(try provider(.anthropic, transport: transport).stream(request))
        let plain = transport.requests[0]
        XCTAssertEqual(plain.url, "https://api.anthropic.com/v1/messages")
        XCTAssertEqual(plain.headers.value(for: "x-api-key"), "ak-1")
        XCTAssertEqual(plain.headers.value(for: "anthropic-version"), "2023-06-01")
        XCTAssertNil(plain.headers.value(for: "Authorization"))
        let json = try body(plain)
        XCTAssertEqual(json["max_tokens"]?.int, 4096)
        XCTAssertEqual(json["system"]?.string, "Be brief.")
        XCTAssertEqual(json["stream"], .bool(true))
        XCTAssertEqual(json["messages"]?.array?.map { $0["role"]?.string ?? "" }, ["user"])
        XCTAssertNil(json["thinking"])
        let thinking = try body(transport.requests[1])
        XCTAssertNil(transport.requests[1].headers.value(for: "x-api-key"))
        XCTAssertEqual(thinking["thinking"]?["type"]?.string, "enabled")
        let budget = try XCTUnwrap(thinking["thinking"]?["budget_tokens"]?.int)
        XCTAssertGreaterThanOrEqual(budget, 1024)
        XCTAssertGreaterThan(try XCTUnwrap(thinking["max_tokens"]?.int), budget)
        XCTAssertNil(thinking["temperature"])
    }

    // MARK: Streaming

    func testStreamDeliversEventsThenTimingsLastWithExactOllamaRate() async throws {
        let bytes = try Fixtures.bytes("ollama-chat-stream-first-and-final.ndjson")
        let transport = FakeTransport { _, _ in .respond(status: 200, chunks: bytes.map { [$0] }) }
        let (events, error) = await collect(try provider(.ollama, transport: transport).stream(question))
        XCTAssertNil(error)
        XCTAssertEqual(Array(events.prefix(3)), [.textDelta("The"), .usage(inputTokens: 26, outputTokens: 282), .finish(reason: "stop")])
        guard case .timings(let timings) = events.last, events.count == 4 else { return XCTFail("\(events)") }
        XCTAssertEqual(timings.tokensPerSecond ?? 0, 282 / 4.535599, accuracy: 1e-9)
        XCTAssertEqual(timings.outputTokens, 282)
        XCTAssertEqual(timings.connect, 0.002)
        let ttft = try XCTUnwrap(timings.timeToFirstToken)
        XCTAssertGreaterThanOrEqual(ttft, 0)
        XCTAssertLessThanOrEqual(ttft, timings.total)
    }

    func testTokensPerSecondFallbackIsNeverNaNOrInfinite() {
        XCTAssertEqual(ChatTimings.tokensPerSecond(exact: nil, outputTokens: 10, total: 3, timeToFirstToken: 1), 5)
        XCTAssertNil(ChatTimings.tokensPerSecond(exact: nil, outputTokens: 10, total: 1, timeToFirstToken: 1))
        XCTAssertNil(ChatTimings.tokensPerSecond(exact: nil, outputTokens: nil, total: 3, timeToFirstToken: 1))
        XCTAssertNil(ChatTimings.tokensPerSecond(exact: nil, outputTokens: 10, total: 3, timeToFirstToken: nil))
        XCTAssertEqual(ChatTimings.tokensPerSecond(exact: .infinity, outputTokens: 10, total: 3, timeToFirstToken: 1), 5)
        XCTAssertEqual(ChatTimings.tokensPerSecond(exact: 42, outputTokens: 10, total: 3, timeToFirstToken: 1), 42)
    }

    func testMidStreamErrorKeepsEarlierTextAndNamesProvider() async throws {
        let bytes = try Fixtures.bytes("ollama-generate-stream-midstream-error.ndjson")
        let transport = FakeTransport { _, _ in .respond(status: 200, chunks: [bytes]) }
        let recorder = SleepRecorder()
        let (events, error) = await collect(try provider(.ollama, transport: transport, retry: recorder.policy()).stream(question))
        XCTAssertEqual(text(events), " Yes.Ican")
        XCTAssertEqual(error?.description, "Ollama reported an error: an error was encountered while running the model")
        XCTAssertEqual(transport.requests.count, 1)
    }

    // MARK: Errors

    func testConnectionRefusedSaysHowToStartEachServer() async throws {
        for (preset, expected) in [
            (ProviderPreset.ollama, "no server at 127.0.0.1:11434; is Ollama running? `ollama serve`"),
            (.lmstudio, "no server at 127.0.0.1:1234; is LM Studio's local server started?"),
        ] {
            let origin = try XCTUnwrap(Origin(url: preset.defaultBaseURL!))
            let transport = FakeTransport { _, _ in .fail(.connectionRefused(host: origin.host, port: origin.port)) }
            let recorder = SleepRecorder()
            let (events, error) = await collect(try provider(preset, transport: transport, retry: recorder.policy()).stream(question))
            XCTAssertEqual(events, [])
            XCTAssertTrue(error?.description.hasPrefix(expected) == true, "\(String(describing: error))")
            XCTAssertEqual(transport.requests.count, 3, "retried before the first token")
            XCTAssertEqual(recorder.recorded.count, 2)
            for (index, delay) in recorder.recorded.enumerated() {
                let full = min(4, 0.25 * Double(1 << index))
                XCTAssertTrue((full / 2...full).contains(delay), "delay \(delay) for attempt \(index + 1)")
            }
        }
    }

    func testUnauthorizedNamesTheVariableAndNeverShowsTheKey() async throws {
        let key = "sk-live-SECRET-0123456789"
        let transport = FakeTransport { request, _ in
            .respond(status: 401, chunks: [Array(#"{"error":{"message":"Incorrect API key provided: \#(key). You can find your API key at https://platform.openai.com.","type":"invalid_request_error"}}"#)])
        }
        let (_, error) = await collect(try provider(.openai, key: key, transport: transport).stream(question))
        let text = try XCTUnwrap(error?.description)
        XCTAssertTrue(text.contains("check OPENAI_API_KEY"), text)
        XCTAssertFalse(text.contains(key), text)
        XCTAssertFalse(text.contains("SECRET"), text)
        XCTAssertTrue(text.contains("[redacted]"), text)

        let missing = FakeTransport { _, _ in .respond(status: 401, chunks: [Array(#"{"type":"error","error":{"type":"authentication_error","message":"x-api-key header is required"}}"#)]) }
        let (_, missingError) = await collect(try provider(.anthropic, transport: missing).stream(question))
        XCTAssertTrue(missingError?.description.contains("set ANTHROPIC_API_KEY") == true, "\(String(describing: missingError))")
    }

    func testKeyRedactedFromMalformedStreamExcerptAndServerErrors() async throws {
        let key = "k3y-abcdef"
        let transport = FakeTransport { _, index in
            index == 0
                ? .respond(status: 200, chunks: [Array("data: {\"choices\":[{\"delta\":{\"content\":\"ok\"}}]}\n\ndata: nonsense \(key)\n\n")])
                : .respond(status: 500, chunks: [Array(#"{"error":{"message":"internal failure for key \#(key)"}}"#)])
        }
        let openAI = try provider(.openai, key: key, transport: transport)
        let (events, first) = await collect(openAI.stream(question))
        XCTAssertEqual(text(events), "ok")
        XCTAssertTrue(first?.description.hasPrefix("OpenAI sent something that is not valid JSON: nonsense") == true, "\(String(describing: first))")
        XCTAssertFalse(first?.description.contains(key) ?? true)
        let (_, second) = await collect(openAI.stream(question))
        XCTAssertEqual(second?.description, "OpenAI answered HTTP 500: internal failure for key [redacted]")
    }

    func testModelNotFoundListsAvailableModels() async throws {
        let transport = FakeTransport { request, _ in
            if request.url.hasSuffix("/api/tags") {
                return .respond(status: 200, chunks: [Array(#"{"models":[{"name":"qwen3:4b"},{"name":"llama3.2:latest"}]}"#)])
            }
            return .respond(status: 404, chunks: [Array(#"{"error":"model 'm1' not found"}"#)])
        }
        let (_, error) = await collect(try provider(.ollama, transport: transport).stream(question))
        XCTAssertEqual(error?.description, "model 'm1' not found on Ollama; available: qwen3:4b, llama3.2:latest")
    }

    func testServerErrorMessageExtractedFrom5xxBody() async throws {
        let transport = FakeTransport { _, _ in .respond(status: 502, chunks: [Array(#"{"detail":"upstream model worker crashed"}"#)]) }
        let (_, error) = await collect(try provider(.vllm, transport: transport, retry: SleepRecorder().policy()).stream(question))
        XCTAssertEqual(error?.description, "vLLM answered HTTP 502: upstream model worker crashed")
        XCTAssertEqual(transport.requests.count, 1, "502 is not retried")
    }

    func testTimeoutSaysWhichClockFired() async throws {
        let transport = FakeTransport { _, _ in .fail(.timedOut(.firstByte, after: 120, origin: "http://127.0.0.1:11434")) }
        let (_, error) = await collect(try provider(.ollama, transport: transport, retry: SleepRecorder().policy()).stream(question))
        XCTAssertEqual(error?.description, "Ollama: timed out after 120 s waiting for the first byte (http://127.0.0.1:11434)")
        XCTAssertEqual(transport.requests.count, 1, "a first-byte timeout is not retried")
    }

    // MARK: Retries

    func testRetryAfterIsHonouredAnd429ThenSuccess() async throws {
        let bytes = try Fixtures.bytes("openai-chat-finish-length.sse")
        let transport = FakeTransport { _, index in
            index == 0
                ? .respond(status: 429, headers: [HTTPHeader("Retry-After", "7")], chunks: [Array(#"{"error":{"message":"slow down"}}"#)])
                : .respond(status: 200, chunks: [bytes])
        }
        let recorder = SleepRecorder()
        let (events, error) = await collect(try provider(.openai, key: "k", transport: transport, retry: recorder.policy()).stream(question))
        XCTAssertNil(error)
        XCTAssertEqual(text(events), "{\"")
        XCTAssertEqual(recorder.recorded, [7])
    }

    func testRetryAfterBeyondTheCapIsReportedNotWaited() async throws {
        let transport = FakeTransport { _, _ in .respond(status: 503, headers: [HTTPHeader("Retry-After", "600")], chunks: []) }
        let recorder = SleepRecorder()
        let (_, error) = await collect(try provider(.openai, key: "k", transport: transport, retry: recorder.policy()).stream(question))
        XCTAssertEqual(error?.description, "OpenAI is unavailable (HTTP 503); try again in 300 s", "Retry-After is clamped to 300 s")
        XCTAssertEqual(recorder.recorded, [])
    }

    func testNoRetryOnceTextWasDelivered() async throws {
        let transport = FakeTransport { _, _ in
            .respond(status: 200, chunks: [Array("{\"message\":{\"content\":\"partial\"}}\n")],
                     failure: .connectionLost(origin: "http://127.0.0.1:11434", message: "reset"))
        }
        let recorder = SleepRecorder()
        let (events, error) = await collect(try provider(.ollama, transport: transport, retry: recorder.policy()).stream(question))
        XCTAssertEqual(events, [.textDelta("partial")])
        XCTAssertEqual(error, .transport(provider: "Ollama", .connectionLost(origin: "http://127.0.0.1:11434", message: "reset")))
        XCTAssertEqual(transport.requests.count, 1)
        XCTAssertEqual(recorder.recorded, [])
    }

    func testStreamOptionsRejectionFallsBackAndIsRememberedPerOrigin() async throws {
        let bytes = try Fixtures.bytes("openai-chat-text-with-usage-chunk.sse")
        let transport = FakeTransport { request, _ in
            let body = String(decoding: request.body ?? [], as: UTF8.self)
            return body.contains("stream_options")
                ? .respond(status: 400, chunks: [Array(#"{"error":{"message":"Unrecognized request argument supplied: stream_options"}}"#)])
                : .respond(status: 200, chunks: [bytes])
        }
        let memory = StreamOptionsMemory()
        let llama = try provider(.llamacpp, transport: transport, memory: memory)
        let (events, error) = await collect(llama.stream(question))
        XCTAssertNil(error)
        XCTAssertFalse(text(events).isEmpty)
        XCTAssertEqual(transport.requests.count, 2)
        XCTAssertTrue(memory.rejects(llama.origin))
        _ = await collect(llama.stream(question))
        XCTAssertEqual(transport.requests.count, 3, "the second request goes without stream_options at once")
        let other = try provider(.vllm, transport: transport, memory: memory)
        XCTAssertFalse(memory.rejects(other.origin))
        _ = await collect(other.stream(question))
        XCTAssertEqual(transport.requests.count, 5, "another origin tries stream_options again")
    }

    func testAny400WithStreamOptionsIsRetriedWithoutAndRememberedOnlyIfThatWorks() async throws {
        let transport = FakeTransport { _, _ in .respond(status: 400, chunks: [Array(#"{"error":{"message":"bad request"}}"#)]) }
        let memory = StreamOptionsMemory()
        let server = try provider(.openAICompatible, transport: transport, memory: memory, baseURL: "http://127.0.0.1:9999/v1/")
        let (_, error) = await collect(server.stream(question))
        XCTAssertEqual(error?.description, "OpenAI-compatible server answered HTTP 400: bad request")
        XCTAssertEqual(transport.requests.count, 2)
        XCTAssertEqual(transport.requests.map(\.url), ["http://127.0.0.1:9999/v1/chat/completions", "http://127.0.0.1:9999/v1/chat/completions"])
        XCTAssertFalse(memory.rejects(server.origin))
    }

    // MARK: Cancellation

    func testCancellingTheConsumerCancelsTheTransportStream() async throws {
        let transport = FakeTransport { _, _ in .hang(chunks: [Array("{\"message\":{\"content\":\"first\"}}\n")]) }
        let stream = try provider(.ollama, transport: transport).stream(question)
        let consumer = Task {
            var received: [ChatEvent] = []
            do { for try await event in stream { received.append(event) } } catch {}
            return received
        }
        while transport.requests.isEmpty { await Task.yield() }
        try await Task.sleep(for: .milliseconds(20))
        consumer.cancel()
        let received = await consumer.value
        XCTAssertEqual(received, [.textDelta("first")])
        for _ in 0..<200 where transport.cancelledStreams == 0 { try await Task.sleep(for: .milliseconds(5)) }
        XCTAssertEqual(transport.cancelledStreams, 1)
    }

    func testCancellationDuringBackoffStopsRetrying() async throws {
        let transport = FakeTransport { _, _ in .fail(.connectionRefused(host: "127.0.0.1", port: 11434)) }
        let policy = RetryPolicy(maxAttempts: 5, baseDelay: 10, maxDelay: 10)
        let stream = try Provider(preset: .ollama, environment: [:], transport: transport, retryPolicy: policy).stream(question)
        let consumer = Task {
            do { for try await _ in stream {} } catch {}
        }
        while transport.requests.isEmpty { await Task.yield() }
        let started = ContinuousClock.now
        consumer.cancel()
        _ = await consumer.value
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(2))
        XCTAssertEqual(transport.requests.count, 1)
    }

    // MARK: Models and discovery

    func testListModelsForEachKind() async throws {
        let transport = FakeTransport { request, _ in
            if request.url.hasSuffix("/api/tags") { return .respond(status: 200, chunks: [Array(#"{"models":[{"name":"qwen3:4b","size":1}]}"#)]) }
            return .respond(status: 200, chunks: [Array(#"{"object":"list","data":[{"id":"gpt-4o"},{"id":"o3"}]}"#)])
        }
        let ollama = try await provider(.ollama, transport: transport).listModels()
        XCTAssertEqual(ollama, ["qwen3:4b"])
        let openai = try await provider(.openai, key: "k", transport: transport).listModels()
        XCTAssertEqual(openai, ["gpt-4o", "o3"])
        let anthropic = try await provider(.anthropic, key: "k", transport: transport).listModels()
        XCTAssertEqual(anthropic, ["gpt-4o", "o3"])
        XCTAssertEqual(transport.requests.map(\.url), [
            "http://127.0.0.1:11434/api/tags", "https://api.openai.com/v1/models", "https://api.anthropic.com/v1/models",
        ])
        XCTAssertEqual(transport.requests[2].headers.value(for: "x-api-key"), "k")
    }

    func testDiscoveryFindsWhatAnswersWithinTheBudget() async throws {
        let transport = FakeTransport { request, _ in
            if request.url == "http://127.0.0.1:11434/api/tags" {
                return .respond(status: 200, chunks: [Array(#"{"models":[{"name":"qwen3:4b"}]}"#)])
            }
            if request.url == "http://127.0.0.1:8080/v1/models" {
                return .respond(status: 200, chunks: [Array(#"{"data":[{"id":"gemma"}]}"#)])
            }
            if request.url.hasPrefix("http://127.0.0.1:8000") { return .hang(chunks: []) }
            return .fail(.connectionRefused(host: "127.0.0.1", port: 1234))
        }
        let started = ContinuousClock.now
        let found = await Discovery(transport: transport).run()
        XCTAssertLessThan(ContinuousClock.now - started, .milliseconds(1500))
        XCTAssertEqual(found.map(\.preset.id), ["ollama", "llamacpp"])
        XCTAssertEqual(found.map(\.models), [["qwen3:4b"], ["gemma"]])
        XCTAssertEqual(found.map(\.baseURL), ["http://127.0.0.1:11434", "http://127.0.0.1:8080/v1"])
        XCTAssertEqual(transport.requests.count, 4)
        XCTAssertTrue(transport.requests.allSatisfy { ($0.timeouts.connect ?? 99) <= 0.3 })
    }

    // MARK: Presets and references

    func testModelReferenceParsing() throws {
        let reference = try ModelReference(parsing: "ollama:qwen3:4b")
        XCTAssertEqual(reference.preset, .ollama)
        XCTAssertEqual(reference.model, "qwen3:4b")
        XCTAssertEqual(try ModelReference(parsing: "OpenRouter:meta-llama/llama-3:free").model, "meta-llama/llama-3:free")
        XCTAssertThrowsError(try ModelReference(parsing: "olama:qwen3")) {
            XCTAssertEqual("\($0)", "unknown provider 'olama'; known providers: ollama, openai, anthropic, lmstudio, vllm, llamacpp, openrouter, openai-compatible")
        }
        XCTAssertThrowsError(try ModelReference(parsing: "qwen3")) { XCTAssertEqual($0 as? ProviderError, .invalidModelReference("qwen3")) }
        XCTAssertThrowsError(try ModelReference(parsing: "ollama:")) { XCTAssertEqual($0 as? ProviderError, .invalidModelReference("ollama:")) }
    }

    func testPresetsAndKeysFromEnvironment() throws {
        XCTAssertEqual(ProviderPreset.all.map(\.defaultBaseURL), [
            "http://127.0.0.1:11434", "https://api.openai.com/v1", "https://api.anthropic.com", "http://127.0.0.1:1234/v1",
            "http://127.0.0.1:8000/v1", "http://127.0.0.1:8080/v1", "https://openrouter.ai/api/v1", nil,
        ])
        let transport = FakeTransport { _, _ in .fail(.cancelled) }
        let fromEnvironment = try Provider(preset: .openrouter, environment: ["OPENROUTER_API_KEY": "or-key"], transport: transport)
        XCTAssertEqual(fromEnvironment.chatRequest(question, includeStreamOptions: true).headers.value(for: "Authorization"), "Bearer or-key")
        XCTAssertFalse("\(fromEnvironment)".contains("or-key"))
        XCTAssertThrowsError(try Provider(preset: .openAICompatible, environment: [:], transport: transport)) {
            XCTAssertEqual("\($0)", "OpenAI-compatible server needs a base URL (for example http://127.0.0.1:8000/v1)")
        }
    }

    func testRetryAfterParsing() {
        XCTAssertEqual(RetryAfter.seconds("12"), 12)
        XCTAssertEqual(RetryAfter.seconds(" 1.5 "), 1.5)
        XCTAssertNil(RetryAfter.seconds("soon"))
        let now = Date(timeIntervalSince1970: 1_445_412_480)  // Wed, 21 Oct 2015 07:28:00 GMT
        XCTAssertEqual(RetryAfter.seconds("Wed, 21 Oct 2015 07:28:30 GMT", now: now), 30)
    }
}
