import TidepoolChat

/// The leaderboard overlay (F3): the same table `tidepool rank` prints, best model first,
/// or a sentence saying how to vote when nothing was voted yet.
public struct LeaderboardView: Widget, Sendable {
    /// What to show.
    public var board: Leaderboard

    /// The last line: how to close.
    public static let footer = "Esc, F3 or Alt-G closes · tidepool rank prints this table"

    /// Creates the view.
    public init(board: Leaderboard) { self.board = board }

    /// Draws the box centred in `area`.
    public func render(into screen: inout Screen, area: Rect, theme: Theme) {
        guard !area.isEmpty else { return }
        let rows = board.rows.enumerated().map { LeaderboardReport.cells($1, rank: $0 + 1) }
        var cells = [LeaderboardReport.headers] + rows
        var widths = LeaderboardReport.headers.indices.map { column in
            cells.map { TextWidth.width(of: $0[column]) }.max() ?? 0
        }
        let gap = 2
        var natural: Int { widths.reduce(0, +) + gap * (widths.count - 1) }
        let height = board.isEmpty ? 7 : rows.count + 6
        let inner = Block.overlay(
            title: "Leaderboard", width: max(natural, 60) + 4, height: height, in: area, padding: 1,
            fill: theme[.text], screen: &screen, theme: theme)
        guard !inner.isEmpty else { return }
        // On a narrow terminal the least telling columns go first (votes, speed, first
        // token), then the model's name gives way.
        for column in [9, 8, 7] where natural > inner.width {
            widths.remove(at: column)
            for row in cells.indices { cells[row].remove(at: column) }
        }
        if inner.height >= 2 {
            screen.put(Self.footer, x: inner.x, y: inner.bottom - 1, style: theme[.dim], maxWidth: inner.width)
        }
        guard !board.isEmpty else {
            let lines = WordWrapper.wrap(LeaderboardReport.emptyText, style: theme[.text], width: max(1, inner.width))
            for (row, line) in lines.prefix(max(0, inner.height - 2)).enumerated() {
                screen.put(line, x: inner.x, y: inner.y + row, maxWidth: inner.width)
            }
            return
        }
        // The model column gives way first when the terminal is narrow.
        let overflow = natural - inner.width
        if overflow > 0 { widths[1] = max(8, widths[1] - overflow) }
        screen.put(LeaderboardReport.summary(board), x: inner.x, y: inner.y, style: theme[.accent], maxWidth: inner.width)
        for (row, line) in cells.enumerated() {
            let y = inner.y + 1 + row
            guard y < inner.bottom - 2 else { break }
            var x = inner.x
            for (column, cell) in line.enumerated() where x < inner.right {
                let text = column == 1 ? Block.truncate(TerminalSanitizer.sanitize(cell), to: widths[column]) : cell
                let role: ThemeRole = row == 0 ? .panelLabel : column == 1 ? .accent : column == 6 ? .highlight : .panelValue
                // (columns 0-6 never move: only those after them are dropped)
                let used = screen.put(text, x: x, y: y, style: theme[role], maxWidth: inner.right - x)
                x += max(used, widths[column]) + gap
            }
        }
        if inner.height >= rows.count + 4 {
            screen.put(LeaderboardReport.ratingNote, x: inner.x, y: inner.bottom - 2, style: theme[.dim], maxWidth: inner.width)
        }
    }
}
