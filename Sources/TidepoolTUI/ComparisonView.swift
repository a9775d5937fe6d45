import TidepoolChat

/// An overlay table of the last broadcast: one row per model, fastest complete answer first,
/// with the best time to first token, speed and total highlighted.
public struct ComparisonView: Widget, Sendable {
    /// The broadcast to show, nil when there was none.
    public var comparison: BroadcastComparison?

    /// The last line: how to close, and what the highlight means.
    public static let footer = "best figure highlighted · Esc or F2 closes"

    /// Shown when nothing was broadcast yet.
    public static let emptyText = "no broadcast yet: Ctrl-B, then send a prompt"

    /// Creates the view.
    public init(comparison: BroadcastComparison?) { self.comparison = comparison }

    /// The view for the state's last broadcast.
    public init(state: AppState) {
        self.comparison = state.lastBroadcast.map { BroadcastComparison(group: $0, panes: state.panes) }
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
            title: "Broadcast comparison", width: 78, height: max(entries.count, 1) + 4, in: area,
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

        var x = inner.x
        x += screen.put(pad("#", 3), x: x, y: inner.y, style: theme[.panelLabel], maxWidth: inner.right - x)
        x += screen.put(pad("model", modelWidth), x: x, y: inner.y, style: theme[.panelLabel], maxWidth: max(0, inner.right - x))
        for column in columns where x < inner.right {
            x += screen.put(pad(column.title, column.width), x: x, y: inner.y, style: theme[.panelLabel], maxWidth: inner.right - x)
        }
        for (rank, index) in order.enumerated() {
            let y = inner.y + 1 + rank
            guard y < inner.bottom else { break }
            let entry = entries[index]
            var x = inner.x
            x += screen.put(pad("\(rank + 1)", 3), x: x, y: y, style: theme[.dim], maxWidth: inner.right - x)
            let label = Block.truncate(TerminalSanitizer.sanitize(entry.label), to: modelWidth - 1)
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
