import Foundation
import TestSupport
import TidepoolStore
import XCTest

/// What `tidepool` prints outside the chat screen: model and server text is sanitised when
/// the output is a terminal (a pty here) and passed on byte for byte when it is piped; and
/// `ask` keeps every question and answer in the history unless told not to.
final class CommandLineOutputTests: XCTestCase {
    private var cli: CLIRunner!

    override func setUpWithError() throws {
        cli = try CLIRunner()
    }

    override func tearDown() {
        cli.cleanUp()
    }

    /// Bytes a terminal would obey: ESC, BEL, 8-bit CSI/OSC/DCS/ST (as UTF-8 C1 scalars).
    private func assertNothingATerminalWouldObey(_ bytes: [UInt8], _ what: String,
                                                  file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(bytes.contains(0x1B), "ESC reached the terminal from \(what)", file: file, line: line)
        XCTAssertFalse(bytes.contains(0x07), "BEL reached the terminal from \(what)", file: file, line: line)
        let text = String(decoding: bytes, as: UTF8.self)
        XCTAssertFalse(text.unicodeScalars.contains { (0x80...0x9F).contains($0.value) },
                       "a C1 control reached the terminal from \(what)", file: file, line: line)
    }

    // MARK: ask records

    func testAskStoresThePromptAndTheAnswerUnlessToldNotTo() throws {
        let ask = try cli.run(["ask", "sim:sim-instant", "remember the tide tables"])
        XCTAssertEqual(ask.status, 0, ask.stderr)
        let store = try HistoryStore(path: cli.historyDatabase)
        let id = try XCTUnwrap(store.lastSessionID(), "ask created a session")
        let session = try store.loadSession(id)
        XCTAssertEqual(session.panes.map { "\($0.provider):\($0.model)" }, ["sim:sim-instant"])
        XCTAssertEqual(session.messages.filter { $0.role == .user }.map(\.text), ["remember the tide tables"])
        let answers = session.messages.filter { $0.role == .assistant }
        XCTAssertEqual(answers.map(\.status), [.complete])
        XCTAssertFalse(answers[0].text.isEmpty)
        XCTAssertEqual(ask.stdout.trimmingCharacters(in: .newlines), answers[0].text.trimmingCharacters(in: .newlines),
                       "the stored answer is what was printed")

        let quiet = try cli.run(["ask", "--no-history", "sim:sim-instant", "forget this one"])
        XCTAssertEqual(quiet.status, 0, quiet.stderr)
        XCTAssertEqual(try store.listSessions().count, 1, "--no-history adds no session")
        XCTAssertEqual(try store.search("forget"), [], "nor any message")
    }

    func testAFailedAskIsStoredAsAnErrorWithItsPrompt() throws {
        let ask = try cli.run(["ask", "sim:fault-500", "will this fail?"])
        XCTAssertEqual(ask.status, 1)
        XCTAssertTrue(ask.stderr.contains("error: "), ask.stderr)
        let store = try HistoryStore(path: cli.historyDatabase)
        let session = try store.loadSession(try XCTUnwrap(store.lastSessionID()))
        XCTAssertEqual(session.messages.filter { $0.role == .user }.map(\.text), ["will this fail?"])
        XCTAssertEqual(session.messages.filter { $0.role == .assistant }.map(\.status), [.error])
    }

    // MARK: sanitising

    func testAskSanitisesATerminalAndKeepsExactBytesInAPipe() throws {
        let server = try HostileHTTPServer()
        defer { server.stop() }
        let arguments = ["ask", "--no-history", "openai-compatible:hostile", "--base-url",
                         server.baseURL(.escapeSequences), "hi"]
        let piped = try cli.run(arguments)
        XCTAssertEqual(piped.status, 0, piped.stderr)
        XCTAssertEqual(piped.stdout, HostileHTTPServer.escapeText + "\n", "exact bytes when piped")

        let shown = try cli.runOnTerminal(arguments)
        XCTAssertEqual(shown.status, 0)
        assertNothingATerminalWouldObey(shown.output, "ask")
        XCTAssertTrue(String(decoding: shown.output, as: UTF8.self).contains("beforeredafter"),
                      String(decoding: shown.output, as: UTF8.self).debugDescription)

        // Controls are shown as pictures, C1 dropped.
        let controls = try cli.runOnTerminal(["ask", "--no-history", "openai-compatible:hostile", "--base-url",
                                              server.baseURL(.controls), "hi"])
        assertNothingATerminalWouldObey(controls.output, "ask (controls)")
        XCTAssertTrue(String(decoding: controls.output, as: UTF8.self).contains("nul\u{2400}bel\u{2407}"))
    }

    func testCompareSanitisesATerminalAndKeepsExactBytesInAPipe() throws {
        let server = try HostileHTTPServer()
        defer { server.stop() }
        try cli.writeConfig("""
            [providers.hostile]
            kind = "openai"
            base_url = "\(server.baseURL(.escapeSequences))"
            """)
        let arguments = ["compare", "--no-history", "-m", "hostile:x", "-m", "sim:sim-instant", "hi"]
        let piped = try cli.run(arguments)
        XCTAssertEqual(piped.status, 0, piped.stderr)
        XCTAssertTrue(piped.stdout.contains(HostileHTTPServer.escapeText), piped.stdout.debugDescription)

        let shown = try cli.runOnTerminal(arguments)
        XCTAssertEqual(shown.status, 0)
        assertNothingATerminalWouldObey(shown.output, "compare")
        XCTAssertTrue(String(decoding: shown.output, as: UTF8.self).contains("beforeredafter"))
    }

    func testHistoryCommandsSanitiseATerminalAndKeepExactBytesInAPipe() throws {
        let title = "tides\u{1B}]0;owned\u{7}"
        let prompt = "zanzibar question \u{1B}]52;c;cHduZWQ=\u{7}"
        let answer = "zanzibar answer \u{1B}[2J\u{1B}[31mred\u{1B}[0m \u{9B}31m"
        let id: Int64
        do {
            let store = try HistoryStore(path: cli.historyDatabase)
            id = try store.createSession(title: title)
            let pane = try store.addPane(sessionID: id, position: 0, provider: "sim", model: "sim\u{1B}[8mhidden")
            let promptID = try store.recordUserMessage(sessionID: id, text: prompt, paneID: pane)
            let answerID = try store.beginAssistantMessage(
                sessionID: id, paneID: pane, provider: "sim", model: "sim\u{1B}[8mhidden", replyTo: promptID)
            try store.completeAssistantMessage(answerID, text: answer, reasoning: nil)
        }
        let commands: [[String]] = [
            ["history", "list"], ["history", "search", "zanzibar"], ["history", "show", "\(id)"],
            ["history", "export", "\(id)", "--format", "md"], ["history", "export", "\(id)", "--format", "json"],
        ]
        for command in commands {
            let shown = try cli.runOnTerminal(command)
            XCTAssertEqual(shown.status, 0, command.joined(separator: " "))
            assertNothingATerminalWouldObey(shown.output, command.joined(separator: " "))
            XCTAssertTrue(String(decoding: shown.output, as: UTF8.self).contains(command == commands[0] ? "tides" : "zanzibar"),
                          command.joined(separator: " "))
        }
        // Piped, the stored bytes come out as they are.
        XCTAssertTrue(try cli.run(["history", "list"]).stdout.contains(title))
        let markdown = try cli.run(["history", "show", "\(id)"]).stdout
        XCTAssertTrue(markdown.contains(prompt) && markdown.contains(answer), markdown.debugDescription)
    }
}
