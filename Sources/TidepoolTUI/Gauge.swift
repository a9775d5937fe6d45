/// A one-row bar showing parts of a limit, e.g. a pool's connections: active and idle against
/// the maximum, with queued requests shown separately (they are not connections yet).
///
/// `label [████▒▒······] 3+2/8 +4q` — `█` active (`barFill`), `▒` idle (`bar` role, bold), `·`
/// free (`bar`), and `+Nq` queued (`barQueued`); values over the limit are drawn as a full bar
/// ending in `▶`. With nothing to show (limit and values all zero) it says "no data".
public struct Gauge: Widget, Sendable {
    /// Text before the bar.
    public var label: String
    /// Connections (or whatever) in use.
    public var active: Double
    /// Open but idle.
    public var idle: Double
    /// Waiting for a slot.
    public var queued: Double
    /// The maximum; `active + idle` is drawn as a share of it.
    public var limit: Double
    /// Name the numbers (`3 act 0 idle /6`) instead of the terse `3+0/6`, so a reader need
    /// not know which is which.
    public var labelled: Bool

    /// Creates a gauge; non-finite or negative values count as zero.
    public init(
        label: String, active: Double, idle: Double = 0, queued: Double = 0, limit: Double, labelled: Bool = false
    ) {
        func clean(_ v: Double) -> Double { v.isFinite && v > 0 ? v : 0 }
        self.label = label
        self.active = clean(active)
        self.idle = clean(idle)
        self.queued = clean(queued)
        self.limit = clean(limit)
        self.labelled = labelled
    }

    /// The numbers after the bar: `3+0/6`, or labelled `3 act 0 idle /6`.
    private var numbers: String {
        labelled
            ? "\(Gauge.format(active)) act \(Gauge.format(idle)) idle /\(Gauge.format(limit))"
            : "\(Gauge.format(active))+\(Gauge.format(idle))/\(Gauge.format(limit))"
    }

    /// Draws the gauge on the first row of `area`.
    public func render(into screen: inout Screen, area: Rect, theme: Theme) {
        guard !area.isEmpty else { return }
        var x = area.x
        let right = area.right
        if !label.isEmpty {
            x += screen.put(label + " ", x: x, y: area.y, style: theme[.panelLabel], maxWidth: right - x)
        }
        guard x < right else { return }
        if limit == 0 && active == 0 && idle == 0 && queued == 0 {
            screen.put("no data", x: x, y: area.y, style: theme[.dim], maxWidth: right - x)
            return
        }
        var shown = numbers
        if queued > 0 { shown += " +\(Gauge.format(queued))q" }
        let textWidth = TextWidth.width(of: shown)
        let barWidth = right - x - textWidth - 3
        if barWidth >= 3 {
            let scale = max(limit, active + idle)
            let cellsActive = scale > 0 ? Int((active / scale * Double(barWidth)).rounded()) : 0
            let cellsUsed = scale > 0 ? Int(((active + idle) / scale * Double(barWidth)).rounded()) : 0
            let overflow = active + idle > limit && limit > 0
            screen.put("[", x: x, y: area.y, style: theme[.bar])
            for i in 0..<barWidth {
                let (symbol, role): (String, ThemeRole) =
                    i < cellsActive ? ("█", .barFill) : i < cellsUsed ? ("▒", .barFill) : ("·", .bar)
                let isLast = i == barWidth - 1
                screen.put(overflow && isLast ? "▶" : symbol, x: x + 1 + i, y: area.y,
                           style: overflow && isLast ? theme[.alert] : theme[role])
            }
            screen.put("] ", x: x + 1 + barWidth, y: area.y, style: theme[.bar])
            x += barWidth + 3
        }
        x += screen.put(numbers, x: x, y: area.y, style: theme[.panelValue], maxWidth: right - x)
        if queued > 0 && x < right {
            screen.put(" +\(Gauge.format(queued))q", x: x, y: area.y, style: theme[.barQueued], maxWidth: right - x)
        }
    }

    /// Whole numbers without a decimal point; others with one decimal.
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        if value == value.rounded() && abs(value) < 1e15 { return String(Int(value)) }
        return String((value * 10).rounded() / 10)
    }
}
