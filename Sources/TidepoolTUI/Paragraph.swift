/// Styled lines in a rectangle, scrolled: the body of a chat pane, help text, the side panel.
public struct Paragraph: Widget, Sendable {
    /// The lines; with `wrap` false they must already fit (longer ones are clipped).
    public var lines: [StyledLine]
    /// The first line shown (0 = top). Clamped so the view never scrolls past the end.
    public var scrollOffset: Int
    /// Whether to word-wrap the lines to the area's width first.
    public var wrap: Bool

    /// Creates a paragraph.
    public init(lines: [StyledLine], scrollOffset: Int = 0, wrap: Bool = false) {
        self.lines = lines
        self.scrollOffset = scrollOffset
        self.wrap = wrap
    }

    /// The offset that shows the last `height` lines (follow-the-tail for streaming panes).
    public static func tailOffset(lineCount: Int, height: Int) -> Int { max(0, lineCount - max(0, height)) }

    /// Draws the visible lines.
    public func render(into screen: inout Screen, area: Rect, theme: Theme) {
        guard !area.isEmpty else { return }
        let shown = wrap ? lines.flatMap { WordWrapper.wrap($0.spans, width: area.width) } : lines
        let offset = min(max(0, scrollOffset), max(0, shown.count - area.height))
        for row in 0..<area.height where offset + row < shown.count {
            screen.put(shown[offset + row], x: area.x, y: area.y + row, maxWidth: area.width)
        }
    }
}
