import Foundation
import TidepoolChat
import TidepoolPool
import TidepoolProviders
import TidepoolStore
import XCTest

/// Issue 12 item 6 and issue 8 defects 4 and 10 at the catalog, where ask, compare and the
/// panes all build their providers.
final class ProviderCatalogPreflightTests: XCTestCase {
    /// Counts requests; every one fails (nothing should be sent in these tests).
    private final class CountingTransport: Transport, @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        var requests: Int { lock.withLock { count } }

        func stream(_ request: HTTPRequest) -> AsyncThrowingStream<ResponseEvent, any Error> {
            lock.withLock { count += 1 }
            return AsyncThrowingStream { $0.finish(throwing: PoolError.hostNotFound("api.openai.com")) }
        }
    }

    private let question = ChatRequest(model: "gpt-4o", messages: [ChatMessage(role: .user, text: "hi")])

    private func failure(_ provider: Provider) async -> String? {
        do {
            for try await _ in provider.stream(question) {}
            return nil
        } catch {
            return "\(error)"
        }
    }

    func testAMissingKeyForAHostedServerFailsBeforeSending() async throws {
        let catalog = ProviderCatalog.builtIn().merging(config: .default, homeDirectory: "/home/test")
        let transport = CountingTransport()
        let openai = try catalog.provider(named: "openai", transport: transport, environment: [:])
        let message = await failure(openai)
        XCTAssertEqual(message, "OPENAI_API_KEY is not set; export it or set api_key_file in [providers.openai]")
        do {
            _ = try await openai.listModels()
            XCTFail("listed models without a key")
        } catch {
            XCTAssertEqual("\(error)", "OPENAI_API_KEY is not set; export it or set api_key_file in [providers.openai]")
        }
        XCTAssertEqual(transport.requests, 0, "nothing was sent")

        // With the key, the request goes out (and fails on the network here).
        let keyed = try catalog.provider(named: "openai", transport: transport, environment: ["OPENAI_API_KEY": "sk-1"])
        let networkFailure = await failure(keyed)
        XCTAssertEqual(networkFailure?.contains("OPENAI_API_KEY"), false)
        XCTAssertEqual(transport.requests, 1)
    }

    func testALoopbackServerNeedsNoKeyAndAKeyFileProblemIsNamed() async throws {
        var config = TidepoolConfig.default
        config.providers["local"] = ProviderConfig(
            name: "local", kind: .openai, baseURL: "http://127.0.0.1:9/v1",
            apiKeySource: .environment(variable: "LOCAL_KEY"))
        config.providers["remote"] = ProviderConfig(
            name: "remote", kind: .anthropic, baseURL: "https://llm.example.com",
            apiKeySource: .file(path: "/nonexistent/remote.key"))
        let catalog = ProviderCatalog.builtIn().merging(config: config, homeDirectory: "/home/test")
        let transport = CountingTransport()
        let local = try catalog.provider(named: "local", transport: transport, environment: [:])
        XCTAssertNil(local.preflightFailure)
        let remote = try catalog.provider(named: "remote", transport: transport, environment: [:])
        let message = await failure(remote)
        XCTAssertEqual(message, "provider 'remote' reads its API key from /nonexistent/remote.key, which cannot be read; "
            + "create it with only the key inside and run chmod 600 /nonexistent/remote.key")
        XCTAssertEqual(transport.requests, 0)
    }

    func testTheAnswerCapComesFromTheConfig() throws {
        var config = TidepoolConfig.default
        config.maxAnswerBytes = 65536
        let catalog = ProviderCatalog.builtIn().merging(config: config, homeDirectory: "/home/test")
        let provider = try catalog.provider(named: "ollama", transport: CountingTransport(), environment: [:])
        XCTAssertEqual(provider.maxAnswerBytes, 65536)
        let plain = try ProviderCatalog.builtIn().provider(named: "ollama", transport: CountingTransport(), environment: [:])
        XCTAssertEqual(plain.maxAnswerBytes, 4 << 20)
    }

    /// Issue 8 defect 4: credentials in a base URL never reach a message.
    func testCredentialsInABaseURLAreRedactedEverywhereItIsShown() throws {
        var config = TidepoolConfig.default
        config.providers["lab"] = ProviderConfig(
            name: "lab", kind: .openai, baseURL: "http://alice:hunter2@127.0.0.1:9/v1?api_key=sk-999")
        let catalog = ProviderCatalog.builtIn().merging(config: config, homeDirectory: "/home/test")
        let provider = try catalog.provider(named: "lab", transport: CountingTransport(), environment: [:])
        let shown = [
            "\(provider)", catalog.entries["lab"]!.preset.startHint, "\(provider.origin)",
            "\(ProviderError.httpStatus(provider: "lab", status: 404, message: "check the base URL \(provider.baseURL)"))",
        ]
        for text in shown {
            XCTAssertFalse(text.contains("hunter2") || text.contains("sk-999") || text.contains("alice"), text)
        }
        XCTAssertEqual("\(provider)", "lab (http://[redacted]@127.0.0.1:9/v1?api_key=[redacted])")
    }
}
