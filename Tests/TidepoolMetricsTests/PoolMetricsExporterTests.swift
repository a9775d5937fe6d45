import TestSupport
import TidepoolBench
import TidepoolPool
import TidepoolProviders
import TidepoolSim
import XCTest
@testable import TidepoolMetrics

/// `/metrics` after every kind of event the pool sees (a chat answered, an error, a
/// cancellation, a queued request, TLS, discovery, monitoring), each scrape read back by
/// Python's `prometheus_client` parser, each number checked against what happened.
final class PoolMetricsExporterTests: XCTestCase {
    private var sim: SimServer!
    private var simPort = 0
    private var scripted: ScriptedHTTPServer!
    private var pool: PoolManager!
    private var exporter: PoolMetricsExporter!

    override func setUp() async throws {
        sim = SimServer()
        simPort = try await sim.start()
        scripted = try ScriptedHTTPServer()
        pool = PoolManager()
        exporter = PoolMetricsExporter(pool: pool)
        exporter.attach(to: pool)
    }

    override func tearDown() async throws {
        pool.setObserver(nil)
        pool.shutdown()
        scripted.stop()
        await sim.stop()
    }

    private var simURL: String { "http://127.0.0.1:\(simPort)" }

    private func scrape(file: StaticString = #filePath, line: UInt = #line) throws -> ParsedExposition {
        let parsed = try ParsedExposition(exporter.scrape(), file: file, line: line)
        XCTAssertEqual(Set(parsed.families).count, parsed.families.count,
                       "a family appeared twice: \(parsed.families)", file: file, line: line)
        for sample in parsed.samples {
            XCTAssertNotNil(sample.labels["server_address"], "\(sample.name) has no server_address", file: file, line: line)
            XCTAssertNotNil(sample.labels["server_port"], "\(sample.name) has no server_port", file: file, line: line)
            if sample.name.hasPrefix("tidepool_") {
                XCTAssertNotNil(sample.labels["pool"], "\(sample.name) has no pool", file: file, line: line)
            }
        }
        return parsed
    }

