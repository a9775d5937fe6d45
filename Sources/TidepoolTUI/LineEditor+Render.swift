import TidepoolChat

extension LineEditor {
    /// Draws the draft into `area` (no border: wrap it in a `Block`), scrolling so the cursor
    /// stays visible; shows `placeholder` when empty. Long lines scroll horizontally rather
    /// than wrap, so the cursor maps to one cell. Updates `cursorPosition` and the scroll
    /// position kept in the editor.
    public mutating func render(into screen: inout Screen, area: Rect, theme: Theme, placeholder: String = "") {
        guard !area.isEmpty else {
            cursorPosition = (area.x, area.y)
            return
        }
        screen.fill(area, with: .blank(theme[.input]))
        if isEmpty {
            screen.put(placeholder, x: area.x, y: area.y, style: theme[.inputPlaceholder], maxWidth: area.width)
            cursorPosition = (area.x, area.y)
            return
        }
        let lines = self.lines
        let (cursorLine, cursorIndexInLine) = cursorLineAndIndex
        if cursorLine < scrollTop { scrollTop = cursorLine }
        if cursorLine >= scrollTop + area.height { scrollTop = cursorLine - area.height + 1 }
        scrollTop = max(0, min(scrollTop, max(0, lines.count - area.height)))
        let cursorColumn = TextWidth.width(of: String(lines[cursorLine].prefix(cursorIndexInLine)))
        // Keep the cursor inside, leaving its own cell free at the right edge.
        if cursorColumn < scrollLeft { scrollLeft = cursorColumn }
        if cursorColumn >= scrollLeft + area.width { scrollLeft = cursorColumn - area.width + 1 }
        for row in 0..<area.height where scrollTop + row < lines.count {
            var skipped = 0
            var x = area.x
            for character in lines[scrollTop + row] {
                let w = TextWidth.width(of: character)
                if skipped < scrollLeft {
                    skipped += w
                    // A wide char cut by the left edge shows as a space.
                    if skipped > scrollLeft { x += skipped - scrollLeft }
                    continue
                }
                if x + w > area.right { break }
                screen.put(String(character), x: x, y: area.y + row, style: theme[.input], maxWidth: area.right - x)
                x += w
            }
        }
        cursorPosition = (area.x + cursorColumn - scrollLeft, area.y + cursorLine - scrollTop)
    }
}
