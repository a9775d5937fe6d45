import Foundation
import TestSupport
import XCTest

/// The chat screen driven for real in tmux at 160x45, on the built-in simulator: start, broadcast,
/// read the panes and the pool panel, resize, switch theme, quit, and check the shell is usable.
final class ChatScreenEndToEndTests: XCTestCase {
    private var home: URL!

    override func setUpWithError() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("tidepool-e2e-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: home)
    }

    private func session(_ arguments: String, editor: String? = nil) throws -> TmuxSession {
        try TmuxSession.tidepool(arguments, home: home.path, editor: editor)
    }

    func testBroadcastOnTheSimulatorShowsEveryAnswerAndThePool() throws {
        // `:gather3` makes the simulator hold each answer until all three requests have arrived,
        // so the three answers overlap on every machine, however fast or loaded.
        let tmux = try session("-m sim:sim-fast:instant:gather3 -m sim-ollama:sim-steady:instant:gather3 -m sim-anthropic:sim-thinker:instant:gather3 --broadcast")
        defer { tmux.stop() }
        // Wait for the input box too: a capture can catch the first frame half painted.
        var screen = tmux.wait {
            $0.contains("sim:sim-fast") && $0.contains("sim-anthropic:sim-thinker") && $0.contains("ALL 3 panes")
        }
        XCTAssertTrue(screen.contains("ALL 3 panes"), screen)
        XCTAssertTrue(screen.contains("Pool"), screen)
        // The warm-up request has finished, so its connection is idle when the answers start.
        screen = tmux.wait { $0.contains("requests 1: 1 ok") }
        XCTAssertTrue(screen.contains("requests 1: 1 ok"), "the pool was not warmed:\n\(screen)")

        tmux.type("Explain connection pooling")
        tmux.press("Enter")
        // One warm-up request, then three answers held together: three connections.
        screen = tmux.wait(timeout: 20) { $0.contains("requests 4: 4 ok") && $0.components(separatedBy: "tok/s").count - 1 >= 3 }
        XCTAssertEqual(screen.components(separatedBy: "tok/s").count - 1, 3, "not every pane finished:\n\(screen)")
        XCTAssertTrue(screen.contains("requests 4: 4 ok"), "the panel does not count the round:\n\(screen)")
        // Every answer (the thinker's with its reasoning) is taller than its pane: the prompt
        // is above, in the focused pane's scroll-back.
        tmux.press("PPage", "PPage", "PPage")
        XCTAssertTrue(tmux.wait { $0.contains("Explain connection pooling") }.contains("Explain connection pooling"), screen)
        tmux.press("NPage", "NPage", "NPage")
        XCTAssertTrue(screen.contains("new 3"), "three concurrent answers should need three connections:\n\(screen)")

        // A second round goes over the same three connections: reuse climbs to 4 of 7.
        tmux.type("And why does reuse matter?")
        tmux.press("Enter")
        screen = tmux.wait(timeout: 20) { $0.contains("requests 7: 7 ok") }
        XCTAssertTrue(screen.contains("requests 7: 7 ok"), screen)
        XCTAssertTrue(screen.contains("reuse 57% new 3"), "no connection reuse on the second round:\n\(screen)")

        // Resize: everything re-laid out, nothing lost.
        tmux.resize(width: 100, height: 30)
        // (At 100 columns a title gives up its provider before its state: `1 sim-fast:…`.)
        screen = tmux.wait { $0.contains("1 sim-fast") && $0.contains("ALL 3 panes") && $0.split(separator: "\n").count <= 30 }
        XCTAssertTrue(screen.contains("1 sim-fast") && screen.contains("ALL 3 panes"), screen)

        // Switch theme.
        tmux.press("C-t")
        screen = tmux.wait { $0.contains("theme:") }
        XCTAssertTrue(screen.contains("theme:"), screen)

        // Quit and get a usable shell back.
        tmux.press("C-q")
        screen = tmux.wait { $0.contains("TIDEPOOL-EXITED") }
        XCTAssertTrue(screen.contains("TIDEPOOL-EXITED-0"), screen)
        XCTAssertTrue(screen.contains("MODE:icanon"), "the terminal was left in raw mode:\n\(screen)")
    }

