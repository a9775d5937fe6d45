import CCursesShim
import TidepoolTUI

#if canImport(Glibc)
import Glibc
#endif

/// Owns ncurses: the screen, colours, input. Intentionally not thread-safe: create, use and
/// restore it on one thread (the UI thread); other threads only call `waker.wake()`.
///
/// `present` paints only the cells that changed since the last presented `Screen`. `restore`
/// (idempotent) puts the terminal back; call it on every exit path (also run by `deinit`).
public final class CursesTerminal: TerminalBackend {
    /// Wakes `nextInput` from other threads.
    public let waker: UIWaker
    /// The colour depth in use (from the terminal's colour count and `NO_COLOR`).
    public private(set) var colorMode: ColorMode

    private let screenPointer: OpaquePointer?  // SCREEN * when created with newterm
    /// The FILE *s newterm reads and writes, over descriptors duplicated from the caller's;
    /// closed in `restore`.
    private let outputFile: UnsafeMutableRawPointer?
    private let inputFile: UnsafeMutableRawPointer?
    private let inputFD: Int32
    private let outputFD: Int32
    private var previous: Screen? = nil
    private var pairs: [ColorPairKey: Int16] = [:]
    private var restored = false
    private var decoder = KeyDecoder()
    private let output: (String) -> Void

    struct ColorPairKey: Hashable {
        var foreground: Int32
        var background: Int32
    }

    /// Takes over the process's terminal (stdin/stdout).
    public convenience init(environment: [String: String]) throws(CursesError) {
        try self.init(term: nil, inputFD: 0, outputFD: 1, environment: environment)
    }

    /// Takes over the terminal on the given file descriptors (`newterm`); tests pass a pty.
    /// - Parameter term: the terminfo name; nil uses `$TERM`.
    public init(term: String?, inputFD: Int32, outputFD: Int32, environment: [String: String]) throws(CursesError) {
        setlocale(LC_ALL, "")
        var fds: [Int32] = [0, 0]
        guard tp_pipe_nonblocking(&fds) == 0 else { throw .pipeFailed(errno: errno) }
        waker = UIWaker(readFD: fds[0], writeFD: fds[1])
        let termName = term ?? environment["TERM"] ?? "xterm"
        // Before curses changes the settings: a fatal signal puts these back.
        _ = tp_install_crash_restore(outputFD)
        tp_save_signal_dispositions()
        let out = tp_fdopen(dup(outputFD), "w")
        let inp = tp_fdopen(dup(inputFD), "r")
        guard let out, let inp, let screen = tp_newterm(termName, out, inp) else {
            _ = tp_fclose(out)
            _ = tp_fclose(inp)
            tp_remove_crash_restore()
            tp_restore_signal_dispositions()
            throw .cannotInitialize(term: termName)
        }
        outputFile = out
        inputFile = inp
        screenPointer = screen
        self.inputFD = inputFD
        self.outputFD = outputFD
        let writeFD = outputFD
        output = { text in
            var bytes = Array(text.utf8)
            _ = write(writeFD, &bytes, bytes.count)
        }
        raw()
        noecho()
        nonl()
        keypad(tp_stdscr(), true)
        nodelay(tp_stdscr(), true)
        set_escdelay(25)
        var mode = ColorMode.monochrome
        if has_colors() {
            start_color()
            use_default_colors()
            mode = ColorMode.detect(environment: environment, terminalColors: Int(tp_colors()))
        } else if let value = environment["NO_COLOR"], !value.isEmpty {
            mode = .monochrome
        }
        colorMode = mode
        _ = tp_enable_mouse_wheel()
        _ = tp_watch_resize(waker.writeFD)
        tp_no_typeahead()
        // newterm leaves the screen "initial" (SCREEN._endwin), and in that state ncurses
        // flushes its output after every cursor movement: one write(2) per move, about 70 per
        // frame with 8 panes, and the kernel's tty write was a seventh of the UI thread. A
        // screen that went through endwin and a refresh is "running" and writes each frame in
        // buffer-sized pieces. Done once here, before anything is drawn.
        endwin()
        wrefresh(tp_stdscr())
        fflush(nil)
        output("\u{1B}[?2004h")  // bracketed paste on
    }

    /// The terminal size in cells.
    public var size: (width: Int, height: Int) { (Int(tp_cols()), Int(tp_lines())) }

