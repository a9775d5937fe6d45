/// A centred box listing every key binding, read from ``KeyMap/bindings`` so the help can
/// never disagree with what the keys do. Two columns when the terminal is wide enough; rows
/// that do not fit are counted in a last line rather than silently dropped.
public struct HelpOverlay: Widget, Sendable {
    /// The bindings to list.
    public var bindings: [KeyBinding]

    /// The last line: how to close the overlay.
    public static let closeHint = "Esc, F1 or ? closes this help"

    /// Creates the overlay for the app's key map.
    public init(bindings: [KeyBinding] = KeyMap.bindings) { self.bindings = bindings }

    /// Draws the box centred in `area`.
    public func render(into screen: inout Screen, area: Rect, theme: Theme) {
        guard !area.isEmpty else { return }
        let namesWidth = bindings.map { TextWidth.width(of: $0.names) }.max() ?? 0
        let summaryWidth = bindings.map { TextWidth.width(of: $0.summary) }.max() ?? 0
        let entryWidth = namesWidth + 1 + summaryWidth
        let gap = 2
        let twoColumns = area.width >= 2 * entryWidth + gap + 4
        let columns = twoColumns ? 2 : 1
        let rowsNeeded = (bindings.count + columns - 1) / columns
        let inner = Block.overlay(
            title: "Keys", width: columns * entryWidth + (columns - 1) * gap + 4, height: rowsNeeded + 3, in: area,
            padding: 2, fill: theme[.help], screen: &screen, theme: theme)
        guard !inner.isEmpty else { return }
        let listRows = max(0, inner.height - 1)
        let perColumn = twoColumns ? rowsNeeded : bindings.count
        let columnWidth = twoColumns ? (inner.width - gap) / 2 : inner.width
        var shown = 0
        for (index, binding) in bindings.enumerated() {
            let column = index / max(1, perColumn)
            let row = index % max(1, perColumn)
            guard row < listRows, column < columns else { continue }
            let x = inner.x + column * (columnWidth + gap)
            let y = inner.y + row
            let used = screen.put(binding.names, x: x, y: y, style: theme[.helpKey], maxWidth: columnWidth)
            let summaryX = x + max(used, min(namesWidth, columnWidth - 1)) + 1
            screen.put(binding.summary, x: summaryX, y: y, style: theme[.help], maxWidth: x + columnWidth - summaryX)
            shown += 1
        }
        let footer = shown < bindings.count
            ? "… \(bindings.count - shown) more: enlarge the terminal" : HelpOverlay.closeHint
        screen.put(footer, x: inner.x, y: inner.bottom - 1, style: theme[.dim], maxWidth: inner.width)
    }
}
