import Foundation
import TestSupport
import TidepoolBench
import XCTest

/// `--metrics-listen` for real: the chat screen in tmux and `tidepool compare`, scraped with
/// curl, read back by Python's `prometheus_client` parser.
final class MetricsEndToEndTests: XCTestCase {
    private var home: URL!

    override func setUpWithError() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("tidepool-metrics-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: home)
    }

    private func session(_ arguments: String) throws -> TmuxSession {
        try TmuxSession.tidepool(arguments, home: home.path)
    }

    /// A port nothing listens on now (the kernel's pick, released at once).
    private func freePort() throws -> Int {
        let (descriptor, port) = try LoopbackListener.open()
        close(descriptor)
        return port
    }

    /// `curl -s -i http://127.0.0.1:PORT/PATH`: the status line, the headers and the body, or
    /// nil when nothing answered.
    private func curl(_ port: Int, _ path: String = "/metrics") throws -> (head: String, body: [UInt8])? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["curl", "-s", "-i", "--max-time", "5", "http://127.0.0.1:\(port)\(path)"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let bytes = [UInt8](data)
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let split = (0..<max(0, bytes.count - 3)).first(where: { Array(bytes[$0..<$0 + 4]) == separator }) else {
            return (String(decoding: bytes, as: UTF8.self), [])
        }
        return (String(decoding: bytes[..<split], as: UTF8.self), Array(bytes[(split + 4)...]))
    }

    func testTheChatServesItsPoolAndStopsServingWhenItQuits() throws {
        let port = try freePort()
        let tmux = try session("-m sim:sim-fast:instant --no-history --metrics-listen 127.0.0.1:\(port)")
        defer { tmux.stop() }
        // The warm-up request has finished: one request, one connection.
        var screen = tmux.wait { $0.contains("requests 1: 1 ok") }
        XCTAssertTrue(screen.contains("requests 1: 1 ok"), screen)
        tmux.type("How do tides work?")
        tmux.press("Enter")
        screen = tmux.wait(timeout: 20) { $0.contains("requests 2: 2 ok") && $0.contains("tok/s") }
        XCTAssertTrue(screen.contains("requests 2: 2 ok"), screen)

        let answer = try XCTUnwrap(try curl(port), "nothing listened on 127.0.0.1:\(port)")
        XCTAssertTrue(answer.head.hasPrefix("HTTP/1.1 200"), answer.head)
        XCTAssertTrue(answer.head.lowercased().contains("content-type: text/plain; version=0.0.4; charset=utf-8"), answer.head)
        let parsed = try ParsedExposition(answer.body)
        let chats = parsed.matching("tidepool_pool_requests_total", ["purpose": "chat", "outcome": "ok"])
        XCTAssertEqual(chats.count, 1, "one origin (the embedded simulator) carried the chats")
        XCTAssertEqual(chats.first?.value, 2, "the warm-up and the answer")
        let simPort = try XCTUnwrap(chats.first?.labels["server_port"])
        XCTAssertEqual(parsed.sum("tidepool_pool_connections_opened_total", ["server_port": simPort, "purpose": "chat"]), 1)
        XCTAssertEqual(parsed.sum("gen_ai_client_operation_duration_seconds_count", [
            "server_port": simPort, "gen_ai_provider_name": "sim", "gen_ai_request_model": "sim-fast:instant",
        ]), 1)
        XCTAssertEqual(try curl(port, "/")?.head.hasPrefix("HTTP/1.1 404"), true)

        // The pool's count can lead the pane's state: quit once the pane says done (while
        // streaming, Ctrl-Q asks first).
        screen = tmux.wait(timeout: 20) { $0.contains("✓ done") }
        XCTAssertTrue(screen.contains("✓ done"), screen)
        tmux.press("C-q")
        screen = tmux.wait { $0.contains("TIDEPOOL-EXITED") }
        XCTAssertTrue(screen.contains("TIDEPOOL-EXITED-0"), screen)
        XCTAssertNil(try curl(port), "the endpoint outlived the chat")
    }

