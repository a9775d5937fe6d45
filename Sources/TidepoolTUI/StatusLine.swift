/// The one-row bar at the bottom: left spans (mode, focused model, messages), right spans
/// (key hints, counters). The right side wins space; the left is cut with `…`.
public struct StatusLine: Widget, Sendable {
    /// Left-aligned spans.
    public var left: [Span]
    /// Right-aligned spans.
    public var right: [Span]

    /// Creates a status line.
    public init(left: [Span], right: [Span] = []) {
        self.left = left
        self.right = right
    }

    /// Key hints as spans: each key in `statusKey`, its meaning in `statusBar`.
    public static func hints(_ pairs: [(key: String, action: String)], theme: Theme) -> [Span] {
        pairs.flatMap { pair in
            [Span(" \(pair.key) ", style: theme[.statusKey]), Span(" \(pair.action) ", style: theme[.statusBar])]
        }
    }

    /// Draws on the first row of `area`, filled with the `statusBar` role.
    public func render(into screen: inout Screen, area: Rect, theme: Theme) {
        guard !area.isEmpty else { return }
        let row = Rect(x: area.x, y: area.y, width: area.width, height: 1)
        screen.fill(row, with: .blank(theme[.statusBar]))
        let rightLine = StyledLine(right)
        let rightWidth = min(rightLine.width, area.width)
        let leftRoom = area.width - rightWidth - (rightWidth > 0 ? 1 : 0)
        if leftRoom > 0 {
            let leftLine = StyledLine(left)
            if leftLine.width <= leftRoom {
                screen.put(leftLine, x: area.x, y: area.y, maxWidth: leftRoom)
            } else {
                let used = screen.put(leftLine, x: area.x, y: area.y, maxWidth: leftRoom - 1)
                screen.put("…", x: area.x + used, y: area.y, style: theme[.statusBar], maxWidth: 1)
            }
        }
        if rightWidth > 0 {
            screen.put(rightLine, x: area.right - rightWidth, y: area.y, maxWidth: rightWidth)
        }
    }
}
