import ArgumentParser
import Foundation
import TidepoolApp
import TidepoolChat
import TidepoolStore

/// `tidepool rank`: the leaderboard of the models the user has compared and voted on.
struct RankCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rank",
        abstract: "Rank the models you have compared, from your votes.",
        discussion: """
        Votes come from the chat screen (after a broadcast: Alt-V on the best pane, Alt-= for a \
        tie, Alt-X when all are bad, or 1-9 / = / x in the F2 comparison) and from \
        `tidepool compare --winner PROVIDER:MODEL | --tie | --all-bad`.

        A vote among N models counts as pairwise comparisons: the best answer wins N-1 (one \
        against each other model), a tie gives every pair half a win each, and "all bad" is \
        counted but left out of the ratings. Columns: wins, losses and ties of those \
        comparisons; the win rate (ties count one half) with its Wilson 95% interval; the \
        rating; the median time to first token and tokens per second of the model's complete \
        answers in the voted broadcasts; and how many voted broadcasts it answered in.

        The rating is a Bradley-Terry fit over every pairwise comparison, on an Elo-like scale: \
        1500 + 400 * log10(strength). Each model also gets one virtual tie against an average \
        model (rated 1500), a weak prior that keeps an undefeated model's rating finite. A \
        model rated 400 points above another is expected to win 10 of 11 comparisons.

        Examples:
          tidepool rank
          tidepool rank --since 2026-11-01 --json
        """
    )

    @OptionGroup var options: GlobalOptions

    @Option(help: ArgumentHelp("Count only votes cast on or after this day (YYYY-MM-DD, local time).", valueName: "YYYY-MM-DD"))
    var since: String?

    @Flag(help: "Print one JSON document instead of the table.")
    var json = false

    func run() throws {
        let output = TerminalOutput()
        var start: Date?
        if let since {
            guard let date = Self.day(since) else {
                output.writeError("error: --since wants a day as YYYY-MM-DD (for example 2026-11-01), not '\(since)'\n")
                throw ExitCode.validationFailure
            }
            start = date
        }
        let store = try HistoryCommand.openStore(options)
        let broadcasts = try HistoryCommand.run { () throws(HistoryError) in try store.votedBroadcasts(since: start) }
        let board = Leaderboard(broadcasts: broadcasts)
        if json {
            output.line(LeaderboardReport.json(board, since: since))
        } else if board.isEmpty && since != nil {
            output.line("No votes since \(since!). `tidepool rank` without --since counts every vote.")
        } else {
            output.write(LeaderboardReport.table(board))
        }
    }

    /// Midnight (local time) of `text` when it is a real day written `YYYY-MM-DD`, else nil
    /// (`2026-02-30` and `2026-2-3` are refused, not rolled over or guessed).
    static func day(_ text: String) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone.current
        let components = DateComponents(year: year, month: month, day: day)
        guard let date = calendar.date(from: components) else { return nil }
        let back = calendar.dateComponents([.year, .month, .day], from: date)
        guard back.year == year, back.month == month, back.day == day else { return nil }
        return date
    }
}
