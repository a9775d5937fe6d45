import Foundation

/// The printed forms of a ``Leaderboard``: an aligned table (`tidepool rank`, and the chat
/// screen's overlay draws the same cells) or one JSON document (`tidepool rank --json`).
public enum LeaderboardReport {
    /// What to say instead of an empty table.
    public static let emptyText = """
        No votes yet, so there is nothing to rank. After a broadcast (Ctrl-B, then a prompt) \
        press Alt-V on the best pane (Alt-= for a tie, Alt-X when all are bad), or vote from \
        the F2 comparison; from a script: tidepool compare -m A -m B --winner A "PROMPT".
        """

    /// How the rating reads, under the table.
    public static let ratingNote =
        "rating: Bradley-Terry on an Elo-like scale (1500 = average model, +400 = wins 10 of 11)"

    /// The table's column titles.
    public static let headers = ["#", "model", "wins", "losses", "ties", "win rate (95% CI)", "rating", "ttft p50",
                                 "tok/s p50", "votes"]

    /// One row's cells, in ``headers`` order.
    public static func cells(_ row: Leaderboard.Row, rank: Int) -> [String] {
        [
            "\(rank)", row.model, "\(row.wins)", "\(row.losses)", "\(row.ties)", winRate(row),
            row.rating.map { String(format: "%.0f", $0) } ?? "-",
            row.medianTimeToFirstToken.map { String(format: "%.2f s", $0) } ?? "-",
            row.medianTokensPerSecond.map { String(format: "%.1f", $0) } ?? "-",
            "\(row.broadcasts)",
        ]
    }

    /// `62% (41-80%)`, or `-` without comparisons.
    public static func winRate(_ row: Leaderboard.Row) -> String {
        guard let rate = row.winRate, let interval = row.interval else { return "-" }
        return String(format: "%.0f%% (%.0f-%.0f%%)", rate * 100, interval.low * 100, interval.high * 100)
    }

    /// `12 votes (2 ties, 1 all bad)`.
    public static func summary(_ board: Leaderboard) -> String {
        var text = "\(board.votes) vote\(board.votes == 1 ? "" : "s")"
        var parts: [String] = []
        if board.tieVotes > 0 { parts.append("\(board.tieVotes) tie\(board.tieVotes == 1 ? "" : "s")") }
        if board.allBadVotes > 0 { parts.append("\(board.allBadVotes) all bad, not rated") }
        if !parts.isEmpty { text += " (" + parts.joined(separator: ", ") + ")" }
        return text
    }

    /// The table with a summary line above and the rating's scale below, or
    /// ``emptyText`` when there are no votes.
    public static func table(_ board: Leaderboard) -> String {
        guard !board.isEmpty else { return emptyText + "\n" }
        let cells = [headers] + board.rows.enumerated().map { Self.cells($1, rank: $0 + 1) }
        let widths = headers.indices.map { column in cells.map { $0[column].count }.max() ?? 0 }
        let numeric: Set<Int> = [0, 2, 3, 4, 6, 7, 8, 9]
        let lines = cells.map { line in
            line.enumerated().map { column, cell in
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return numeric.contains(column) ? pad + cell : (column == line.count - 1 ? cell : cell + pad)
            }.joined(separator: "  ")
        }
        return summary(board) + "\n\n" + lines.joined(separator: "\n") + "\n\n" + ratingNote + "\n"
    }

    /// `{"votes", "tie_votes", "all_bad_votes", "since"?, "rating_scale", "models": [{"model",
    /// "wins", "losses", "ties", "comparisons", "broadcasts", "all_bad", "win_rate"?,
    /// "win_rate_low"?, "win_rate_high"?, "rating"?, "median_ttft"?, "median_tokens_per_second"?}]}`.
    public static func json(_ board: Leaderboard, since: String?) -> String {
        var document: [String: Any] = [
            "votes": board.votes, "tie_votes": board.tieVotes, "all_bad_votes": board.allBadVotes,
            "rating_scale": "bradley-terry elo-like: 1500 + 400*log10(strength); average model 1500",
        ]
        if let since { document["since"] = since }
        document["models"] = board.rows.map { row -> [String: Any] in
            var model: [String: Any] = [
                "model": row.model, "wins": row.wins, "losses": row.losses, "ties": row.ties,
                "comparisons": row.comparisons, "broadcasts": row.broadcasts, "all_bad": row.allBad,
            ]
            if let rate = row.winRate { model["win_rate"] = rounded(rate) }
            if let interval = row.interval {
                model["win_rate_low"] = rounded(interval.low)
                model["win_rate_high"] = rounded(interval.high)
            }
            if let rating = row.rating { model["rating"] = rounded(rating, 2) }
            if let ttft = row.medianTimeToFirstToken { model["median_ttft"] = rounded(ttft) }
            if let rate = row.medianTokensPerSecond { model["median_tokens_per_second"] = rounded(rate, 2) }
            return model
        }
        let data = (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .prettyPrinted]))
            ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// `value` to `digits` decimals (no `0.30000000000000004` in the JSON).
    static func rounded(_ value: Double, _ digits: Int = 4) -> Double {
        let factor = pow(10, Double(digits))
        return (value * factor).rounded() / factor
    }
}
