import Foundation
import TestSupport
import XCTest

/// Issue 12 items 1, 5, 7 and 13 on the real screen in tmux: a bad `panes` entry is skipped
/// with a word on screen, a pane whose server is down says so before any prompt, and an
/// 80-column terminal gets the panel as one line with every pane's state in its title.
final class FirstHourScreenTests: XCTestCase {
    private var home: URL!

    override func setUpWithError() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("tidepool-e2e-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: home)
    }

    private func writeConfig(_ text: String) throws {
        let directory = home.appendingPathComponent("config/tidepool")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: directory.appendingPathComponent("config.toml"))
    }

    private func session(_ arguments: String, width: Int = 160, height: Int = 45) throws -> TmuxSession {
        try TmuxSession.tidepool(arguments, home: home.path, width: width, height: height)
    }

    func testABadPanesEntryIsSkippedOnScreenAndADownServerSaysSoAtOnce() throws {
        try writeConfig("""
            panes = ["ghost:model", "sim:sim-fast:instant", "ollama:qwen3:4b"]
            """)
        let tmux = try session("--no-history")
        defer { tmux.stop() }
        let screen = tmux.wait { $0.contains("sim:sim-fast") && $0.contains("not running") && $0.contains("skipped") }
        XCTAssertTrue(screen.contains("skipped a panes entry: pane 'ghost:model'"), screen)
        XCTAssertTrue(screen.contains("✗ not running"), "the Ollama pane does not say its server is down:\n\(screen)")
        XCTAssertTrue(screen.contains("is Ollama running?"), screen)
        XCTAssertFalse(screen.contains("TIDEPOOL-EXITED"), "the screen did not start:\n\(screen)")
        tmux.press("C-q")
        XCTAssertTrue(tmux.wait { $0.contains("TIDEPOOL-EXITED") }.contains("TIDEPOOL-EXITED-0"))
    }

    func testAt80ColumnsThePanelIsOneLineAndEveryPaneKeepsItsState() throws {
        let tmux = try session(
            "--no-history -m sim:sim-fast:instant -m sim-ollama:sim-steady:instant -m sim-anthropic:sim-thinker:instant "
                + "-m sim:sim-instant --broadcast", width: 80, height: 24)
        defer { tmux.stop() }
        var screen = tmux.wait { $0.contains("Pool 127.0.0.1") }
        XCTAssertTrue(screen.contains("Pool 127.0.0.1"), "no one-line pool summary:\n\(screen)")
        XCTAssertFalse(screen.contains("latency"), "the full panel is still drawn at 80 columns:\n\(screen)")
        tmux.type("hello")
        tmux.press("Enter")
        screen = tmux.wait(timeout: 20) { $0.components(separatedBy: "✓").count - 1 >= 4 }
        XCTAssertEqual(screen.components(separatedBy: "✓").count - 1, 4, "a pane's title lost its state:\n\(screen)")
        // Ctrl-P hides the line, and shows it again.
        tmux.press("C-p")
        screen = tmux.wait { !$0.contains("Pool 127.0.0.1") }
        XCTAssertFalse(screen.contains("Pool 127.0.0.1"), screen)
        tmux.press("C-p")
        screen = tmux.wait { $0.contains("Pool 127.0.0.1") }
        XCTAssertTrue(screen.contains("Pool 127.0.0.1"), screen)
        tmux.press("C-q")
        XCTAssertTrue(tmux.wait { $0.contains("TIDEPOOL-EXITED") }.contains("TIDEPOOL-EXITED-0"))
    }
}
