/// Formats measured numbers for the screen. Every function returns text for any input: a
/// non-finite or missing value becomes "—", never "nan" or "inf", because a figure a person
/// cannot read is worse than an honest dash.
enum Figures {
    /// Shown where a figure is missing.
    static let missing = "—"

    /// A duration in seconds for a pane footer: "0.42 s", "5.6 s", "123 s".
    static func seconds(_ value: Double?) -> String {
        guard let value, value.isFinite, value >= 0 else { return missing }
        if value < 1 { return fixed(value, digits: 2) + " s" }
        if value < 100 { return fixed(value, digits: 1) + " s" }
        return fixed(value, digits: 0) + " s"
    }

    /// A latency in seconds with units that keep two or three significant digits: "0.4 ms",
    /// "12 ms", "1.2 s", "95 s".
    static func latency(_ value: Double?) -> String {
        guard let value, value.isFinite, value >= 0 else { return missing }
        let milliseconds = value * 1000
        if milliseconds < 10 { return fixed(milliseconds, digits: 1) + " ms" }
        if milliseconds < 999.5 { return fixed(milliseconds, digits: 0) + " ms" }
        if value < 10 { return fixed(value, digits: 1) + " s" }
        return fixed(value, digits: 0) + " s"
    }

    /// A rate with one decimal: "38.1".
    static func rate(_ value: Double?) -> String {
        guard let value, value.isFinite, value >= 0 else { return missing }
        return value < 1000 ? fixed(value, digits: 1) : fixed(value, digits: 0)
    }

    /// A share (0...1) as a whole percentage: "94%".
    static func percent(_ value: Double?) -> String {
        guard let value, value.isFinite else { return missing }
        return fixed(min(max(value, 0), 1) * 100, digits: 0) + "%"
    }

    /// A byte count: "512 B", "1.5 KB", "23 MB".
    static func bytes(_ value: Int) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var amount = Double(max(0, value))
        var unit = 0
        while amount >= 1000 && unit < units.count - 1 {
            amount /= 1024
            unit += 1
        }
        if unit == 0 { return "\(max(0, value)) B" }
        return (amount < 10 ? fixed(amount, digits: 1) : fixed(amount, digits: 0)) + " " + units[unit]
    }

    /// `value` rounded to `digits` decimals, without Foundation's locale-dependent formatting.
    static func fixed(_ value: Double, digits: Int) -> String {
        guard value.isFinite else { return missing }
        var scale = 1.0
        for _ in 0..<max(0, digits) { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 1e15 else { return missing }
        let whole = Int(scaled) / Int(scale)
        let fraction = Int(scaled) % Int(scale)
        let sign = value < 0 && scaled > 0 ? "-" : ""
        guard digits > 0 else { return sign + String(whole) }
        var fractionText = String(fraction)
        while fractionText.count < digits { fractionText = "0" + fractionText }
        return sign + String(whole) + "." + fractionText
    }
}
