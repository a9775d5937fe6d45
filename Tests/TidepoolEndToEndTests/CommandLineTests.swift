import Foundation
import TidepoolSim
import TidepoolStore
import XCTest

/// The `tidepool` binary driven as a user would: compare, history, config and ask against the
/// built-in simulator, with every file in a temporary home.
final class CommandLineTests: XCTestCase {
    private var cli: CLIRunner!

    override func setUpWithError() throws {
        cli = try CLIRunner()
    }

    override func tearDown() {
        cli.cleanUp()
    }

    private let models = ["sim:sim-instant", "sim-ollama:sim-instant", "sim-anthropic:sim-instant"]

    func testCompareThreeModelsPrintsTheTableAndAnswersAndStoresABroadcast() throws {
        let result = try cli.run(["compare"] + models.flatMap { ["-m", $0] } + ["Tell me about zanzibar tides"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(lines.first?.split(separator: " ").map(String.init), ["model", "ttft", "tok/s", "total", "tokens", "status"])
        for (index, model) in models.enumerated() {
            let row = lines[index + 1].split(separator: " ").map(String.init)
            XCTAssertEqual(row.first, model)
            XCTAssertEqual(row.last, "done")
            XCTAssertTrue(result.stdout.contains("\n### \(model)\n"), "answer heading for \(model)")
        }

        let list = try cli.run(["history", "list"])
        XCTAssertEqual(list.status, 0, list.stderr)
        XCTAssertTrue(list.stdout.contains(models.joined(separator: ", ")), list.stdout)
        XCTAssertTrue(list.stdout.contains("4 messages"), "one prompt and three answers: \(list.stdout)")
        let id = try XCTUnwrap(list.stdout.split(separator: "\t").first.map(String.init))

        let markdown = try cli.run(["history", "export", id, "--format", "md"])
        XCTAssertEqual(markdown.status, 0, markdown.stderr)
        XCTAssertEqual(markdown.stdout.components(separatedBy: "\n## You\n").count - 1, 1, "one shared prompt")
        for model in models {
            let section = try XCTUnwrap(markdown.stdout.components(separatedBy: "### \(model)\n").dropFirst().first)
            let body = section.components(separatedBy: "\n### ").first ?? section
            XCTAssertTrue(body.contains("tok/s") && body.contains("ttft "), "timings under \(model): \(body)")
        }

        let search = try cli.run(["history", "search", "zanzi"])
        XCTAssertEqual(search.status, 0, search.stderr)
        XCTAssertTrue(search.stdout.contains("[zanzibar]"), search.stdout)
        let none = try cli.run(["history", "search", "qwertyuiop"])
        XCTAssertTrue(none.stdout.contains("no messages match"), none.stdout)
    }

    func testCompareJSONParsesAndAFailureStaysInItsRow() throws {
        let result = try cli.run(["compare", "-m", "sim:sim-instant", "-m", "sim-ollama:fault-500", "--json", "hello"])
        XCTAssertEqual(result.status, 0, "one model answered: \(result.stderr)")
        let document = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(document["prompt"] as? String, "hello")
        XCTAssertNotNil(document["session_id"] as? Int)
        let results = try XCTUnwrap(document["results"] as? [[String: Any]])
        XCTAssertEqual(results.map { $0["model"] as? String }, ["sim:sim-instant", "sim-ollama:fault-500"])
        XCTAssertEqual(results.map { $0["status"] as? String }, ["done", "error"])
        XCTAssertFalse((results[0]["text"] as? String ?? "").isEmpty)
        XCTAssertNotNil((results[0]["timings"] as? [String: Any])?["ttft_s"])
        XCTAssertTrue((results[1]["error"] as? String ?? "").contains("500"), "\(results[1])")

        let allFailed = try cli.run(["compare", "-m", "sim:fault-500", "-m", "sim-anthropic:fault-429", "--no-history", "x"])
        XCTAssertEqual(allFailed.status, 1)
        XCTAssertTrue(allFailed.stdout.contains("sim:fault-500"), allFailed.stdout)
    }

    func testConfigInitThenCheckIsClean() throws {
        let initialised = try cli.run(["config", "init"])
        XCTAssertEqual(initialised.status, 0, initialised.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: cli.configFile))
        let check = try cli.run(["config", "check"])
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
        XCTAssertEqual(check.stdout, "OK: \(cli.configFile)\n")
        let again = try cli.run(["config", "init"])
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.stderr.contains("already exists; pass --force"), again.stderr)
        XCTAssertEqual(try cli.run(["config", "init", "--force"]).status, 0)
    }

