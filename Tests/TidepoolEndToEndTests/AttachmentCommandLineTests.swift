import Foundation
import TidepoolStore
import XCTest

/// `@path` attachments through `ask` and `compare`: stored once by hash with the prompt, and a
/// file that cannot be attached fails the command with a message naming it.
final class AttachmentCommandLineTests: XCTestCase {
    private var cli: CLIRunner!

    override func setUpWithError() throws {
        cli = try CLIRunner()
    }

    override func tearDown() {
        cli.cleanUp()
    }

    func testAskAndCompareAttachAFileAndRefuseAMissingOne() throws {
        let file = cli.home + "/notes.txt"
        try "ebb and flood\n".write(toFile: file, atomically: true, encoding: .utf8)

        let ask = try cli.run(["ask", "sim:sim-instant", "Summarise @\(file)"])
        XCTAssertEqual(ask.status, 0, ask.stderr)
        let compare = try cli.run(["compare", "-m", "sim:sim-instant", "-m", "sim-ollama:sim-instant", "Compare @\(file)"])
        XCTAssertEqual(compare.status, 0, compare.stderr)

        let store = try HistoryStore(path: cli.historyDatabase)
        let prompts = try store.listSessions().flatMap { try store.loadSession($0.id).messages.filter { $0.role == .user } }
        XCTAssertEqual(Set(prompts.map(\.text)), ["Summarise @\(file)", "Compare @\(file)"])
        for prompt in prompts {
            XCTAssertEqual(prompt.attachments.map(\.name), [file])
            XCTAssertEqual(prompt.attachments.first?.hash, SHA256.hex("ebb and flood\n"))
        }

        let missing = try cli.run(["ask", "sim:sim-instant", "Read @\(cli.home)/gone.txt"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("@\(cli.home)/gone.txt: no such file"), missing.stderr)
        let big = cli.home + "/big.log"
        try String(repeating: "x", count: 300 * 1024).write(toFile: big, atomically: true, encoding: .utf8)
        let tooBig = try cli.run(["compare", "-m", "sim:sim-instant", "-m", "sim-ollama:sim-instant", "Read @\(big)"])
        XCTAssertEqual(tooBig.status, 1)
        XCTAssertTrue(tooBig.stderr.contains("is 300 KiB; one attachment may be at most 256 KiB"), tooBig.stderr)
    }
}
