import TidepoolChat

/// An overlay listing the stored sessions a history search found, with how to reopen one.
public struct HistoryHitsOverlay: Widget, Sendable {
    /// The words searched for.
    public var query: String
    /// The sessions found, best first.
    public var hits: [HistoryHit]

    /// The last line: how to use a hit, and how to close.
    public static let footer = "tidepool --resume ID reopens one · any key closes"

    /// Creates the overlay.
    public init(query: String, hits: [HistoryHit]) {
        self.query = query
        self.hits = hits
    }

    /// Draws the box centred in `area`.
    public func render(into screen: inout Screen, area: Rect, theme: Theme) {
        guard !area.isEmpty else { return }
        let inner = Block.overlay(
            title: "History: \(TerminalSanitizer.sanitize(query))", width: 96, height: max(hits.count, 1) + 4,
            in: area, padding: 1, fill: theme[.text], screen: &screen, theme: theme)
        guard !inner.isEmpty else { return }
        if hits.isEmpty {
            screen.put("nothing found", x: inner.x, y: inner.y, style: theme[.dim], maxWidth: inner.width)
        }
        for (row, hit) in hits.prefix(max(0, inner.height - 1)).enumerated() {
            var line = StyledLine()
            line.append("#\(hit.sessionID) ", style: theme[.accent])
            line.append(TerminalSanitizer.sanitize(hit.title), style: theme[.title])
            line.append("  ", style: theme[.text])
            line.append(TerminalSanitizer.sanitize(hit.snippet).replacingOccurrences(of: "\n", with: " "), style: theme[.dim])
            screen.put(line, x: inner.x, y: inner.y + row, maxWidth: inner.width)
        }
        if inner.height >= 2 {
            screen.put(Self.footer, x: inner.x, y: inner.y + inner.height - 1, style: theme[.dim], maxWidth: inner.width)
        }
    }
}
