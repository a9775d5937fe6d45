import Foundation

/// Wall-clock stamps in the forms the servers use.
enum SimTimestamp {
    /// RFC 3339 in UTC with nanoseconds, as Ollama's `created_at`.
    static func rfc3339(_ date: Date) -> String {
        let interval = date.timeIntervalSince1970
        let seconds = Int(interval.rounded(.down))
        let nanos = Int(((interval - Double(seconds)) * 1e9).rounded(.down))
        var days = seconds / 86_400
        var rest = seconds % 86_400
        if rest < 0 { rest += 86_400; days -= 1 }
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(rest / 3600, 2)):"
            + "\(pad(rest % 3600 / 60, 2)):\(pad(rest % 60, 2)).\(pad(nanos, 9))Z"
    }

    /// Unix seconds, as OpenAI's `created`.
    static func unixSeconds(_ date: Date) -> Int {
        Int(date.timeIntervalSince1970)
    }
}
