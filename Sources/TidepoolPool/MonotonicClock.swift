#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Nanoseconds on the monotonic clock, the one time base for every duration the pool
/// measures (queue waits, deadlines, idle expiry). Wall-clock jumps never distort them.
enum MonotonicClock {
    /// Now, in nanoseconds since an arbitrary fixed point.
    static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }

    /// Seconds between two readings (zero if `end` is before `start`).
    static func seconds(from start: UInt64, to end: UInt64) -> Double {
        end > start ? Double(end - start) / 1e9 : 0
    }

    /// A reading `seconds` after `start`.
    static func adding(_ seconds: Double, to start: UInt64) -> UInt64 {
        start &+ UInt64(max(0, seconds) * 1e9)
    }
}
