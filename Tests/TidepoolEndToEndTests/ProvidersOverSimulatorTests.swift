import TidepoolChat
import TidepoolPool
import TidepoolProviders
import TidepoolSim
import XCTest

/// Every wire format end to end: a real provider, through a real pool, against the simulator
/// on loopback, with the simulator's own count of connections and requests as the witness.
final class ProvidersOverSimulatorTests: XCTestCase {
    private var server: SimServer!
    private var catalog: ProviderCatalog!

    override func setUp() async throws {
        server = SimServer()
        let port = try await server.start()
        catalog = ProviderCatalog.builtIn(simulatorOrigin: "http://127.0.0.1:\(port)")
    }

    override func tearDown() async throws {
        await server.stop()
    }

    private func answer(_ provider: Provider, model: String, prompt: String = "How do tides work?") async throws
        -> (text: String, events: [ChatEvent])
    {
        var text = ""
        var events: [ChatEvent] = []
        let request = ChatRequest(model: model, messages: [ChatMessage(role: .user, text: prompt)])
        for try await event in provider.stream(request) {
            events.append(event)
            if case .textDelta(let delta) = event { text += delta }
        }
        return (text, events)
    }

    func testThreeFormatsShareOneConnectionForSequentialRequests() async throws {
        let pool = PoolManager()
        for name in ProviderCatalog.simulatorNames {
            let provider = try catalog.provider(named: name, transport: pool)
            for round in 0..<3 {
                let (text, events) = try await answer(provider, model: "sim-fast:instant", prompt: "question \(round)")
                XCTAssertGreaterThan(text.count, 100, "\(name) answered almost nothing")
                guard case .timings(let timings) = events.last else { return XCTFail("\(name): no timings last") }
                XCTAssertNotNil(timings.timeToFirstToken)
                XCTAssertTrue(events.contains { if case .finish = $0 { true } else { false } }, "\(name): no finish")
                XCTAssertTrue(events.contains { if case .usage(_, let output?) = $0 { output > 0 } else { false } },
                              "\(name): no usage")
            }
        }
        let stats = server.stats
        XCTAssertEqual(stats.requests, 9)
        XCTAssertEqual(stats.connectionsAccepted, 1, "sequential requests of three formats to one origin must share a connection")
        XCTAssertEqual(stats.requestsPerConnection, [9])
        let pool0 = try XCTUnwrap(pool.stats().pools.first)
        XCTAssertEqual(pool.stats().pools.count, 1)
        XCTAssertEqual(pool0.socketsOpened, 1)
        XCTAssertEqual(pool0.reusedConnections, 8)
    }

    func testReasoningArrivesBeforeTheAnswer() async throws {
        let provider = try catalog.provider(named: "sim", transport: PoolManager())
        let (text, events) = try await answer(provider, model: "sim-thinker:instant")
        let firstReasoning = events.firstIndex { if case .reasoningDelta = $0 { true } else { false } }
        let firstText = events.firstIndex { if case .textDelta = $0 { true } else { false } }
        XCTAssertNotNil(firstReasoning)
        XCTAssertLessThan(try XCTUnwrap(firstReasoning), try XCTUnwrap(firstText))
        XCTAssertFalse(text.isEmpty)
    }

    /// Issue 12 item 11: the default third pane (Anthropic format, `sim-thinker`) shows
    /// reasoning, and so does the Ollama format; a model that does not reason sends none.
    func testTheSimulatorsReasoningModelReasonsInEveryFormatWithoutBeingAsked() async throws {
        let pool = PoolManager()
        for name in ProviderCatalog.simulatorNames {
            let provider = try catalog.provider(named: name, transport: pool)
            let (_, thinker) = try await answer(provider, model: "sim-thinker:instant")
            XCTAssertTrue(thinker.contains { if case .reasoningDelta = $0 { true } else { false } }, "\(name): no reasoning")
            let (_, fast) = try await answer(provider, model: "sim-fast:instant")
            XCTAssertFalse(fast.contains { if case .reasoningDelta = $0 { true } else { false } }, "\(name): sim-fast reasoned")
        }
        // Said no to, it stays off.
        let anthropic = try catalog.provider(named: "sim-anthropic", transport: pool)
        var events: [ChatEvent] = []
        let request = ChatRequest(model: "sim-thinker:instant", messages: [ChatMessage(role: .user, text: "hi")], reasoning: false)
        for try await event in anthropic.stream(request) { events.append(event) }
        XCTAssertFalse(events.contains { if case .reasoningDelta = $0 { true } else { false } })
    }

    func testFaultsBecomeMessagesAPersonCanActOn() async throws {
        let pool = PoolManager()
        var provider = try catalog.provider(named: "sim-ollama", transport: pool)
        provider.retryPolicy = RetryPolicy(maxAttempts: 2, baseDelay: 0.01, maxDelay: 0.02, maxRetryAfter: 0.05,
                                           sleep: { _ in })
        provider.timeouts = RequestTimeouts(connect: 2, firstByte: 2, idle: 0.3)

        await assertFails(provider, "fault-500:instant", containing: "HTTP 500")
        await assertFails(provider, "fault-429:instant", containing: "429")
        await assertFails(provider, "fault-stall:instant", containing: "went silent")
        await assertFails(provider, "no-such-model", containing: "model 'no-such-model' not found")
        // The pool survives all of it.
        let (text, _) = try await answer(provider, model: "sim-fast:instant")
        XCTAssertFalse(text.isEmpty)
    }

    func testNoServerSaysWhatToStart() async throws {
        var provider = try Provider(preset: .ollama, baseURL: "http://127.0.0.1:9", transport: PoolManager())
        provider.retryPolicy = RetryPolicy(maxAttempts: 1)
        await assertFails(provider, "qwen3:4b", containing: "no server at 127.0.0.1:9; is Ollama running? `ollama serve`")
    }

    private func assertFails(_ provider: Provider, _ model: String, containing expected: String,
                             file: StaticString = #filePath, line: UInt = #line) async {
        do {
            _ = try await answer(provider, model: model)
            XCTFail("\(model) did not fail", file: file, line: line)
        } catch {
            XCTAssertTrue(String(describing: error).contains(expected),
                          "\(model): '\(error)' does not contain '\(expected)'", file: file, line: line)
        }
    }
}
