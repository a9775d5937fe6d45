import TidepoolProviders
import XCTest

@testable import TidepoolStore

/// The config file reads the one preset table: every provider the README lists is accepted.
final class ConfigBuiltInProvidersTests: XCTestCase {
    private func validate(_ source: String) -> ConfigValidation {
        ConfigValidator(environment: [:], homeDirectory: "/h", fileMode: { _ in nil })
            .validate(source: source, file: "c.toml")
    }

    /// Issue 12 item 1, as the user wrote it.
    func testPanesNamingEveryBuiltInProviderAreAccepted() {
        let validation = validate("""
            panes = ["sim:sim-fast", "vllm:x", "llamacpp:y", "openrouter:z", "sim-ollama:sim-steady", "sim-anthropic:sim-thinker"]
            """)
        XCTAssertEqual(validation.issues.map(\.description), [])
        XCTAssertEqual(validation.config.panes.map(\.provider),
                       ["sim", "vllm", "llamacpp", "openrouter", "sim-ollama", "sim-anthropic"])
        // The simulator's address is only known once it runs, so the config holds no entry for
        // it (the app starts the simulator when no table redefines the name).
        XCTAssertNil(validation.config.providers["sim"])
    }

    func testEveryPresetWithAnAddressIsABuiltInProvider() throws {
        let names = ProviderPreset.all.filter { $0.defaultBaseURL != nil }.map(\.id).sorted()
        XCTAssertEqual(BuiltInProviders.names, names)
        XCTAssertEqual(Set(TidepoolConfig.default.providers.keys), Set(names))
        let vllm = try XCTUnwrap(TidepoolConfig.default.providers["vllm"])
        XCTAssertEqual(vllm.kind, .openAICompatible)
        XCTAssertEqual(vllm.baseURL, "http://127.0.0.1:8000/v1")
        let openrouter = try XCTUnwrap(TidepoolConfig.default.providers["openrouter"])
        XCTAssertEqual(openrouter.apiKeySource, .environment(variable: "OPENROUTER_API_KEY"))
    }

    /// A table named after a preset needs no kind or address; `openai` and `openai-compatible`
    /// both name the OpenAI format, so existing configs keep working.
    func testPresetTablesAndKindSpellings() throws {
        let validation = validate("""
            [providers.llamacpp]
            max_connections = 2
            [providers.a]
            kind = "openai"
            base_url = "http://127.0.0.1:1/v1"
            [providers.b]
            kind = "openai-compatible"
            base_url = "http://127.0.0.1:2/v1"
            """)
        XCTAssertEqual(validation.issues.map(\.description), [])
        let llamacpp = try XCTUnwrap(validation.config.providers["llamacpp"])
        XCTAssertEqual(llamacpp.kind, .openAICompatible)
        XCTAssertEqual(llamacpp.baseURL, "http://127.0.0.1:8080/v1")
        XCTAssertEqual(llamacpp.limits.maxConnections, 2)
        XCTAssertEqual(validation.config.providers["a"]?.kind, .openAICompatible)
        XCTAssertEqual(validation.config.providers["b"]?.kind, .openAICompatible)
    }

    /// `ask` and `compare` name their models themselves: a bad pane is only a warning there.
    func testPaneErrorsCanBeSetAside() throws {
        let validation = validate("""
            panes = ["ghost:model", "sim:sim-fast"]
            """)
        XCTAssertTrue(validation.hasErrors)
        let relaxed = validation.ignoringPaneErrors()
        XCTAssertFalse(relaxed.hasErrors)
        XCTAssertEqual(relaxed.warnings.count, 1)
        XCTAssertEqual(try relaxed.requireValid(path: "c.toml").panes.map(\.provider), ["sim"])
    }
}
