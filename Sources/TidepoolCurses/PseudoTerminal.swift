import CCursesShim

#if canImport(Glibc)
import Glibc
#endif

/// A pseudo-terminal pair (`openpty`), so a benchmark or a test can run the real curses
/// backend without a terminal: ``CursesTerminal`` paints into `secondary`, the owner reads
/// (and discards) what arrives on `primary`. Close it with ``close()``.
public struct PseudoTerminal: Sendable {
    /// The side a terminal emulator would read.
    public let primary: Int32
    /// The side the application uses as its terminal.
    public let secondary: Int32

    /// Opens a pair sized `columns` x `rows`.
    public init(rows: Int, columns: Int) throws(CursesError) {
        var primary: Int32 = -1
        var secondary: Int32 = -1
        guard tp_openpty(&primary, &secondary, Int32(rows), Int32(columns)) == 0 else { throw .ptyFailed(errno: errno) }
        self.primary = primary
        self.secondary = secondary
    }

    /// Closes both ends.
    public func close() {
        _ = Glibc.close(primary)
        _ = Glibc.close(secondary)
    }
}
