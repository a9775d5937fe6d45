import TidepoolChat
import TidepoolStore
@testable import TidepoolProviders
import XCTest

final class PaneSelectionTests: XCTestCase {
    private let found = [
        Discovery.Found(preset: .ollama, baseURL: "http://127.0.0.1:11434", models: ["qwen3:4b", "llama3"]),
        Discovery.Found(preset: .lmstudio, baseURL: "http://127.0.0.1:1234", models: []),
    ]

    func testEachStepOfTheChainWinsOverTheNext() {
        let resumed = AppState(panes: AppState.panes([("openai", "gpt-4o")]))
        let commandLine = [(provider: "sim", model: "sim-fast")]
        let configured = [(provider: "anthropic", model: "claude")]
        func names(_ result: (panes: [(provider: String, model: String)], notice: String?)) -> [String] {
            result.panes.map { "\($0.provider):\($0.model)" }
        }
        XCTAssertEqual(names(PaneSelection.choose(resumed: resumed, commandLine: commandLine, configured: configured,
                                                  discovered: found)), ["openai:gpt-4o"])
        XCTAssertEqual(names(PaneSelection.choose(resumed: nil, commandLine: commandLine, configured: configured,
                                                  discovered: found)), ["sim:sim-fast"])
        XCTAssertEqual(names(PaneSelection.choose(resumed: nil, commandLine: [], configured: configured,
                                                  discovered: found)), ["anthropic:claude"])
        let discovered = PaneSelection.choose(resumed: nil, commandLine: [], configured: [], discovered: found)
        XCTAssertEqual(names(discovered), ["ollama:qwen3:4b"])
        XCTAssertNil(discovered.notice)
        let fallback = PaneSelection.choose(resumed: nil, commandLine: [], configured: [], discovered: [])
        XCTAssertEqual(names(fallback), ["sim:sim-fast", "sim-ollama:sim-steady", "sim-anthropic:sim-thinker"])
        XCTAssertEqual(fallback.notice, PaneSelection.simulatorNotice)
    }

    func testSuggestionsListEachModelOnceWithoutFaultModels() {
        let suggestions = PaneSelection.modelSuggestions(
            discovered: found, configured: [("ollama", "qwen3:4b")], simulatorModels: ["sim-fast", "fault-reset"],
            panes: [("sim", "sim-fast"), ("openai", "gpt-4o")])
        XCTAssertEqual(suggestions, ["ollama:qwen3:4b", "ollama:llama3", "sim:sim-fast", "openai:gpt-4o"])
    }

    /// Issue 12 item 1: the screen says which `panes` entry it left out and why.
    func testSkippedPanesEntriesAreNamedWithTheirReason() {
        XCTAssertNil(PaneSelection.skippedNotice([]))
        func issue(_ message: String, fix: String?) -> ConfigIssue {
            ConfigIssue(severity: .warning, kind: .badPane, file: "/c.toml", line: 1, message: message, fix: fix)
        }
        let ghost = issue("pane 'ghost:x' names provider 'ghost', which is not configured", fix: "did you mean 'host'?")
        XCTAssertEqual(PaneSelection.skippedNotice([ghost]),
                       "skipped a panes entry: pane 'ghost:x' names provider 'ghost', which is not configured; did you mean 'host'?")
        let two = PaneSelection.skippedNotice([ghost, issue("pane 'bad' in panes is not written provider:model", fix: "x")])
        XCTAssertEqual(two, "skipped 2 panes entries: pane 'ghost:x' names provider 'ghost', which is not configured; "
                       + "pane 'bad' in panes is not written provider:model (`tidepool config check` says how to fix them)")
    }
}