    /// Paints `screen`, touching only cells that differ from the last presented screen (all of
    /// them after a resize), then places the cursor (nil hides it).
    ///
    /// The comparison walks both grids in place (no list of changed runs is built): a changed
    /// cell is painted, and so is the head of a wide character whose continuation changed,
    /// the same cells ``Screen/diff(from:)`` names. Then one `doupdate` writes the frame.
    public func present(_ screen: Screen, cursor: (x: Int, y: Int)? = nil) {
        guard !restored else { return }
        let window = tp_stdscr()
        let sameSize = previous.map { $0.width == screen.width && $0.height == screen.height } ?? false
        if previous != nil && !sameSize { wclear(window) }
        let old = sameSize ? previous!.cells : []
        let width = screen.width
        var painter = CellPainter(window: window, terminal: self)
        screen.cells.withUnsafeBufferPointer { cells in
            old.withUnsafeBufferPointer { old in
                for row in 0..<screen.height {
                    let start = row * width
                    for column in 0..<width {
                        let index = start + column
                        let cell = cells[index]
                        if sameSize && cell == old[index] { continue }
                        if !cell.isContinuation {
                            painter.paint(cell, y: row, x: column)
                        } else if column > 0 && sameSize && cells[index - 1] == old[index - 1] {
                            // Only the second half changed: repaint the unchanged head, which
                            // covers both columns.
                            painter.paint(cells[index - 1], y: row, x: column - 1)
                        }
                        // Otherwise the head changed too and was painted, or (column 0, or a
                        // full repaint) there is no head to paint.
                    }
                }
            }
        }
        if let cursor, cursor.x >= 0, cursor.y >= 0, cursor.x < screen.width, cursor.y < screen.height {
            wmove(window, Int32(cursor.y), Int32(cursor.x))
            curs_set(1)
        } else {
            curs_set(0)
        }
        wnoutrefresh(window)
        doupdate()
        previous = screen
    }

    /// Hands cells to curses, converting a style to its curses form only when it changes
    /// from one painted cell to the next (neighbours nearly always share one).
    private struct CellPainter {
        let window: UnsafeMutablePointer<WINDOW>?
        unowned let terminal: CursesTerminal
        var lastStyle: Style?
        var attributes: attr_t = 0
        var pair: Int16 = 0
        /// The code points of a cluster of more than one, reused from cell to cell.
        var text: [wchar_t] = []

        init(window: UnsafeMutablePointer<WINDOW>?, terminal: CursesTerminal) {
            self.window = window
            self.terminal = terminal
        }

        mutating func paint(_ cell: Cell, y: Int, x: Int) {
            if cell.style != lastStyle {
                (attributes, pair) = terminal.attributesAndPair(for: cell.style)
                lastStyle = cell.style
            }
            // The bottom-right cell would scroll the screen on some terminals; ncurses
            // handles it, but a failure there must not abort the frame.
            if let scalar = cell.singleScalar {
                _ = tp_put_char(window, Int32(y), Int32(x), wchar_t(bitPattern: scalar), attributes, pair)
                return
            }
            text.removeAll(keepingCapacity: true)
            cell.withScalars { scalars in
                for scalar in scalars { text.append(wchar_t(bitPattern: scalar)) }
            }
            guard !text.isEmpty else {
                _ = tp_put_char(window, Int32(y), Int32(x), 0x20, attributes, pair)
                return
            }
            text.append(0)
            _ = tp_put_cluster(window, Int32(y), Int32(x), text, attributes, pair)
        }
    }

    /// Forgets what is on screen, so the next `present` repaints everything (after a resize or
    /// when something else wrote to the terminal).
    public func invalidate() {
        previous = nil
        wclear(tp_stdscr())
    }

    /// Waits for input or a wake-up, then returns the decoded keys (possibly none: a wake-up).
    /// Blocks without a timer when idle; with an escape sequence pending it waits at most
    /// 25 ms before deciding a lone ESC was the Escape key.
    /// - Parameter timeoutMilliseconds: -1 waits indefinitely (the idle case); the app passes
    ///   its frame deadline while streaming.
    public func nextInput(timeoutMilliseconds: Int32 = -1) -> [Key] {
        nextInput(timeoutNanoseconds: timeoutMilliseconds < 0 ? -1 : Int64(timeoutMilliseconds) * 1_000_000)
    }

