import TidepoolChat
import TidepoolPool
import TidepoolProviders
import TidepoolStore
import Foundation
import XCTest

final class ProviderCatalogConfigTests: XCTestCase {
    private func config() -> TidepoolConfig {
        var config = TidepoolConfig(defaultLimits: PoolLimits(maxConnections: 3))
        config.providers["lab"] = ProviderConfig(
            name: "lab", kind: .openai, baseURL: "http://127.0.0.1:9/v1",
            apiKeySource: .environment(variable: "LAB_KEY"), headers: [HTTPHeader("X-Team", "research")],
            limits: PoolLimits(maxConnections: 2), timeouts: RequestTimeouts(connect: 3))
        return config
    }

    func testConfigProvidersBecomeEntries() throws {
        let catalog = ProviderCatalog.builtIn().merging(config: config(), homeDirectory: "/home/test")
        let lab = try XCTUnwrap(catalog.entries["lab"])
        XCTAssertEqual(lab.preset.kind, .openAICompatible)
        XCTAssertEqual(lab.baseURL, "http://127.0.0.1:9/v1")
        XCTAssertEqual(lab.headers, [HTTPHeader("X-Team", "research")])
        XCTAssertEqual(lab.timeouts.connect, 3)
        XCTAssertEqual(lab.limits?.maxConnections, 2)
        XCTAssertEqual(lab.apiKeySource, .environment(variable: "LAB_KEY"))
        XCTAssertEqual(catalog.defaultLimits?.maxConnections, 3)
        // A built-in name keeps its preset's display name and hint.
        XCTAssertEqual(catalog.entries["ollama"]?.preset.displayName, "Ollama")
        XCTAssertEqual(try catalog.parse("lab:my-model").provider, "lab")
    }

    func testProviderGetsTheKeyFromItsSourceAndNeverShowsIt() throws {
        let catalog = ProviderCatalog.builtIn().merging(config: config(), homeDirectory: "/home/test")
        let transport = PoolManager(logger: .init(label: "test"))
        let provider = try catalog.provider(named: "lab", transport: transport, environment: ["LAB_KEY": "sk-test-SECRET42"])
        XCTAssertEqual(provider.extraHeaders, [HTTPHeader("X-Team", "research")])
        XCTAssertFalse(String(describing: provider).contains("SECRET42"))
        XCTAssertFalse(String(describing: catalog.entries["lab"]!).contains("SECRET42"))
        // A missing key leaves the provider usable (the server's 401 will name the variable).
        XCTAssertNoThrow(try catalog.provider(named: "lab", transport: transport, environment: [:]))
    }

    func testLimitsAreAppliedToThePoolOfEachOrigin() async throws {
        let catalog = ProviderCatalog.builtIn().merging(config: config(), homeDirectory: "/home/test")
        let pool = PoolManager(logger: .init(label: "test"))
        catalog.applyLimits(to: pool)
        // A request to the lab's origin opens its pool with the lab's limits, even if refused.
        let request = HTTPRequest(url: "http://127.0.0.1:9/v1/models")
        _ = try? await pool.send(request)
        let stats = pool.stats()
        let lab = try XCTUnwrap(stats.pools.first { $0.origin?.port == 9 })
        XCTAssertEqual(lab.limits.maxConnections, 2)
    }

    /// Records the requests it is given and answers each with an empty 200 stream.
    private final class RecordingTransport: Transport, @unchecked Sendable {
        private let lock = NSLock()
        private var recorded: [HTTPRequest] = []
        var requests: [HTTPRequest] { lock.withLock { recorded } }

        func stream(_ request: HTTPRequest) -> AsyncThrowingStream<ResponseEvent, any Error> {
            lock.withLock { recorded.append(request) }
            return AsyncThrowingStream { continuation in
                continuation.yield(.head(ResponseHead(status: 200, headers: [], httpVersion: .http1_1)))
                continuation.yield(.body(Array("data: [DONE]\n\n".utf8)))
                continuation.yield(.end(TransferMetrics()))
                continuation.finish()
            }
        }
    }

    func testTheConfiguredKeyAndHeadersReachTheServer() async throws {
        let catalog = ProviderCatalog.builtIn().merging(config: config(), homeDirectory: "/home/test")
        let transport = RecordingTransport()
        let provider = try catalog.provider(named: "lab", transport: transport, environment: ["LAB_KEY": "sk-test-SECRET42"])
        for try await _ in provider.stream(ChatRequest(model: "m", messages: [ChatMessage(role: .user, text: "hi")])) {}
        let sent = try XCTUnwrap(transport.requests.first)
        XCTAssertEqual(sent.url, "http://127.0.0.1:9/v1/chat/completions")
        XCTAssertEqual(sent.headers.value(for: "Authorization"), "Bearer sk-test-SECRET42")
        XCTAssertEqual(sent.headers.value(for: "X-Team"), "research")
    }
}
