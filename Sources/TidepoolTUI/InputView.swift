import TidepoolChat

/// The prompt area: the draft editor under a marker saying where Enter sends it, which is
/// always visible (a prompt sent to every pane by mistake costs money and time).
public struct InputView: Sendable {
    /// The state the marker describes.
    public var state: AppState
    /// Draw without a frame: the marker becomes a short prefix (tiny terminals).
    public var compact: Bool

    /// Shown in an empty editor.
    public static let placeholder = "Ask something… (Enter sends, Ctrl-J new line, F1 help)"

    /// Creates an input view.
    public init(state: AppState, compact: Bool = false) {
        self.state = state
        self.compact = compact
    }

    /// Shown in an empty editor while a one-off answer is asked for.
    public static let oneOffPlaceholder = "Enter confirms, Esc cancels"

    /// Where Enter sends: "→ pane 2 (sim:sim-fast)" or "⇉ ALL 3 panes (broadcast)"; in any
    /// other input mode, what is asked for ("new pane: PROVIDER:MODEL", "system prompt for
    /// pane 2 (now: You are terse.)").
    public var modeMarker: String {
        if let title = ChatApp.inputTitle(state) { return "✎ " + TerminalSanitizer.sanitize(title) }
        if state.broadcast {
            let count = state.panes.count
            return "⇉ ALL \(count) pane\(count == 1 ? "" : "s") (broadcast)"
        }
        guard let pane = state.focusedPane else { return "→ no pane (Alt-N opens one)" }
        return "→ pane \(state.focused + 1) (\(TerminalSanitizer.sanitize(pane.label)))"
    }

    /// The marker in two or three columns, for the compact layout.
    var shortMarker: String {
        state.input.mode != .prompt ? "✎ " : state.broadcast ? "⇉ALL " : state.focusedPane == nil ? "→- " : "→\(state.focused + 1) "
    }

    /// Draws the marker and the editor; returns where the terminal cursor belongs, or nil when
    /// there is no room for it.
    @discardableResult
    public func render(into screen: inout Screen, area: Rect, theme: Theme, editor: inout LineEditor) -> (x: Int, y: Int)? {
        guard !area.isEmpty else { return nil }
        let markerStyle = theme[state.broadcast && state.input.mode == .prompt ? .alert : .titleFocused]
        var editArea: Rect
        if compact || area.height < 3 || area.width < 8 {
            screen.fill(area, with: .blank(theme[.input]))
            let used = screen.put(shortMarker, x: area.x, y: area.y, style: markerStyle, maxWidth: area.width)
            editArea = area.inset(top: 0, left: used, bottom: 0, right: 0)
        } else {
            Block(focused: true).render(into: &screen, area: area, theme: theme)
            let text = " " + Block.truncate(modeMarker, to: area.width - 4) + " "
            screen.put(text, x: area.x + 1, y: area.y, style: markerStyle, maxWidth: area.width - 2)
            editArea = Block().inner(area)
        }
        guard !editArea.isEmpty else { return nil }
        let full = state.input.mode == .prompt ? InputView.placeholder : InputView.oneOffPlaceholder
        let placeholder = editArea.width >= TextWidth.width(of: full) ? full : state.input.mode == .prompt ? "prompt…" : "…"
        editor.render(into: &screen, area: editArea, theme: theme, placeholder: placeholder)
        let cursor = editor.cursorPosition
        guard editArea.contains(x: cursor.x, y: cursor.y) else { return nil }
        return cursor
    }
}
