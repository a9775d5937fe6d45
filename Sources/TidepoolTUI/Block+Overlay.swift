extension Block {
    /// Draws a focused box titled `title`, `width` x `height` cells centred in `area`, for the
    /// overlays (help, comparison, history), and returns the inside with `padding` columns on
    /// each side. A box too small for borders is only cleared with `fill`, and all of it is
    /// returned as the inside.
    static func overlay(
        title: String, width: Int, height: Int, in area: Rect, padding: Int, fill: Style,
        screen: inout Screen, theme: Theme
    ) -> Rect {
        let box = area.centered(width: min(area.width, width), height: min(area.height, height))
        guard box.width >= 5 && box.height >= 3 else {
            screen.fill(box, with: .blank(fill))
            return box
        }
        Block(title: title, focused: true).render(into: &screen, area: box, theme: theme)
        return box.inset(top: 1, left: padding, bottom: 1, right: padding)
    }
}
