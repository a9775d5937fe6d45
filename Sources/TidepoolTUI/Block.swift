/// A bordered box with a title: the frame of a pane, the side panel, the input area.
///
/// Focused blocks use heavy lines and the `borderFocused`/`titleFocused` roles, so focus shows
/// in monochrome too. Render it first, then draw the content into `inner(area)`.
public struct Block: Widget, Sendable {
    /// Text in the top border (clipped with `…` if it does not fit).
    public var title: String
    /// Optional text at the right of the top border (e.g. a model's status).
    public var trailingTitle: String
    /// Whether this block has the keyboard focus.
    public var focused: Bool
    /// Whether to fill the inside with the text role's background.
    public var clearsInside: Bool

    /// Creates a block.
    public init(title: String = "", trailingTitle: String = "", focused: Bool = false, clearsInside: Bool = true) {
        self.title = title
        self.trailingTitle = trailingTitle
        self.focused = focused
        self.clearsInside = clearsInside
    }

    /// The area inside the border (empty when `area` is too small for a border).
    public func inner(_ area: Rect) -> Rect { area.inset(by: 1) }

    /// Draws the border and titles.
    public func render(into screen: inout Screen, area: Rect, theme: Theme) {
        guard !area.isEmpty else { return }
        if clearsInside { screen.fill(area, with: .blank(theme[.text])) }
        let borderStyle = theme[focused ? .borderFocused : .border]
        screen.drawBox(area, style: borderStyle, border: focused ? .heavy : .rounded)
        guard area.width >= 5 else { return }
        let titleStyle = theme[focused ? .titleFocused : .title]
        var room = area.width - 4
        var used = 0
        if !title.isEmpty {
            let text = Block.truncate(title, to: room)
            used = screen.put(" " + text + " ", x: area.x + 1, y: area.y, style: titleStyle, maxWidth: room + 2)
            room -= used
        }
        if !trailingTitle.isEmpty && room > 4 {
            let text = Block.truncate(trailingTitle, to: room - 2)
            let w = TextWidth.width(of: text) + 2
            screen.put(" " + text + " ", x: area.right - 1 - w, y: area.y, style: theme[.dim], maxWidth: w)
        }
    }

    /// `text` cut to `width` columns, ending in `…` when cut.
    public static func truncate(_ text: String, to width: Int) -> String {
        guard width > 0 else { return "" }
        if TextWidth.width(of: text) <= width { return text }
        var result = ""
        var used = 0
        for character in text {
            let w = TextWidth.width(of: character)
            if used + w > width - 1 { break }
            result.append(character)
            used += w
        }
        return result + "…"
    }
}
