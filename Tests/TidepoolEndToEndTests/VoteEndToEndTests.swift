import Foundation
import TestSupport
import XCTest

/// Compare, vote, rank (issue 13) as a user does it: `compare --winner`, `tidepool rank`, and
/// the vote keys driven in tmux, all on the built-in simulator in a temporary home.
final class VoteEndToEndTests: XCTestCase {
    private var cli: CLIRunner!

    override func setUpWithError() throws {
        cli = try CLIRunner()
    }

    override func tearDown() {
        cli.cleanUp()
    }

    func testRankOnAnEmptyHistorySaysHowToVote() throws {
        let empty = try cli.run(["rank"])
        XCTAssertEqual(empty.status, 0, empty.stderr)
        XCTAssertTrue(empty.stdout.hasPrefix("No votes yet"), empty.stdout)
        XCTAssertTrue(empty.stdout.contains("Alt-V"), empty.stdout)
        for bad in ["2026-13-01", "yesterday", "2026-02-30", "2026-1-5"] {
            let result = try cli.run(["rank", "--since", bad])
            XCTAssertEqual(result.status, 64, "\(bad): \(result.stdout)")
            XCTAssertEqual(result.stderr, "error: --since wants a day as YYYY-MM-DD (for example 2026-11-01), not '\(bad)'\n")
        }
    }

    func testCompareRecordsVotesAndRankRanksThem() throws {
        let a = "sim:sim-instant", b = "sim-ollama:sim-instant", c = "sim-anthropic:sim-instant"
        let notCompared = try cli.run(["compare", "-m", a, "-m", b, "--winner", c, "hi"])
        XCTAssertEqual(notCompared.status, 64)
        XCTAssertEqual(notCompared.stderr, "error: --winner \(c) is not one of the compared models (\(a), \(b))\n")
        let two = try cli.run(["compare", "-m", a, "-m", b, "--tie", "--all-bad", "hi"])
        XCTAssertNotEqual(two.status, 0)
        XCTAssertTrue(two.stderr.contains("give one vote"), two.stderr)

        // a beats b and c; then a tie of all three; then all bad (stored, not rated).
        let first = try cli.run(["compare", "-m", a, "-m", b, "-m", c, "--winner", a, "--note", "clearest", "one"])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.hasSuffix("vote stored: best: \(a)\n"), first.stdout)
        let tie = try cli.run(["compare", "-m", a, "-m", b, "-m", c, "--tie", "--json", "two"])
        XCTAssertEqual(tie.status, 0, tie.stderr)
        let tieDocument = try JSONSerialization.jsonObject(with: Data(tie.stdout.utf8)) as? [String: Any]
        XCTAssertEqual((tieDocument?["vote"] as? [String: Any])?["kind"] as? String, "tie", tie.stdout)
        XCTAssertEqual(try cli.run(["compare", "-m", a, "-m", b, "--all-bad", "three"]).status, 0)