    /// The panel shows the server's own numbers under its pool once a chat went to it: the
    /// embedded simulator answers Ollama's `/api/ps` (its models, wholly in VRAM) and 501 on
    /// llama-server's slot endpoints (it has no slots unless `tidepool sim --slots N`).
    func testThePanelShowsTheServersOwnNumbers() throws {
        let tmux = try session("-m sim:sim-fast:instant")
        defer { tmux.stop() }
        var screen = tmux.wait { $0.contains("requests 1: 1 ok") }
        XCTAssertTrue(screen.contains(" act "), "the connection gauge names its numbers:\n\(screen)")
        XCTAssertFalse(screen.contains("models "), "polled before any chat:\n\(screen)")
        tmux.type("Where does the time go?")
        tmux.press("Enter")
        screen = tmux.wait(timeout: 20) { $0.contains("requests 2: 2 ok") && $0.contains("models ") }
        XCTAssertTrue(screen.contains("queued here 0"), screen)
        XCTAssertTrue(screen.contains("VRAM"), "the simulator's /api/ps, read through the pool:\n\(screen)")
        XCTAssertTrue(screen.contains("requests 2: 2 ok"), "monitoring polls are not the user's requests:\n\(screen)")
        XCTAssertTrue(screen.contains("last 60s"), screen)
        tmux.press("C-q")
        screen = tmux.wait { $0.contains("TIDEPOOL-EXITED") }
        XCTAssertTrue(screen.contains("TIDEPOOL-EXITED-0"), screen)
    }

    /// With one connection allowed, a broadcast to two panes leaves one request in the pool's
    /// queue: its pane says so (the pool tells when a request waits and when it is admitted),
    /// then answers once the first is done. The first answer takes over two seconds
    /// (`sim-steady`: 140 tokens at 60/s), so the queued state lasts long enough to be seen.
    func testAPaneWaitingInThePoolSaysQueued() throws {
        let config = home.appendingPathComponent("config/tidepool")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try "[pool]\nmax_connections = 1\n".write(
            to: config.appendingPathComponent("config.toml"), atomically: true, encoding: .utf8)
        let tmux = try session("-m sim:sim-steady -m sim-ollama:sim-steady --broadcast")
        defer { tmux.stop() }
        var screen = tmux.wait { $0.contains("requests 1: 1 ok") }
        tmux.type("How do tides work?")
        tmux.press("Enter")
        // The pane hears it from the pool at once; the panel with its next refresh and the
        // server's first reading (both within a second, while the first answer takes two).
        screen = tmux.wait(timeout: 20) { $0.contains("◌ queued") && $0.contains("queued here 1") }
        XCTAssertTrue(screen.contains("◌ queued"), "no pane said queued:\n\(screen)")
        XCTAssertTrue(screen.contains("waiting for a free connection"), screen)
        XCTAssertTrue(screen.contains("queued here 1"), screen)
        screen = tmux.wait(timeout: 30) { $0.contains("requests 3: 3 ok") && !$0.contains("◌ queued") }
        XCTAssertTrue(screen.contains("requests 3: 3 ok"), "the queued pane never got its answer:\n\(screen)")
        XCTAssertFalse(screen.contains("◌ queued"), screen)
    }

    func testAServerThatIsDownFailsInItsOwnPane() throws {
        let tmux = try session("-m sim:sim-fast:instant -m ollama:qwen3:4b --broadcast")
        defer { tmux.stop() }
        tmux.wait { $0.contains("ollama:qwen3:4b") }
        tmux.type("hello")
        tmux.press("Enter")
        let screen = tmux.wait(timeout: 20) { $0.contains("is Ollama running?") && $0.contains("tok/s") }
        XCTAssertTrue(screen.contains("no server at 127.0.0.1:11434; is Ollama running?"),
                      "no actionable error in the Ollama pane:\n\(screen)")
        XCTAssertTrue(screen.contains("tok/s"), "the healthy pane did not finish:\n\(screen)")
        tmux.press("C-q")
        XCTAssertTrue(tmux.wait { $0.contains("TIDEPOOL-EXITED") }.contains("TIDEPOOL-EXITED-0"))
    }

