/// A one-row chart of recent values with block characters `▁▂▃▄▅▆▇█`, newest at the right.
///
/// Values are scaled to `maximum` (or the largest value shown); non-finite and negative values
/// count as zero, a zero is `▁` so a quiet series still shows it is being measured, and an
/// empty series draws nothing. Never divides by zero.
public struct Sparkline: Widget, Sendable {
    /// The values, oldest first; only the last `area.width` are shown.
    public var values: [Double]
    /// The value drawn as `█`; nil scales to the largest value shown.
    public var maximum: Double?

    /// Creates a sparkline.
    public init(values: [Double], maximum: Double? = nil) {
        self.values = values
        self.maximum = maximum
    }

    static let bars: [String] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// The symbols for `width` columns (exposed for tests and text output).
    public func symbols(width: Int) -> String {
        guard width > 0, !values.isEmpty else { return "" }
        let shown = values.suffix(width).map { $0.isFinite && $0 > 0 ? $0 : 0 }
        let top = maximum.flatMap { $0.isFinite && $0 > 0 ? $0 : nil } ?? (shown.max() ?? 0)
        return shown.map { value -> String in
            guard top > 0 else { return Sparkline.bars[0] }
            let level = Int((min(value, top) / top * 7).rounded())
            return Sparkline.bars[max(0, min(7, level))]
        }.joined()
    }

    /// Draws on the first row of `area`, right-aligned so the newest value is at the edge.
    public func render(into screen: inout Screen, area: Rect, theme: Theme) {
        guard !area.isEmpty else { return }
        let text = symbols(width: area.width)
        let w = text.count
        screen.put(text, x: area.right - w, y: area.y, style: theme[.sparkline], maxWidth: w)
    }
}
