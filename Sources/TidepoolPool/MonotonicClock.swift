#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Nanoseconds on the monotonic clock, the one time base for every duration the pool
/// measures (queue waits, deadlines, idle expiry). Wall-clock jumps never distort them.
///
/// Durations come from outside (config files, command lines, servers), so every conversion
/// saturates instead of trapping: a negative duration is zero, and one too long to represent
/// (`1e300`, `.infinity`) is "never" (`UInt64.max`), as is NaN (a limit that is no number
/// limits nothing; config checking is where it gets reported).
enum MonotonicClock {
    /// Now, in nanoseconds since an arbitrary fixed point.
    static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        let (seconds, overflow) = UInt64(max(0, spec.tv_sec)).multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : seconds &+ UInt64(max(0, spec.tv_nsec))
    }

    /// Seconds between two readings (zero if `end` is before `start`).
    static func seconds(from start: UInt64, to end: UInt64) -> Double {
        end > start ? Double(end - start) / 1e9 : 0
    }

    /// `seconds` in nanoseconds: zero for negative, `UInt64.max` when too long or NaN.
    static func nanoseconds(_ seconds: Double) -> UInt64 {
        if seconds.isNaN { return .max }
        guard seconds > 0 else { return 0 }
        let nanos = seconds * 1e9
        // Double(UInt64.max) rounds up to 2^64, which UInt64 cannot hold: compare with >=.
        return nanos >= Double(UInt64.max) ? .max : UInt64(nanos)
    }

    /// A reading `seconds` after `start`, `UInt64.max` (never) if that is past the clock's end.
    static func adding(_ seconds: Double, to start: UInt64) -> UInt64 {
        let (sum, overflow) = start.addingReportingOverflow(nanoseconds(seconds))
        return overflow ? .max : sum
    }
}
