@testable import TidepoolChat
import TidepoolPool
import TidepoolStore
import XCTest

/// Which pools size themselves.
final class ProviderCatalogAutoSizeTests: XCTestCase {
    private func origin(_ url: String) -> Origin { Origin(url: url)! }

    func testLocalAddressesAndSelfHostedPresetsAreLocal() {
        for url in ["http://127.0.0.1:9", "http://localhost:1", "http://[::1]:2", "http://10.1.2.3:8000",
                    "http://172.20.0.5:80", "http://192.168.1.9:11434", "http://gpu.local:8000", "http://[fd00::5]:1"] {
            XCTAssertTrue(ProviderCatalog.isLocalServer(origin(url), presetID: "x"), url)
        }
        for url in ["https://api.openai.com", "http://172.32.0.1:80", "http://8.8.8.8:80", "http://[2001:db8::1]:1",
                    "http://10.example.com:80"] {
            XCTAssertFalse(ProviderCatalog.isLocalServer(origin(url), presetID: "x"), url)
        }
        XCTAssertTrue(ProviderCatalog.isLocalServer(origin("http://203.0.113.7:11434"), presetID: "ollama"))
    }

    func testDefaultsConfigOnAndOffAndOneFalsePinsASharedPool() throws {
        var config = TidepoolConfig()
        config.providers["box"] = ProviderConfig(name: "box", kind: .openai, baseURL: "http://203.0.113.7:8000/v1", autoSize: true)
        config.providers["pinned"] = ProviderConfig(name: "pinned", kind: .openai, baseURL: "http://127.0.0.1:7000/v1", autoSize: false)
        config.providers["other"] = ProviderConfig(name: "other", kind: .ollama, baseURL: "http://127.0.0.1:7000")
        let catalog = ProviderCatalog.builtIn().merging(config: config, homeDirectory: "/h")
        var decisions: [String: Bool] = [:]
        for decision in catalog.autoSizingDecisions() { decisions[decision.origin.description] = decision.on }
        XCTAssertEqual(decisions["http://127.0.0.1:11434"], true, "ollama's preset")
        XCTAssertEqual(decisions["https://api.openai.com:443"], false, "a hosted API keeps its limit")
        XCTAssertEqual(decisions["http://203.0.113.7:8000"], true, "auto_size = true")
        XCTAssertEqual(decisions["http://127.0.0.1:7000"], false, "one auto_size = false pins the shared pool")
    }

    func testApplyingTurnsItOnForTheSimulator() async throws {
        let manager = PoolManager()
        let catalog = ProviderCatalog.builtIn(simulatorOrigin: "http://127.0.0.1:1")
        catalog.applyLimits(to: manager)
        // A request makes the pool; connection refused still records it.
        _ = try? await manager.send(HTTPRequest(url: "http://127.0.0.1:1/", timeouts: RequestTimeouts(connect: 1)))
        XCTAssertEqual(manager.stats().pool(for: origin("http://127.0.0.1:1"))?.autoSized, true)
        await manager.closeAll()
    }
}
