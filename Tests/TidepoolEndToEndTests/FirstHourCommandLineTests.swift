import Foundation
import XCTest

/// Issue 12 items 12 and 14: what a new user reads from the command line: one error style,
/// the right usage, clean JSON, completions for the values they type, a sentence for a bad
/// `sim --host`, and `compare` reporting each model as it finishes (at a terminal only).
final class FirstHourCommandLineTests: XCTestCase {
    private var cli: CLIRunner!

    override func setUpWithError() throws {
        cli = try CLIRunner()
    }

    override func tearDown() {
        cli.cleanUp()
    }

    func testErrorsAreLowerCaseAndAnEmptyAskShowsAsksUsage() throws {
        let noModel = try cli.run(["compare", "hi"])
        XCTAssertEqual(noModel.status, 64)
        XCTAssertTrue(noModel.stderr.hasPrefix("error: give at least one model with -m PROVIDER:MODEL"), noModel.stderr)
        XCTAssertFalse(noModel.stderr.contains("Error:"), noModel.stderr)

        let badOption = try cli.run(["ask", "--no-such-option"])
        XCTAssertTrue(badOption.stderr.hasPrefix("error: "), badOption.stderr)

        // Standard input is empty (/dev/null): `ask`'s own usage, not the top-level one.
        let empty = try cli.run(["ask", "sim:sim-instant"])
        XCTAssertEqual(empty.status, 64)
        XCTAssertTrue(empty.stderr.hasPrefix("error: no prompt: give one after the model, or on standard input\n"), empty.stderr)
        XCTAssertTrue(empty.stderr.contains("Usage: tidepool ask "), empty.stderr)
        XCTAssertFalse(empty.stderr.contains("<subcommand>"), empty.stderr)
        XCTAssertEqual(empty.stdout, "")
    }

    func testHelpAskExamplesFitOneLineEach() throws {
        let help = try cli.run(["help", "ask"])
        XCTAssertEqual(help.status, 0, help.stderr)
        let lines = help.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let examples = lines.drop { !$0.contains("Examples:") }.dropFirst().prefix { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        XCTAssertGreaterThanOrEqual(examples.count, 3, help.stdout)
        for example in examples {
            XCTAssertTrue(example.trimmingCharacters(in: .whitespaces).hasPrefix("tidepool ask ")
                          || example.trimmingCharacters(in: .whitespaces).hasPrefix("echo "),
                          "an example continues on a second line: '\(example)'\n\(help.stdout)")
            XCTAssertLessThanOrEqual(example.count, 80, String(example))
        }
    }

    func testAskJSONRoundsSecondsAndWritesSlashesAsThey() throws {
        let ask = try cli.run(["ask", "--no-history", "--json", "sim:sim-fast", "hi"])
        XCTAssertEqual(ask.status, 0, ask.stderr)
        let timings = try XCTUnwrap(ask.stdout.split(separator: "\n").first { $0.contains("\"type\":\"timings\"") })
        XCTAssertTrue(timings.contains("\"http_version\":\"HTTP/1.1\""), String(timings))
        XCTAssertFalse(ask.stdout.contains("\\/"), ask.stdout)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(timings.utf8)) as? [String: Any])
        for (key, value) in object where key.hasSuffix("_s") {
            // The text of each figure: at most 6 digits after the point, no exponent.
            let pattern = "\"\(key)\":"
            let start = try XCTUnwrap(timings.range(of: pattern)).upperBound
            let text = timings[start...].prefix { $0 != "," && $0 != "}" }
            XCTAssertNil(text.firstIndex(of: "e"), "\(key) = \(text)")
            if let dot = text.firstIndex(of: ".") {
                XCTAssertLessThanOrEqual(text[text.index(after: dot)...].count, 6, "\(key) = \(text) (\(value))")
            }
        }
    }

    func testCompletionsCoverThemesFormatsAndProviders() throws {
        let bash = try cli.run(["--generate-completion-script", "bash"])
        XCTAssertEqual(bash.status, 0, bash.stderr)
        XCTAssertTrue(bash.stdout.contains("'md'") && bash.stdout.contains("'json'"), "no --format values")
        XCTAssertTrue(bash.stdout.contains("---completion chat -- --theme"), "--theme is not completed")
        XCTAssertTrue(bash.stdout.contains("---completion ask -- positional@0"), "ask's model is not completed")
        // Themes and providers are found when Tab is pressed: ask the binary as the script does.
        let themes = try cli.run(["---completion", "chat", "--", "--theme", "0", "0", ""])
        XCTAssertTrue(themes.stdout.contains("tidepool-dark") && themes.stdout.contains("nord"), themes.stdout + themes.stderr)
        try cli.writeConfig("""
            [providers.lab]
            kind = "openai"
            base_url = "http://127.0.0.1:9/v1"
            """)
        let providers = try cli.run(["---completion", "ask", "--", "positional@0", "0", "0", ""])
        for name in ["ollama:", "vllm:", "openrouter:", "sim-anthropic:", "lab:"] {
            XCTAssertTrue(providers.stdout.contains(name), "\(name) missing: \(providers.stdout + providers.stderr)")
        }
    }

    func testSimWithAnAddressOfAnotherMachineSaysSoInASentence() throws {
        let sim = try cli.run(["sim", "--host", "192.0.2.1", "--port", "0"])
        XCTAssertEqual(sim.status, 1)
        XCTAssertEqual(sim.stderr, "error: tidepool sim: cannot listen on 192.0.2.1:0: 192.0.2.1 is not an address of "
                       + "this machine; use 127.0.0.1 or ::1 (the simulator is for this machine)\n")
    }

    func testCompareReportsEachModelAtATerminalAndNothingExtraWhenPiped() throws {
        let arguments = ["compare", "--no-history", "-m", "sim:sim-instant", "-m", "sim:fault-500", "hi"]
        let piped = try cli.run(arguments)
        XCTAssertEqual(piped.status, 0, piped.stderr)
        XCTAssertFalse(piped.stdout.contains("[1/2]") || piped.stderr.contains("[1/2]"), piped.stdout + piped.stderr)
        XCTAssertTrue(piped.stdout.hasPrefix("model "), piped.stdout)

        let shown = try cli.runOnTerminal(arguments)
        XCTAssertEqual(shown.status, 0)
        let text = String(decoding: shown.output, as: UTF8.self)
        XCTAssertTrue(text.contains("] sim:sim-instant done"), text)
        XCTAssertTrue(text.contains("] sim:fault-500 failed: "), text)
        XCTAssertTrue(text.contains("[1/2]") && text.contains("[2/2]"), text)
        let table = try XCTUnwrap(text.range(of: "model "))
        XCTAssertLessThan(try XCTUnwrap(text.range(of: "[2/2]")).lowerBound, table.lowerBound,
                          "every progress line comes before the table")
    }
}
