import TidepoolPool

#if canImport(Glibc)
import Glibc
#endif

extension PoolPanelView {
    /// The auto-sized limit of a pool and its last move: `limit 3 ↓ 429 14:02:11` (requests
    /// admitted at once, which way it last moved, why, at what local time), or
    /// `limit 16 auto` before any move. Nil for a pool whose limit is fixed.
    static func autoSizeLine(_ pool: PoolStats, theme: Theme) -> StyledLine? {
        guard pool.autoSized else { return nil }
        var line = StyledLine()
        line.append("limit ", style: theme[.panelLabel])
        line.append("\(pool.admissionLimit)", style: theme[.panelValue])
        guard let change = pool.lastLimitChange else {
            line.append(" auto", style: theme[.dim])
            return line
        }
        line.append(" " + change.direction.arrow + " " + change.reason.rawValue,
                    style: theme[change.direction == .down ? .warning : .panelValue])
        line.append(" " + timeOfDay(change.at), style: theme[.dim])
        return line
    }

    /// `HH:MM:SS` in local time for seconds since 1970.
    static func timeOfDay(_ seconds: Double) -> String {
        var time = time_t(seconds.isFinite ? max(0, min(seconds, 4e12)) : 0)
        var parts = tm()
        localtime_r(&time, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return two(parts.tm_hour) + ":" + two(parts.tm_min) + ":" + two(parts.tm_sec)
    }
}