    /// ``nextInput(timeoutMilliseconds:)`` with a timeout in nanoseconds (negative: none).
    public func nextInput(timeoutNanoseconds: Int64) -> [Key] {
        guard !restored else { return [] }
        var descriptors = [
            pollfd(fd: inputFD, events: Int16(POLLIN), revents: 0),
            pollfd(fd: waker.readFD, events: Int16(POLLIN), revents: 0),
        ]
        let escape: Int64 = 25_000_000
        let wait = decoder.hasPending ? (timeoutNanoseconds < 0 ? escape : min(escape, timeoutNanoseconds)) : timeoutNanoseconds
        let ready = tp_poll_ns(&descriptors, 2, wait)
        if descriptors[1].revents != 0 { waker.drain() }
        // Drain curses input even after EINTR: SIGWINCH interrupts poll and queues KEY_RESIZE.
        var keys: [Key] = []
        var got = false
        while true {
            var value: wint_t = 0
            let status = wget_wch(tp_stdscr(), &value)
            if status == ERR { break }
            got = true
            if status == tp_key_code_yes() {
                let code = Int32(value)
                if code == tp_key_mouse() {
                    keys += decoder.feed(.wheel(Int(tp_mouse_wheel_direction())))
                } else {
                    let name = keyname(code).map { String(cString: $0) }
                    keys += decoder.feed(.keyCode(code, name: name))
                }
            } else {
                keys += decoder.feed(.character(UInt32(value)))
            }
        }
        if !got && ready == 0 && decoder.hasPending { keys += decoder.flush() }
        if followTerminalSize() { keys.append(.resize) }
        return keys
    }

    /// Applies the terminal's real size (TIOCGWINSZ) when it differs from curses' idea of it;
    /// true when it changed. A resize wakes `nextInput` through the SIGWINCH self-pipe.
    private func followTerminalSize() -> Bool {
        var rows: Int32 = 0
        var columns: Int32 = 0
        guard tp_terminal_size(outputFD, &rows, &columns) == 0, rows > 0, columns > 0,
              rows != tp_lines() || columns != tp_cols() else { return false }
        resizeterm(rows, columns)
        invalidate()
        return true
    }

    /// Writes a control sequence straight to the terminal after the current frame, for what
    /// curses has no call for (OSC 52 clipboard, window title resets).
    public func sendControl(_ sequence: String) {
        guard !restored else { return }
        fflush(nil)
        output(sequence)
    }

    /// Hands the terminal to `body` (an external editor), then takes it back and repaints.
    public func suspend(_ body: () -> Void) {
        guard !restored else { return body() }
        output("\u{1B}[?2004l")
        endwin()
        body()
        output("\u{1B}[?2004h")
        invalidate()
        wrefresh(tp_stdscr())
    }

    /// Runs `arguments` in the terminal's foreground (see `tp_spawn_foreground`) with the
    /// terminal handed over, then repaints; returns the exit status (-1: could not start).
    public func runInForeground(_ arguments: [String]) -> Int32 {
        var status: Int32 = -1
        suspend {
            var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
            argv.append(nil)
            defer { for pointer in argv { free(pointer) } }
            status = tp_spawn_foreground(&argv)
        }
        return status
    }

    /// Gives the terminal back: bracketed paste off, `endwin`, the duplicated descriptors
    /// closed, SIGWINCH and the fatal signals back to their previous dispositions. Safe to
    /// call more than once.
    public func restore() {
        guard !restored else { return }
        restored = true
        output("\u{1B}[?2004l")
        endwin()
        if let screenPointer { delscreen(screenPointer) }
        _ = tp_fclose(outputFile)
        _ = tp_fclose(inputFile)
        tp_unwatch_resize()
        tp_restore_signal_dispositions()
        tp_remove_crash_restore()
    }

    deinit { restore() }

    // MARK: Colours

    fileprivate func attributesAndPair(for style: Style) -> (attr_t, Int16) {
        var attributes: attr_t = 0
        if style.attributes.contains(.bold) { attributes |= tp_attr_bold() }
        if style.attributes.contains(.dim) { attributes |= tp_attr_dim() }
        if style.attributes.contains(.italic) { attributes |= tp_attr_italic() }
        if style.attributes.contains(.underline) { attributes |= tp_attr_underline() }
        if style.attributes.contains(.reverse) { attributes |= tp_attr_reverse() }
        guard colorMode != .monochrome else { return (attributes, 0) }
        let key = ColorPairKey(foreground: colorNumber(style.foreground), background: colorNumber(style.background))
        if key.foreground == -1 && key.background == -1 { return (attributes, 0) }
        if let pair = pairs[key] { return (attributes, pair) }
        let next = pairs.count + 1
        guard next < min(Int(tp_color_pairs()), Int(Int16.max)) else { return (attributes, 0) }
        _ = tp_init_pair(Int32(next), key.foreground, key.background)
        pairs[key] = Int16(next)
        return (attributes, Int16(next))
    }

    private func colorNumber(_ color: TerminalColor) -> Int32 {
        switch colorMode {
        case .monochrome: return -1
        case .xterm256:
            switch color {
            case .default: return -1
            case .ansi(let n): return Int32(n & 7)
            case .indexed(let i): return Int32(i)
            }
        case .ansi8:
            switch XTermPalette.nearestBasic(color) {
            case .ansi(let n): return Int32(n & 7)
            default: return -1
            }
        }
    }
}
