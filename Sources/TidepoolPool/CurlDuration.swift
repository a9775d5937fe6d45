/// Durations and counts as libcurl's `long` options take them, saturated: an option set-up must
/// never trap on a number that came from a config file (`Int(1e300)`, `Int(.infinity)` and
/// `Int(.nan)` all trap in Swift).
enum CurlDuration {
    /// The largest value passed to a libcurl `long` option: `Int32.max`. libcurl keeps some
    /// of these in `int` or `unsigned int` fields; 2^31 - 1 ms is about 24.8 days, seconds
    /// about 68 years: "no limit" for every purpose here.
    static let largest = Int(Int32.max)

    /// Whole milliseconds for a `*_MS` option, rounded up, at least 1, at most ``largest``;
    /// NaN counts as the largest (no real limit).
    static func milliseconds(_ seconds: Double) -> Int {
        clamp(seconds * 1000)
    }

    /// Whole seconds for an option in seconds, rounded up, at least 1, at most ``largest``.
    static func seconds(_ seconds: Double) -> Int {
        clamp(seconds)
    }

    /// A count for a `long` option, between 1 and ``largest``.
    static func count(_ value: Int) -> Int {
        min(max(1, value), largest)
    }

    private static func clamp(_ value: Double) -> Int {
        if value.isNaN { return largest }
        let rounded = value.rounded(.up)
        if rounded >= Double(largest) { return largest }
        if rounded < 1 { return 1 }
        return Int(rounded)
    }
}
