import Foundation

/// Process-wide figures the fault matrix and the soak check: open descriptors and resident memory.
public enum ProcessFigures {
    /// Open file descriptors of this process (entries of /proc/self/fd, minus the one
    /// the listing itself holds open).
    public static func openDescriptors() -> Int {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return entries.count - 1
    }

    /// Resident set size in bytes (/proc/self/statm, second field, in pages), after giving
    /// free heap pages back to the system: the 4-5 MiB buffers of big faults, freed on four
    /// threads' malloc arenas, would otherwise count as growth though nothing holds them.
    public static func residentBytes() -> Int {
        trimHeap()
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// glibc's `malloc_trim(0)`, looked up at run time (its header is not part of the Glibc module).
    private static func trimHeap() {
        typealias Trim = @convention(c) (Int) -> Int32
        guard let symbol = dlsym(nil, "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: Trim.self)(0)
    }

    /// Waits until `openDescriptors()` is back to at most `baseline` (connections close on the
    /// network thread a moment after the stream reports its end), at most `seconds`; returns the
    /// last count. "At most": in a test process shared with other suites, a descriptor another
    /// test left closing in the background may close meanwhile and lower the count; a leak can
    /// only raise it.
    public static func waitForDescriptors(_ baseline: Int, seconds: Double = 10) -> Int {
        let deadline = Date().addingTimeInterval(seconds)
        var count = openDescriptors()
        while count > baseline && Date() < deadline {
            usleep(10_000)
            count = openDescriptors()
        }
        return count
    }
}
