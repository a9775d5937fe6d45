import TestSupport
import TidepoolChat
import TidepoolPool
import TidepoolProviders
import TidepoolStore
import XCTest

/// Issue 12 item 5: a pane whose local server is down is known before the first prompt, with
/// its preset's start hint.
final class ServersNotRunningTests: XCTestCase {
    func testALocalServerThatRefusesIsNamedWithItsPresetHintAndOthersAreNot() async throws {
        let running = try ScriptedHTTPServer()
        defer { running.stop() }
        // A port that was just listening and no longer is: connections to it are refused.
        let stopped = try ScriptedHTTPServer()
        let closedPort = stopped.port
        stopped.stop()

        var config = TidepoolConfig.default
        config.providers["ollama"] = ProviderConfig(name: "ollama", kind: .ollama, baseURL: "http://127.0.0.1:\(closedPort)")
        config.providers["lab"] = ProviderConfig(name: "lab", kind: .openai, baseURL: "http://127.0.0.1:\(closedPort)/v1")
        config.providers["up"] = ProviderConfig(name: "up", kind: .openai, baseURL: running.url("/v1"))
        let catalog = ProviderCatalog.builtIn().merging(config: config, homeDirectory: "/home/test")
        let pool = PoolManager()
        defer { pool.shutdown() }

        let panes: [(provider: String, model: String)] = [
            ("sim", "sim-fast"), ("ollama", "qwen3:4b"), ("up", "m"), ("lab", "x"), ("ollama", "llama3"),
            ("openai", "gpt-4o"),
        ]
        let hints = await catalog.serversNotRunning(for: panes, transport: pool, environment: [:], budget: 30)
        XCTAssertEqual(hints, [
            1: "is Ollama running? `ollama serve`",
            3: "is the server at http://127.0.0.1:\(closedPort)/v1 running?",
            4: "is Ollama running? `ollama serve`",
        ])
        XCTAssertGreaterThanOrEqual(running.snapshot.requests, 1, "the running server was asked")
    }

    func testAPaneThatIsNotRunningSaysSoUntilItIsGivenAnotherServer() {
        var state = AppState(panes: AppState.panes([("ollama", "qwen3:4b")]))
        state.panes[0].status = .notRunning
        state.panes[0].serverHint = "is Ollama running? `ollama serve`"
        _ = ChatApp.update(&state, .changeModel(provider: "ollama", model: "llama3"))
        XCTAssertEqual(state.panes[0].status, .notRunning, "same server, still not running")
        _ = ChatApp.update(&state, .changeModel(provider: "sim", model: "sim-fast"))
        XCTAssertEqual(state.panes[0].status, .idle)
        XCTAssertNil(state.panes[0].serverHint)
    }
}
