#if canImport(Glibc)
import Glibc
#endif

/// Wakes the UI thread's `poll` from any thread by writing one byte to a non-blocking pipe.
/// The only thing other threads may call on the terminal side: ncurses is not thread-safe.
public final class UIWaker: Sendable {
    let readFD: Int32
    let writeFD: Int32

    init(readFD: Int32, writeFD: Int32) {
        self.readFD = readFD
        self.writeFD = writeFD
    }

    /// Makes the UI loop's next (or current) wait return. Safe from any thread; a full pipe
    /// means a wake-up is already pending, so the error is ignored.
    public func wake() {
        var byte: UInt8 = 1
        _ = write(writeFD, &byte, 1)
    }

    /// Reads all pending wake-up bytes.
    func drain() {
        var buffer = [UInt8](repeating: 0, count: 256)
        while read(readFD, &buffer, buffer.count) > 0 {}
    }

    deinit {
        close(readFD)
        close(writeFD)
    }
}
