import TidepoolChat

/// The bottom row: key hints on the left, the latest notice on the right; while a quit waits
/// for confirmation, only that question, in the alert style.
public struct StatusBarView: Widget, Sendable {
    /// The state whose notice and question are shown.
    public var state: AppState

    /// The hints shown, as (keys, meaning): the bindings of ``KeyMap/bindings`` that carry a
    /// hint, in their order (one table for keys, help and status bar).
    public static let hints: [(key: String, action: String)] = KeyMap.bindings.compactMap(\.hint)

    /// The question shown while quitting waits for an answer.
    public static let quitQuestion = "Still streaming: quit? y/n"

    /// Creates a status bar view.
    public init(state: AppState) { self.state = state }

    /// Draws on the first row of `area`.
    public func render(into screen: inout Screen, area: Rect, theme: Theme) {
        guard !area.isEmpty else { return }
        if state.confirmingQuit {
            let row = Rect(x: area.x, y: area.y, width: area.width, height: 1)
            screen.fill(row, with: .blank(theme[.alert]))
            screen.put(" " + StatusBarView.quitQuestion + " ", x: area.x, y: area.y, style: theme[.alert], maxWidth: area.width)
            return
        }
        var right: [Span] = []
        var flags: [String] = []
        if state.zoomed { flags.append("zoom") }
        if state.scrollLocked { flags.append("scroll-lock") }
        if !flags.isEmpty { right.append(Span(" [" + flags.joined(separator: " ") + "]", style: theme[.statusBar])) }
        if let notice = state.notice, !notice.isEmpty {
            let clean = TerminalSanitizer.sanitize(notice).split(separator: "\n").joined(separator: " ")
            right.append(Span(" " + Block.truncate(clean, to: max(1, area.width / 2)) + " ", style: theme[.statusBar]))
        }
        StatusLine(left: StatusLine.hints(StatusBarView.hints, theme: theme), right: right)
            .render(into: &screen, area: area, theme: theme)
    }
}