    func testSIGTERMAndCtrlCRestoreTheTerminal() throws {
        let marker = "e2e-\(UUID().uuidString.prefix(8))"
        let tmux = try session("-m sim:sim-fast:instant --system \(marker)")
        defer { tmux.stop() }
        tmux.wait { $0.contains("sim:sim-fast") }
        // Only the tidepool process itself: tmux's and the shell's command lines carry the
        // marker too.
        let pids = try FileManager.default.contentsOfDirectory(atPath: "/proc").compactMap(Int32.init).filter { pid in
            let comm = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? ""
            let command = (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)) ?? ""
            return comm.hasPrefix("tidepool") && command.contains(marker)
        }
        XCTAssertEqual(pids.count, 1, "expected one tidepool process with the marker")
        for pid in pids { Glibc.kill(pid, SIGTERM) }
        var screen = tmux.wait { $0.contains("TIDEPOOL-EXITED") }
        XCTAssertTrue(screen.contains("TIDEPOOL-EXITED-0"), screen)
        XCTAssertTrue(screen.contains("MODE:icanon"), "SIGTERM left the terminal in raw mode:\n\(screen)")

        let again = try session("-m sim:sim-fast:instant")
        defer { again.stop() }
        again.wait { $0.contains("sim:sim-fast") }
        again.press("C-c")
        screen = again.wait { $0.contains("TIDEPOOL-EXITED") }
        XCTAssertTrue(screen.contains("TIDEPOOL-EXITED-0"), screen)
        XCTAssertTrue(screen.contains("MODE:icanon"), "Ctrl-C left the terminal in raw mode:\n\(screen)")
    }

    func testRenameAndSearchTheHistoryFromTheScreen() throws {
        let tmux = try session("-m sim:sim-fast:instant")
        defer { tmux.stop() }
        tmux.wait { $0.contains("sim:sim-fast") }
        tmux.type("Tell me about tidal bores")
        tmux.press("Enter")
        tmux.wait(timeout: 20) { $0.contains("tok/s") }
        tmux.press("M-t")
        tmux.wait { $0.contains("rename this session") }
        tmux.type("Estuary notes")
        tmux.press("Enter")
        var screen = tmux.wait { $0.contains("is now") }
        XCTAssertTrue(screen.contains("is now “Estuary notes”"), screen)
        tmux.press("M-h")
        tmux.wait { $0.contains("search history") }
        tmux.type("tidal")
        tmux.press("Enter")
        screen = tmux.wait { $0.contains("History: tidal") }
        XCTAssertTrue(screen.contains("History: tidal"), screen)
        XCTAssertTrue(screen.contains("Estuary notes"), "the renamed session was not found:\n\(screen)")
        tmux.press("Escape")
        screen = tmux.wait { !$0.contains("History: tidal") }
        XCTAssertFalse(screen.contains("History: tidal"), screen)
        tmux.press("C-q")
        XCTAssertTrue(tmux.wait { $0.contains("TIDEPOOL-EXITED") }.contains("TIDEPOOL-EXITED-0"))
    }

    /// Issue 8 defect 6: Alt-E runs `$EDITOR` in the terminal's foreground process group, so an
    /// editor that reads the terminal works (in its own group its reads failed with EIO and it
    /// exited at once), and what it saves becomes the draft.
    func testAltEOpensAnEditorThatReadsTheTerminal() throws {
        let vim = "/usr/bin/vim.tiny"
        guard FileManager.default.isExecutableFile(atPath: vim) else {
            throw XCTSkip("vim-tiny is not installed (./setup.sh test installs it)")
        }
        let tmux = try session("-m sim:sim-fast:instant --no-history", editor: "\(vim) -u NONE -N -n")
        defer { tmux.stop() }
        tmux.wait { $0.contains("sim:sim-fast") }
        tmux.type("first words")
        tmux.press("M-e")
        var screen = tmux.wait { $0.contains("tidepool-draft") && !$0.contains("Ctrl-B") }
        XCTAssertTrue(screen.contains("first words"), "the editor shows the draft:\n\(screen)")
        tmux.press("A")
        tmux.type(" and more")
        tmux.press("Escape")
        tmux.type(":wq")
        tmux.press("Enter")
        screen = tmux.wait { $0.contains("draft taken from") }
        XCTAssertTrue(screen.contains("first words and more"), screen)
        XCTAssertFalse(screen.contains("exited with status"), screen)
        tmux.press("C-q")
        screen = tmux.wait { $0.contains("TIDEPOOL-EXITED") }
        XCTAssertTrue(screen.contains("TIDEPOOL-EXITED-0"), screen)
        XCTAssertTrue(screen.contains("MODE:icanon"), screen)
    }
}
