/// What the chat loop needs from a terminal, so the loop runs the same over ncurses
/// (`CursesTerminal`) and over ``MemoryTerminal`` in tests (ratatui's `TestBackend`).
/// Implementations are not thread-safe: one thread (the UI thread) uses them; other threads
/// only call the wake-up they hand out.
public protocol TerminalBackend: AnyObject {
    /// The size in cells.
    var size: (width: Int, height: Int) { get }
    /// The colour depth themes are resolved for.
    var colorMode: ColorMode { get }
    /// Shows `screen` (painting only what changed) and places the cursor (nil hides it).
    func present(_ screen: Screen, cursor: (x: Int, y: Int)?)
    /// Forgets what is shown, so the next `present` repaints everything.
    func invalidate()
    /// Waits for keys or a wake-up at most `timeoutMilliseconds` (-1: no limit) and returns the
    /// keys (possibly none).
    func nextInput(timeoutMilliseconds: Int32) -> [Key]
    /// The same with a timeout in nanoseconds (negative: no limit), for a wait that ends when a
    /// frame is due rather than at the next whole millisecond. By default rounded up to
    /// milliseconds.
    func nextInput(timeoutNanoseconds: Int64) -> [Key]
    /// Writes a control sequence after the current frame (OSC 52 clipboard).
    func sendControl(_ sequence: String)
    /// Hands the terminal to the program `arguments` (an `$EDITOR`) in the terminal's
    /// foreground, waits for it, takes the terminal back; returns its exit status (-1 when it
    /// could not start).
    func runInForeground(_ arguments: [String]) -> Int32
}

extension TerminalBackend {
    public func nextInput(timeoutNanoseconds: Int64) -> [Key] {
        nextInput(timeoutMilliseconds: timeoutNanoseconds < 0
            ? -1 : Int32(min(1_000, (timeoutNanoseconds + 999_999) / 1_000_000)))
    }
}
