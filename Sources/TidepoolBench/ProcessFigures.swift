import Foundation

/// Process-wide figures the fault matrix and the soak check: open descriptors and resident memory.
public enum ProcessFigures {
    /// Open file descriptors of this process (entries of /proc/self/fd, minus the one
    /// the listing itself holds open).
    public static func openDescriptors() -> Int {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return entries.count - 1
    }

    /// Resident set size in bytes (``ProcessMemory``'s `VmRSS`), after giving free heap pages
    /// back to the system: the test process that runs the soak does not apply Tidepool's
    /// `MemoryReturnPolicy`, so freed 4-5 MiB buffers of big faults on four threads' malloc
    /// arenas would otherwise count as growth though nothing holds them.
    public static func residentBytes() -> Int {
        trimHeap()
        return ProcessMemory.residentKilobytes * 1024
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
