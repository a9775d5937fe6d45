import TidepoolChat

/// An overlay table of the last broadcast: one row per model, fastest complete answer first,
/// with the best time to first token, speed and total highlighted. The first column is the
/// pane's number, which is also the key that votes for that pane's answer; the user's vote,
/// if any, is marked on its rows and spelled out above the footer.
public struct ComparisonView: Widget, Sendable {
    /// The broadcast to show, nil when there was none.
    public var comparison: BroadcastComparison?
    /// The user's vote on it, if any.
    public var vote: BroadcastVote?

    /// The last line: what the columns and keys mean.
    public static let footer = "# pane · vote: 1-9 best, = tie, x all bad · Esc/F2 closes"

    /// Shown when nothing was broadcast yet.
    public static let emptyText = "no broadcast yet: Ctrl-B, then send a prompt"

    /// Creates the view.
    public init(comparison: BroadcastComparison?, vote: BroadcastVote? = nil) {
        self.comparison = comparison
        self.vote = vote
    }

    /// The view for the state's last broadcast.
    public init(state: AppState) {
        self.comparison = state.lastBroadcast.map { BroadcastComparison(group: $0, panes: state.panes) }
        self.vote = state.lastBroadcast.flatMap { state.votes[$0] }
    }

    /// The mark beside an entry's model: `★` on the winner, `=` on every row of a tie, `✗` on
    /// every row when all were bad; empty without a vote.
    public static func mark(_ entry: BroadcastComparison.Entry, vote: BroadcastVote?) -> String {
        switch vote?.verdict {
        case nil: ""
        case .best?: vote?.verdict.winner == entry.label ? "★ " : ""
        case .tie?: "= "
        case .allBad?: "✗ "
        }
    }

    /// `your vote: best: sim:sim-fast — “clearest”`.
    public static func voteLine(_ vote: BroadcastVote) -> String {
        "your vote: \(vote.verdict.summary)" + (vote.note.map { " — “\($0)”" } ?? "")
    }

    /// A column: header, width, and the entry's text.
    private struct Column {
        var title: String
        var width: Int
        var text: (BroadcastComparison.Entry) -> String
        /// The entry index holding the best value, if this column ranks.
        var best: Int?
    }

    /// Draws the box centred in `area`.
    public func render(into screen: inout Screen, area: Rect, theme: Theme) {
        guard !area.isEmpty else { return }
        let entries = comparison?.entries ?? []
        let inner = Block.overlay(
            title: "Broadcast comparison", width: 78, height: max(entries.count, 1) + (vote == nil ? 4 : 5), in: area,
            padding: 1, fill: theme[.text], screen: &screen, theme: theme)
        guard !inner.isEmpty else { return }
        guard let comparison, !entries.isEmpty else {
            screen.put(ComparisonView.emptyText, x: inner.x, y: inner.y, style: theme[.dim], maxWidth: inner.width)
            return
        }
        func best(_ key: (BroadcastComparison.Entry) -> Double?, higher: Bool = false) -> Int? {
            guard let first = comparison.ranking(by: key, higherIsBetter: higher).first,
                  let value = key(entries[first]), value.isFinite else { return nil }
            return first
        }
        let columns = [
            Column(title: "ttft", width: 9, text: { Figures.seconds($0.timeToFirstToken) }, best: best(\.timeToFirstToken)),
            Column(title: "tok/s", width: 8, text: { Figures.rate($0.tokensPerSecond) }, best: best(\.tokensPerSecond, higher: true)),
            Column(title: "total", width: 9, text: { Figures.seconds($0.total) }, best: best(\.total)),
            Column(title: "tokens", width: 7, text: { $0.outputTokens.map(String.init) ?? Figures.missing }, best: nil),
            Column(title: "status", width: 10, text: { $0.status.rawValue }, best: nil),
        ]
        let fixed = columns.reduce(0) { $0 + $1.width }
        let modelWidth = max(6, inner.width - fixed - 3)
        let order = comparison.ranking(by: \.total)
        if inner.height >= entries.count + 2 {
            screen.put(ComparisonView.footer, x: inner.x, y: inner.bottom - 1, style: theme[.dim], maxWidth: inner.width)
        }
        if let vote, inner.height >= entries.count + 3 {
            screen.put(TerminalSanitizer.sanitize(ComparisonView.voteLine(vote)), x: inner.x, y: inner.bottom - 2,
                       style: theme[.highlight], maxWidth: inner.width)
        }

        var x = inner.x
        x += screen.put(pad("#", 3), x: x, y: inner.y, style: theme[.panelLabel], maxWidth: inner.right - x)
        x += screen.put(pad("model", modelWidth), x: x, y: inner.y, style: theme[.panelLabel], maxWidth: max(0, inner.right - x))
        for column in columns where x < inner.right {
            x += screen.put(pad(column.title, column.width), x: x, y: inner.y, style: theme[.panelLabel], maxWidth: inner.right - x)
        }
        for (row, index) in order.enumerated() {
            let y = inner.y + 1 + row
            guard y < inner.bottom else { break }
            let entry = entries[index]
            var x = inner.x
            x += screen.put(pad("\(entry.paneNumber)", 3), x: x, y: y, style: theme[.dim], maxWidth: inner.right - x)
            let label = Block.truncate(ComparisonView.mark(entry, vote: vote) + TerminalSanitizer.sanitize(entry.label),
                                       to: modelWidth - 1)
            x += screen.put(pad(label, modelWidth), x: x, y: y, style: theme[.accent], maxWidth: max(0, inner.right - x))
            for column in columns where x < inner.right {
                let role: ThemeRole = column.best == index ? .highlight
                    : column.title == "status" ? PaneView.statusRole(entry.status) : .panelValue
                let text = column.text(entry)
                let used = screen.put(text, x: x, y: y, style: theme[role], maxWidth: inner.right - x)
                x += used
                x += screen.put(String(repeating: " ", count: max(0, column.width - used)), x: x, y: y,
                                style: theme[.text], maxWidth: max(0, inner.right - x))
            }
        }
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - TextWidth.width(of: text)))
    }
}