    /// A plain `tidepool` (no config, no `-m`: the embedded simulator's panes) shows the
    /// simulator's own numbers in the panel and exports them: the embedded simulator has 4
    /// slots (overflow waits), which its `/slots` and `/props` tell the server monitor.
    func testThePlainChatExportsTheEmbeddedSimulatorsServerNumbers() throws {
        let port = try freePort()
        let tmux = try session("--no-history --metrics-listen 127.0.0.1:\(port)")
        defer { tmux.stop() }
        var screen = tmux.wait { $0.contains("Ask something") }
        XCTAssertTrue(screen.contains("Ask something"), screen)
        tmux.type("How do tides work?")
        tmux.press("Enter")
        screen = tmux.wait(timeout: 20) { $0.contains("/4 busy") }
        XCTAssertTrue(screen.contains("server slots"), "the panel shows no server slots:\n\(screen)")
        XCTAssertTrue(screen.contains("/4 busy"), screen)

        // The reading reaches /metrics once the monitor has polled (at most once a second).
        var body: [UInt8] = []
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            body = try XCTUnwrap(try curl(port), "nothing listened on 127.0.0.1:\(port)").body
            if String(decoding: body, as: UTF8.self).contains("tidepool_server_slots_total{") { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        let parsed = try ParsedExposition(body)
        let slots = parsed.matching("tidepool_server_slots_total")
        XCTAssertEqual(slots.count, 1, "one server (the embedded simulator) told its slots")
        XCTAssertEqual(slots.first?.value, 4)
        let simPort = try XCTUnwrap(slots.first?.labels["server_port"])
        XCTAssertEqual(slots.first?.labels["pool"], "http://127.0.0.1:\(simPort)")
        let running = parsed.matching("tidepool_server_requests_running", ["server_port": simPort])
        XCTAssertEqual(running.count, 1, "the simulator's /slots says how many are busy")
        XCTAssertTrue((0...4).contains(running.first?.value ?? -1), "\(running)")
        XCTAssertGreaterThan(parsed.sum("tidepool_pool_requests_total", ["server_port": simPort, "purpose": "chat"]), 0)
        XCTAssertGreaterThan(parsed.sum("tidepool_pool_requests_total", ["server_port": simPort, "purpose": "monitor"]), 0,
                             "the readings came from the monitor's polls")

        // Quit once the answer is complete (while streaming, Ctrl-Q asks first).
        screen = tmux.wait(timeout: 20) { $0.contains("✓ done") }
        XCTAssertTrue(screen.contains("✓ done"), screen)
        tmux.press("C-q")
        XCTAssertTrue(tmux.wait { $0.contains("TIDEPOOL-EXITED") }.contains("TIDEPOOL-EXITED-0"))
    }

    func testAPortInUseIsShownAndTheChatStillWorks() throws {
        let (taken, port) = try LoopbackListener.open()
        defer { close(taken) }
        let tmux = try session("-m sim:sim-fast:instant --no-history --metrics-listen 127.0.0.1:\(port)")
        defer { tmux.stop() }
        var screen = tmux.wait { $0.contains("already in use") }
        XCTAssertTrue(screen.contains("127.0.0.1:\(port) is already in use"), screen)
        tmux.type("Still there?")
        tmux.press("Enter")
        screen = tmux.wait(timeout: 20) { $0.contains("requests 2: 2 ok") }
        XCTAssertTrue(screen.contains("requests 2: 2 ok"), "the chat did not work without its endpoint:\n\(screen)")
        screen = tmux.wait(timeout: 20) { $0.contains("✓ done") }
        XCTAssertTrue(screen.contains("✓ done"), screen)
        tmux.press("C-q")
        XCTAssertTrue(tmux.wait { $0.contains("TIDEPOOL-EXITED") }.contains("TIDEPOOL-EXITED-0"))
    }

    func testCompareWarnsAboutAPortInUseAndStillAnswers() throws {
        var runner = try CLIRunner()
        defer { runner.cleanUp() }
        runner.environment = [:]
        let (taken, port) = try LoopbackListener.open()
        defer { close(taken) }
        let result = try runner.run([
            "compare", "--no-history", "--metrics-listen", "127.0.0.1:\(port)", "-m", "sim:sim-fast:instant", "Hello",
        ])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("warning: metrics: 127.0.0.1:\(port) is already in use"), result.stderr)
        XCTAssertTrue(result.stdout.contains("done"), result.stdout)
    }

    func testARemoteAddressNeedsConsentOnTheCommandLine() throws {
        let runner = try CLIRunner()
        defer { runner.cleanUp() }
        let result = try runner.run(["compare", "--metrics-listen", "0.0.0.0:9464", "-m", "sim:sim-fast:instant", "Hello"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("--metrics-allow-remote"), result.stderr)
    }
}