    func testBrokenConfigNamesFileLineAndFix() throws {
        try cli.writeConfig("""
            theme = "tidepool-dark"
            [providers.lab]
            kind = "openai"
            base_ur = "http://127.0.0.1:9/v1"
            base_url = "http://127.0.0.1:9/v1"
            """)
        let check = try cli.run(["config", "check"])
        XCTAssertEqual(check.status, 1)
        XCTAssertEqual(
            check.stdout,
            "\(cli.configFile):4:1: error: unknown key 'base_ur' in [providers.lab]; did you mean 'base_url'?\n")
        // Commands that need the config refuse it with the same message.
        let compare = try cli.run(["compare", "-m", "sim:sim-instant", "hi"])
        XCTAssertEqual(compare.status, 1)
        XCTAssertTrue(compare.stderr.contains("\(cli.configFile):4:1: error: unknown key 'base_ur'"), compare.stderr)
    }

    func testAskPrintsAnAnswerAndVersionAndCompletionsWork() throws {
        let ask = try cli.run(["ask", "sim:sim-instant", "What is a pool?"])
        XCTAssertEqual(ask.status, 0, ask.stderr)
        XCTAssertGreaterThan(ask.stdout.split(separator: " ").count, 20, ask.stdout)
        let version = try cli.run(["--version"])
        XCTAssertEqual(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "0.1.0")
        let completion = try cli.run(["--generate-completion-script", "bash"])
        XCTAssertEqual(completion.status, 0)
        XCTAssertTrue(completion.stdout.contains("compare") && completion.stdout.contains("history"))
    }

