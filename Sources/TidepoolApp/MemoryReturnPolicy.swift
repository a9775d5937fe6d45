import CMallocShim

/// Makes freed large buffers go back to the system at once.
///
/// glibc raises its mmap threshold each time a mapped block is freed, up to 32 MiB, so after one
/// hostile server sent a 4 MiB line (refused at the line cap, its buffer freed), every later
/// buffer of that size comes from a per-thread arena that keeps the memory: `tidepool bench
/// faults --requests 600` grew 24% in resident memory between its 100th and last request.
/// A fixed threshold switches the sliding one off; the same run then grows under 1%. Blocks this
/// large are rare in Tidepool (long answers, refused lines), so their map and unmap costs nothing
/// that shows.
public enum MemoryReturnPolicy {
    /// The size from which a block gets its own mapping: glibc's default starting threshold
    /// doubled, well above any per-chunk buffer.
    public static let mappedBlockThreshold = 256 * 1024

    /// Applies the policy once, at process start; returns false where the C library refused.
    @discardableResult
    public static func apply() -> Bool {
        tp_malloc_fix_mmap_threshold(Int32(mappedBlockThreshold)) == 1
    }
}
