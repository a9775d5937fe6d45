import Foundation

/// Parses an HTTP `Retry-After` value: delay seconds, or an HTTP date.
///
/// The value comes from a server and is not trusted: whatever its form (seconds, a date,
/// negative, `1e19`, `inf`), the result is clamped to [0, ``maximum``] seconds, so no later
/// conversion can overflow; a value that cannot be read gives nil.
enum RetryAfter {
    /// The longest wait a server can ask for: 300 s.
    static let maximum: Double = 300

    /// Seconds to wait, in [0, ``maximum``], or nil when the value is missing or unreadable.
    static func seconds(_ value: String?, now: Date = Date()) -> Double? {
        guard let value = value?.trimmingWhitespace(), !value.isEmpty, value.count <= 64 else { return nil }
        if let seconds = Double(value) {
            guard !seconds.isNaN else { return nil }
            return clamp(seconds)
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        let interval = date.timeIntervalSince(now)
        return interval.isNaN ? nil : clamp(interval)
    }

    /// `seconds` within [0, ``maximum``]; NaN becomes 0.
    static func clamp(_ seconds: Double) -> Double {
        guard seconds.isFinite else { return seconds > 0 ? maximum : 0 }
        return min(maximum, max(0, seconds))
    }
}