    func testHistoryGivesClearMessagesForUnknownIdsAndADamagedDatabase() throws {
        let missing = try cli.run(["history", "show", "42"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.stderr, "error: no session with id 42 in the history\n")
        try FileManager.default.createDirectory(
            atPath: (cli.historyDatabase as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(String(repeating: "not a database ", count: 20).utf8).write(to: URL(fileURLWithPath: cli.historyDatabase))
        let list = try cli.run(["history", "list"])
        XCTAssertEqual(list.status, 1)
        XCTAssertTrue(list.stderr.contains("is damaged or not a database"), list.stderr)
        // The chat itself still works, with history off and said so.
        let compare = try cli.run(["compare", "-m", "sim:sim-instant", "still answering"])
        XCTAssertEqual(compare.status, 0, compare.stderr)
        XCTAssertTrue(compare.stderr.contains("history off: "), compare.stderr)
    }

    func testAPlantedAPIKeyIsInNoStoredByte() async throws {
        // A separate simulator on a port the config can name, so a provider with a key source
        // really sends the key.
        let server = SimServer(config: SimConfig())
        let port = try await server.start(host: "127.0.0.1", port: 0)
        defer { Task { await server.stop() } }
        let planted = ["sk-test-PLANTED123", "sk-test-PLANTED456"]
        cli.environment = ["OPENAI_API_KEY": planted[0], "LAB_KEY": planted[1]]
        try cli.writeConfig("""
            [providers.lab]
            kind = "openai"
            base_url = "http://127.0.0.1:\(port)/v1"
            api_key_env = "LAB_KEY"
            """)
        let compare = try cli.run(["compare", "--debug", "-m", "lab:sim-instant", "-m", "sim:sim-instant",
                                   "-m", "lab:fault-500", "keys stay secret"])
        XCTAssertEqual(compare.status, 0, compare.stderr)
        let list = try cli.run(["history", "list"])
        let id = try XCTUnwrap(list.stdout.split(separator: "\t").first.map(String.init))
        let markdown = try cli.run(["history", "export", id, "--format", "md"])
        let json = try cli.run(["history", "export", id, "--format", "json"])
        XCTAssertTrue(markdown.stdout.contains("### lab:sim-instant"), markdown.stdout)

        var stored: [(String, Data)] = [("stdout", Data((compare.stdout + compare.stderr).utf8)),
                                        ("markdown", Data(markdown.stdout.utf8)), ("json", Data(json.stdout.utf8))]
        let dataDirectory = (cli.historyDatabase as NSString).deletingLastPathComponent
        for name in try FileManager.default.contentsOfDirectory(atPath: dataDirectory) {
            stored.append((name, try Data(contentsOf: URL(fileURLWithPath: dataDirectory + "/" + name))))
        }
        let log = try Data(contentsOf: URL(fileURLWithPath: cli.logFile))
        XCTAssertTrue(String(decoding: log, as: UTF8.self).contains("request timings"), "--debug logs timings")
        stored.append(("log", log))
        XCTAssertGreaterThanOrEqual(stored.count, 5)
        for (name, bytes) in stored {
            for key in planted {
                XCTAssertNil(bytes.range(of: Data(key.utf8)), "\(key) found in \(name)")
                XCTAssertNil(bytes.range(of: Data("PLANTED".utf8)), "part of a key found in \(name)")
            }
        }
    }

    func testAKilledCompareKeepsThePromptAndTheTextSoFar() throws {
        // sim-steady streams for about two and a half seconds; the kill lands mid-stream.
        let process = try cli.start(["compare", "-m", "sim:sim-steady", "-m", "sim-ollama:sim-steady", "tidal bore"])
        // Kill as soon as a checkpoint of streamed text is on disk (about a second in), on
        // however slow a machine: that is mid-stream, well before the answers end.
        var watcher: HistoryStore?
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, process.isRunning {
            Thread.sleep(forTimeInterval: 0.05)
            // Open the watcher only once compare's own store has written the file (it is created
            // empty, 0600, before SQLite opens it): a watcher opening first would set up the
            // schema itself and race compare's recorder for it.
            let size = (try? FileManager.default.attributesOfItem(atPath: cli.historyDatabase)[.size] as? Int) ?? 0
            guard size > 0 else { continue }
            watcher = watcher ?? (try? HistoryStore(path: cli.historyDatabase))
            if let id = try? watcher?.lastSessionID(), let session = try? watcher?.loadSession(id),
               session.messages.contains(where: { $0.role == .assistant && !$0.text.isEmpty }) { break }
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal)
        let store = try HistoryStore(path: cli.historyDatabase)
        let id = try XCTUnwrap(store.lastSessionID())
        let session = try store.loadSession(id)
        XCTAssertEqual(session.messages.filter { $0.role == .user }.map(\.text), ["tidal bore"])
        let answers = session.messages.filter { $0.role == .assistant }
        XCTAssertEqual(answers.map(\.status), [.streaming, .streaming])
        XCTAssertTrue(answers.contains { !$0.text.isEmpty }, "text checkpointed about once a second survives the kill")
        // The cut answers are searchable (opening the history indexed them), each once.
        let cut = try XCTUnwrap(answers.first { !$0.text.isEmpty })
        let words = cut.text.split(whereSeparator: { (character: Character) in !character.isLetter })
        let word = try XCTUnwrap(words.max(by: { $0.count < $1.count }).map(String.init))
        let search = try cli.run(["history", "search", word])
        XCTAssertEqual(search.status, 0, search.stderr)
        let hits = search.stdout.split(separator: "\n").filter { $0.hasPrefix("session \(id) ") && !$0.contains(": tidal bore") }
        XCTAssertGreaterThanOrEqual(hits.count, 1, "the cut answer was not found: \(search.stdout)")
        XCTAssertLessThanOrEqual(hits.count, answers.count, "an answer was found twice: \(search.stdout)")
    }
}

/// Issue 12 item 1: the config accepts every built-in provider, and a bad `panes` entry does
/// not stop a command that names its model on the command line.
final class ConfigProvidersCommandLineTests: XCTestCase {
    private var cli: CLIRunner!

    override func setUpWithError() throws {
        cli = try CLIRunner()
    }

    override func tearDown() {
        cli.cleanUp()
    }

    func testREADMEProvidersAreAcceptedAndABadPaneDoesNotStopAsk() throws {
        try cli.writeConfig("""
            panes = ["sim:sim-fast", "vllm:x", "llamacpp:y", "openrouter:z", "sim-ollama:sim-steady"]
            """)
        let check = try cli.run(["config", "check"])
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
        XCTAssertEqual(check.stdout, "OK: \(cli.configFile)\n")

        try cli.writeConfig("""
            panes = ["ghost:model", "sim:sim-fast"]
            """)
        let ask = try cli.run(["ask", "--config", cli.configFile, "sim:sim-instant", "hi"])
        XCTAssertEqual(ask.status, 0, ask.stderr)
        XCTAssertFalse(ask.stdout.isEmpty)
        XCTAssertTrue(ask.stderr.contains("warning: pane 'ghost:model' names provider 'ghost'"), ask.stderr)
        let compare = try cli.run(["compare", "-m", "sim:sim-instant", "-m", "sim-ollama:sim-instant", "hi"])
        XCTAssertEqual(compare.status, 0, compare.stderr)
    }

    /// Issue 12 item 10: `config check` knows the themes the screen would load.
    func testConfigCheckRejectsAnUnknownThemeListingTheFoundOnes() throws {
        try cli.writeConfig("theme = \"no-such-theme\"\n")
        let check = try cli.run(["config", "check"])
        XCTAssertEqual(check.status, 1)
        XCTAssertTrue(check.stdout.hasPrefix("\(cli.configFile):1:1: error: unknown theme 'no-such-theme'; themes found: "), check.stdout)
        XCTAssertTrue(check.stdout.contains("tidepool-dark") && check.stdout.contains("tidepool-light"), check.stdout)
        try cli.writeConfig("theme = \"tidepool-light\"\n")
        XCTAssertEqual(try cli.run(["config", "check"]).status, 0)
    }

    /// Issue 8 defect 1: a NaN or infinite timeout is a clear error, not a trap.
    func testModelsRefusesANaNTimeout() throws {
        for value in ["nan", "inf", "1e300", "0"] {
            let models = try cli.run(["models", "--timeout", value])
            XCTAssertNotEqual(models.status, 0, value)
            XCTAssertTrue(models.stderr.contains("--timeout must be a number of seconds above 0 and at most 86400"), models.stderr)
        }
    }

    /// Issue 12 item 9: a mistyped command gets a suggestion, a bare session number says
    /// how to reopen it; neither starts anything.
    func testAMistypedCommandOrABareSessionNumberSaysWhatToType() throws {
        let typo = try cli.run(["askk", "sim:sim-instant", "hi"])
        XCTAssertEqual(typo.status, 64)
        XCTAssertEqual(typo.stderr, "error: unknown command 'askk'; did you mean 'ask'?\n")
        XCTAssertEqual(typo.stdout, "")

        let number = try cli.run(["1"])
        XCTAssertEqual(number.status, 64)
        XCTAssertEqual(number.stderr, "error: to reopen session 1, use `tidepool --resume 1`\n")

        let unknown = try cli.run(["zzzzzz"])
        XCTAssertEqual(unknown.status, 64)
        XCTAssertTrue(unknown.stderr.hasPrefix("error: unknown command 'zzzzzz'; the commands are: chat, ask, compare"),
                      unknown.stderr)
    }
}