        let table = try cli.run(["rank"])
        XCTAssertEqual(table.status, 0, table.stderr)
        let lines = table.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "3 votes (1 tie, 1 all bad, not rated)")
        let header = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("#  model") }, table.stdout)
        // a: 2 wins, 2 ties (2.5 + ... of 4) first; b and c: 1 loss, 2 ties each.
        XCTAssertTrue(lines[header + 1].contains(a), table.stdout)
        let aRow = lines[header + 1].split(separator: " ").map(String.init)
        XCTAssertEqual(Array(aRow[2...4]), ["2", "0", "2"], table.stdout)
        XCTAssertEqual(aRow.last, "3", "a answered in all three voted broadcasts")
        XCTAssertTrue(table.stdout.contains("75% ("), "a: (2 + 2/2) / 4:\n\(table.stdout)")
        XCTAssertTrue(table.stdout.contains("Bradley-Terry"), table.stdout)

        let json = try cli.run(["rank", "--json", "--since", "2000-01-01"])
        XCTAssertEqual(json.status, 0, json.stderr)
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(document["votes"] as? Int, 3)
        XCTAssertEqual(document["since"] as? String, "2000-01-01")
        let models = try XCTUnwrap(document["models"] as? [[String: Any]])
        XCTAssertEqual(Set(models.compactMap { $0["model"] as? String }), [a, b, c])
        XCTAssertEqual(models.first?["model"] as? String, a)
        XCTAssertEqual(models.first?["wins"] as? Int, 2)
        XCTAssertEqual(models.first?["all_bad"] as? Int, 1)
        XCTAssertNotNil(models.first?["rating"] as? Double)
        XCTAssertNotNil(models.first?["median_ttft"] as? Double)
        XCTAssertTrue(!json.stdout.contains("00000000"), "rounded figures:\n\(json.stdout)")
        let future = try cli.run(["rank", "--since", "2999-01-01"])
        XCTAssertTrue(future.stdout.hasPrefix("No votes since 2999-01-01"), future.stdout)

        // The vote is in the session's export too.
        let list = try cli.run(["history", "list"])
        let id = try XCTUnwrap(list.stdout.split(separator: "\n").last?.split(separator: "\t").first.map(String.init))
        let markdown = try cli.run(["history", "export", id, "--format", "md"])
        XCTAssertTrue(markdown.stdout.contains("**Vote:** best: \(a) — “clearest”"), markdown.stdout)
    }

    // MARK: tmux

    private func session(_ arguments: String) throws -> TmuxSession {
        try TmuxSession.tidepool(arguments, home: cli.home)
    }

    func testVoteKeysInTheChatScreen() throws {
        let tmux = try session("-m sim:sim-fast:instant -m sim-ollama:sim-steady:instant --broadcast")
        defer { tmux.stop() }
        tmux.wait { $0.contains("sim-ollama:sim-steady") }
        // Nothing broadcast yet: the vote key says so.
        tmux.press("M-v")
        tmux.wait { $0.contains("nothing to vote on yet") }
        tmux.type("Compare tides")
        tmux.press("Enter")
        tmux.wait(timeout: 20) { $0.components(separatedBy: "tok/s").count - 1 >= 2 && !$0.contains("streaming") }
        // Pane 2 (Tab) is the best; the note mode asks for words.
        tmux.press("Tab")
        tmux.press("M-v")
        var screen = tmux.wait { $0.contains("note on your vote (best: sim-ollama:sim-steady:instant)") }
        XCTAssertTrue(screen.contains("note on your vote (best: sim-ollama:sim-steady:instant)"), screen)
        tmux.type("steadier")
        tmux.press("Enter")
        tmux.wait { $0.contains("note saved with your vote") }
        // F2: pane numbers first, the winner starred, the vote spelled out.
        tmux.press("F2")
        screen = tmux.wait { $0.contains("your vote: best: sim-ollama:sim-steady:instant") }
        XCTAssertTrue(screen.contains("2  ★ sim-ollama:sim-steady"), screen)
        XCTAssertTrue(screen.contains("“steadier”"), screen)
        // A tie from the comparison: `=`, then Esc for no note.
        tmux.press("=")
        tmux.wait { $0.contains("voted tie") }
        tmux.press("Escape")
        tmux.wait { $0.contains("vote kept without a note") }
        // F3: the leaderboard of the stored votes.
        tmux.press("F3")
        screen = tmux.wait { $0.contains("Leaderboard") && $0.contains("1 vote") }
        XCTAssertTrue(screen.contains("1 vote (1 tie)"), screen)
        XCTAssertTrue(screen.contains("sim:sim-fast") && screen.contains("50% ("), screen)
        tmux.press("Escape")
        tmux.wait { !$0.contains("Leaderboard") }
        tmux.press("C-q")
        XCTAssertTrue(tmux.wait { $0.contains("TIDEPOOL-EXITED") }.contains("TIDEPOOL-EXITED-0"))

        // The vote is stored: rank sees it after the screen has gone.
        let rank = try cli.run(["rank"])
        XCTAssertTrue(rank.stdout.hasPrefix("1 vote (1 tie)"), rank.stdout)
    }
}