    /// Waits (polling the pool's own counts, up to 5 s) until `condition` holds.
    private func waitForStats(_ condition: (PoolManagerStats) -> Bool) async throws {
        let deadline = Date().addingTimeInterval(5)
        while !condition(pool.stats()) {
            guard Date() < deadline else { return XCTFail("the pool never reached the expected counts") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    func testAnEmptyPoolScrapesToNothingTheParserRefuses() throws {
        let parsed = try scrape()
        XCTAssertTrue(parsed.samples.isEmpty)
        XCTAssertEqual(PoolMetricsExporter.contentType, "text/plain; version=0.0.4; charset=utf-8")
    }

    func testEveryKindOfEventScrapesCleanly() async throws {
        let sim = ["server_port": String(simPort)]
        let simPool = ["pool": simURL, "server_address": "127.0.0.1", "server_port": String(simPort)]

        // A chat answered.
        let provider = try Provider(preset: .ollama, baseURL: simURL, transport: pool)
        let request = ChatRequest(model: "sim-fast:instant", messages: [ChatMessage(role: .user, text: "tides?")])
        for try await _ in provider.stream(request) {}
        var parsed = try scrape()
        XCTAssertEqual(parsed.sum("tidepool_pool_requests_total", simPool.merging(["purpose": "chat", "outcome": "ok"]) { $1 }), 1)
        XCTAssertEqual(parsed.sum("tidepool_pool_requests_total", simPool.merging(["outcome": "error"]) { $1 }), 0)
        XCTAssertEqual(parsed.sum("tidepool_pool_connections_opened_total", simPool.merging(["purpose": "chat"]) { $1 }), 1)
        XCTAssertEqual(parsed.sum("http_client_open_connections", sim.merging(["http_connection_state": "idle"]) { $1 }), 1)
        XCTAssertEqual(parsed.sum("http_client_active_requests", sim), 0)
        XCTAssertEqual(parsed.sum("http_client_request_duration_seconds_count", sim.merging([
            "http_request_method": "POST", "http_response_status_code": "200", "error_type": "",
        ]) { $1 }), 1)
        XCTAssertEqual(parsed.sum("http_client_request_duration_seconds_bucket", sim.merging(["le": "600.0"]) { $1 }), 1)
        let genAI = sim.merging([
            "gen_ai_operation_name": "chat", "gen_ai_provider_name": "ollama", "gen_ai_request_model": "sim-fast:instant",
        ]) { $1 }
        XCTAssertEqual(parsed.sum("gen_ai_client_operation_duration_seconds_count", genAI), 1)
        XCTAssertEqual(parsed.sum("gen_ai_client_operation_time_to_first_chunk_seconds_count", genAI), 1)
        XCTAssertEqual(parsed.sum("gen_ai_client_token_usage_count", genAI.merging(["gen_ai_token_type": "output"]) { $1 }), 1)
        XCTAssertGreaterThan(parsed.sum("gen_ai_client_token_usage_sum", genAI.merging(["gen_ai_token_type": "output"]) { $1 }), 0)
        XCTAssertEqual(parsed.sum("tidepool_pool_max_connections", simPool), 6)
        XCTAssertEqual(parsed.sum("tidepool_pool_concurrency_limit", simPool), 6)
        XCTAssertEqual(parsed.sum("tidepool_pool_queue_wait_seconds_count", simPool), 1)

        // Discovery and monitoring, on the connection the chat left idle.
        _ = try await pool.send(HTTPRequest(url: simURL + "/api/tags", purpose: .discovery))
        _ = try await pool.send(HTTPRequest(url: simURL + "/api/ps", purpose: .monitor))
        exporter.record(server: ServerSnapshot(requestsRunning: 2, requestsWaiting: 1, slotsTotal: 4, kvCacheUsage: 0.5),
                        for: try XCTUnwrap(Origin(url: simURL)))
        parsed = try scrape()
        for purpose in ["discovery", "monitor"] {
            XCTAssertEqual(parsed.sum("tidepool_pool_requests_total", simPool.merging(["purpose": purpose, "outcome": "ok"]) { $1 }), 1, purpose)
            XCTAssertEqual(parsed.sum("tidepool_pool_requests_reused_total", simPool.merging(["purpose": purpose]) { $1 }), 1, purpose)
            XCTAssertEqual(parsed.sum("tidepool_pool_connections_opened_total", simPool.merging(["purpose": purpose]) { $1 }), 0, purpose)
        }
        XCTAssertEqual(parsed.sum("tidepool_pool_requests_total", simPool.merging(["purpose": "chat", "outcome": "ok"]) { $1 }), 1,
                       "a second scrape moved a counter nothing happened to")
        XCTAssertEqual(parsed.sum("tidepool_server_requests_running", simPool), 2)
        XCTAssertEqual(parsed.sum("tidepool_server_requests_waiting", simPool), 1)
        XCTAssertEqual(parsed.sum("tidepool_server_slots_total", simPool), 4)
        XCTAssertEqual(parsed.sum("tidepool_server_kv_cache_usage_ratio", simPool), 0.5)
        // A server that stops telling a number has no series for it, not a zero.
        exporter.record(server: ServerSnapshot(requestsRunning: 1), for: try XCTUnwrap(Origin(url: simURL)))
        parsed = try scrape()
        XCTAssertTrue(parsed.matching("tidepool_server_kv_cache_usage_ratio").isEmpty)
        XCTAssertEqual(parsed.sum("tidepool_server_requests_running", simPool), 1)

        // An error: the server drops the connection without answering.
        let scriptedPool = ["pool": "http://127.0.0.1:\(scripted.port)", "server_port": String(scripted.port)]
        do {
            _ = try await pool.send(HTTPRequest(url: scripted.url("/drop")))
            XCTFail("a dropped connection answered")
        } catch {}
        parsed = try scrape()
        XCTAssertEqual(parsed.sum("tidepool_pool_requests_total", scriptedPool.merging(["purpose": "chat", "outcome": "error"]) { $1 }), 1)
        XCTAssertEqual(parsed.sum("http_client_request_duration_seconds_count", [
            "server_port": String(scripted.port), "error_type": "connection_lost", "http_response_status_code": "",
        ]), 1)

        // A cancellation, mid-stream.
        let pool: PoolManager = self.pool
        let stallURL = scripted.url("/stall")
        let started = AsyncStream.makeStream(of: Void.self)
        let stalled = Task {
            for try await event in pool.stream(HTTPRequest(url: stallURL)) {
                if case .body = event { started.continuation.yield() }
            }
        }
        for await _ in started.stream { break }
        stalled.cancel()
        _ = await stalled.result
        try await waitForStats { $0.pool(for: Origin(url: self.scripted.url("/"))!)?.counts(for: .chat).cancelled == 1 }
        parsed = try scrape()
        XCTAssertEqual(parsed.sum("tidepool_pool_requests_total", scriptedPool.merging(["outcome": "cancelled"]) { $1 }), 1)
        XCTAssertEqual(parsed.sum("tidepool_pool_requests_total", scriptedPool.merging(["outcome": "ok"]) { $1 }), 0)

        // Queued: one connection allowed, two requests at once.
        let origin = try XCTUnwrap(Origin(url: scripted.url("/")))
        pool.setLimits(PoolLimits(maxConnections: 1, maxIdleConnections: 1), for: origin)
        let slowURL = scripted.url("/slow?ms=150")
        async let first = pool.send(HTTPRequest(url: slowURL))
        async let second = pool.send(HTTPRequest(url: slowURL))
        _ = try await (first, second)
        parsed = try scrape()
        XCTAssertEqual(parsed.sum("tidepool_pool_queue_exhausted_total", scriptedPool.merging(["purpose": "chat"]) { $1 }), 1)
        XCTAssertEqual(parsed.sum("tidepool_pool_max_connections", scriptedPool), 1)
        XCTAssertEqual(parsed.sum("tidepool_pool_queue_length", scriptedPool), 0)
        XCTAssertEqual(parsed.sum("tidepool_pool_requests_total", scriptedPool.merging(["outcome": "ok"]) { $1 }), 2)
        let waits = parsed.matching("tidepool_pool_queue_wait_seconds_count", scriptedPool)
        XCTAssertEqual(waits.reduce(0) { $0 + $1.value }, 4, "drop, stall and two slow requests were all sent")
        XCTAssertGreaterThan(parsed.sum("tidepool_pool_queue_wait_seconds_sum", scriptedPool), 0.1,
                             "the second request waited for the first (150 ms)")

        // Every pool counter agrees with the pool's own totals.
        let total = pool.stats().total
        XCTAssertEqual(Int(parsed.sum("tidepool_pool_connections_opened_total")), total.socketsOpened)
        XCTAssertEqual(Int(parsed.sum("tidepool_pool_connections_closed_total")), total.socketsClosed)
        XCTAssertEqual(Int(parsed.sum("tidepool_pool_requests_total")), total.requestsStarted)
        XCTAssertEqual(Int(parsed.sum("tidepool_pool_requests_reused_total")), total.reusedConnections)
    }

    func testTLSHandshakesAreCountedAgainstNginx() async throws {
        let nginx = try LocalNginx()
        let ports = try nginx.start()
        defer { nginx.stop() }
        let options = ConnectionOptions(caFile: nginx.certificatePath)
        let url = "https://127.0.0.1:\(ports.tls)/small"
        for _ in 0..<3 { _ = try await pool.send(HTTPRequest(url: url, connectionOptions: options)) }
        _ = try await pool.send(HTTPRequest(url: url, connectionOptions: options, freshConnection: true, purpose: .discovery))
        let parsed = try scrape()
        let labels = ["pool": "https://127.0.0.1:\(ports.tls)", "server_port": String(ports.tls)]
        XCTAssertEqual(parsed.sum("tidepool_pool_tls_handshakes_total", labels.merging(["purpose": "chat"]) { $1 }), 1)
        XCTAssertEqual(parsed.sum("tidepool_pool_tls_handshakes_total", labels.merging(["purpose": "discovery"]) { $1 }), 1)
        let logged = nginx.loggedRequests(atLeast: 4, port: ports.tls)
        XCTAssertEqual(Double(Set(logged.map(\.connection)).count), parsed.sum("tidepool_pool_connections_opened_total", labels))
    }

    func testLabelValuesFromOutsideAreEscaped() throws {
        // A model name is whatever the user or a config wrote: quotes, backslashes, newlines.
        let model = "evil\"model\\with\nnewline"
        exporter.chatOperationEnded(ChatOperationRecord(
            origin: try XCTUnwrap(Origin(url: simURL)), provider: "lab", model: model, timeToFirstChunk: 0.5,
            duration: 2, inputTokens: nil, outputTokens: 7))
        let parsed = try scrape()
        XCTAssertEqual(parsed.sum("gen_ai_client_operation_duration_seconds_count", ["gen_ai_request_model": model]), 1)
        XCTAssertEqual(parsed.sum("gen_ai_client_token_usage_sum", ["gen_ai_request_model": model, "gen_ai_token_type": "output"]), 7)
        XCTAssertEqual(parsed.sum("gen_ai_client_token_usage_count", ["gen_ai_request_model": model, "gen_ai_token_type": "input"]), 0)
    }

    func testFamiliesAreFixedOnce() {
        XCTAssertEqual(Set(MetricFamily.all.map(\.name)).count, MetricFamily.all.count)
        for family in MetricFamily.all {
            XCTAssertEqual(Array(family.labelNames.prefix(2)), ["server_address", "server_port"], family.name)
            if family.name.hasPrefix("tidepool_") { XCTAssertEqual(family.labelNames[2], "pool", family.name) }
            if case .histogram(let buckets) = family.kind, family.name.hasSuffix("_seconds") {
                XCTAssertEqual(buckets.last, 600, "\(family.name): durations must reach 10 minutes")
            }
        }
    }

    // MARK: Chats that do not complete (OpenTelemetry's error.type)

    /// Scrapes until the raw exposition contains `text` (the cancelled chat is recorded by
    /// the provider's task after the consumer let go), up to 5 s.
    private func waitForExposition(containing text: String) async throws {
        let deadline = Date().addingTimeInterval(5)
        while !String(decoding: exporter.scrape(), as: UTF8.self).contains(text) {
            guard Date() < deadline else { return XCTFail("the exposition never contained \(text)") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    private func chat(_ provider: Provider, _ model: String) async -> (any Error)? {
        do {
            for try await _ in provider.stream(ChatRequest(model: model, messages: [ChatMessage(role: .user, text: "hi")])) {}
            return nil
        } catch {
            return error
        }
    }

    /// Chats that do not complete are GenAI operations too: OpenTelemetry's
    /// `gen_ai.client.operation.duration` carries `error.type` on them.
    func testFailedAndCancelledChatsCarryTheirErrorType() async throws {
        let provider = try Provider(preset: .openai, baseURL: simURL + "/v1", transport: pool)
        // Completed, refused with a 500 (no first chunk, no tokens), cut mid-stream (a first
        // chunk came), and cancelled while the server is silent.
        let completed = await chat(provider, "sim-fast:instant")
        XCTAssertNil(completed)
        let refused = await chat(provider, "fault-500")
        XCTAssertNotNil(refused)
        let cut = await chat(provider, "fault-drop:instant")
        let cutType = try XCTUnwrap(cut as? ProviderError, "\(String(describing: cut))").errorType
        let started = AsyncStream.makeStream(of: Void.self)
        let stalled = Task {
            for try await _ in provider.stream(ChatRequest(model: "fault-stall:instant", messages: [ChatMessage(role: .user, text: "hi")])) {
                started.continuation.yield()
            }
        }
        for await _ in started.stream { break }
        stalled.cancel()
        _ = await stalled.result
        try await waitForExposition(containing: "error_type=\"cancelled\"")

        let parsed = try scrape()
        func operations(_ model: String, _ errorType: String) -> Double {
            parsed.sum("gen_ai_client_operation_duration_seconds_count", [
                "gen_ai_provider_name": "openai", "gen_ai_request_model": model, "error_type": errorType,
            ])
        }
        func firstChunks(_ model: String) -> Double {
            parsed.sum("gen_ai_client_operation_time_to_first_chunk_seconds_count", ["gen_ai_request_model": model])
        }
        XCTAssertEqual(operations("sim-fast:instant", ""), 1, "a completed chat has error_type \"\"")
        XCTAssertEqual(operations("fault-500", "500"), 1)
        XCTAssertEqual(operations("fault-500", ""), 0, "a failed chat counted as completed")
        XCTAssertEqual(firstChunks("fault-500"), 0, "no first chunk came")
        XCTAssertEqual(parsed.sum("gen_ai_client_token_usage_count", ["gen_ai_request_model": "fault-500"]), 0)
        XCTAssertNotEqual(cutType, "")
        XCTAssertEqual(operations("fault-drop:instant", cutType), 1)
        XCTAssertEqual(firstChunks("fault-drop:instant"), 1, "text came before the cut")
        XCTAssertEqual(operations("fault-stall:instant", "cancelled"), 1)
        XCTAssertEqual(firstChunks("fault-stall:instant"), 1)
        XCTAssertEqual(parsed.sum("gen_ai_client_operation_duration_seconds_count"), 4, "every chat once")
        // Every series of the family carries the label (fixed label names).
        for sample in parsed.matching("gen_ai_client_operation_duration_seconds_count") {
            XCTAssertNotNil(sample.labels["error_type"], "\(sample.labels)")
        }
    }
}
