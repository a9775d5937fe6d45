import Foundation

/// An in-memory ``TerminalBackend`` for tests: keys come from a script, frames are kept, control
/// sequences and foreground programs are recorded. Like ratatui's `TestBackend`, it lets the
/// chat loop itself run without a terminal.
public final class MemoryTerminal: TerminalBackend {
    public var size: (width: Int, height: Int)
    public var colorMode: ColorMode
    /// Batches of keys, one batch per `nextInput` call, returned at once.
    public var script: [[Key]] = []
    /// Called by `nextInput` when the script is empty and the caller would sleep with no
    /// timeout (nothing left to draw or refresh: the loop is idle, its last frame presented);
    /// its keys are returned. The default quits with Ctrl-Q.
    public var onIdle: (_ terminal: MemoryTerminal) -> [Key] = { _ in [.control("q")] }
    /// Every presented frame, oldest first.
    public private(set) var frames: [Screen] = []
    /// The cursor of the last frame.
    public private(set) var cursor: (x: Int, y: Int)?
    /// Control sequences written, in order.
    public private(set) var controls: [String] = []
    /// Programs run in the foreground, in order.
    public private(set) var ranInForeground: [[String]] = []
    /// Stands in for a foreground program: gets its arguments, returns its exit status.
    public var foregroundProgram: ([String]) -> Int32 = { _ in 0 }
    /// How many times the screen was invalidated.
    public private(set) var invalidations = 0

    /// A terminal of this size.
    public init(width: Int, height: Int, colorMode: ColorMode = .monochrome) {
        size = (width, height)
        self.colorMode = colorMode
    }

    /// The last frame presented.
    public var lastFrame: Screen? { frames.last }

    public func present(_ screen: Screen, cursor: (x: Int, y: Int)?) {
        frames.append(screen)
        self.cursor = cursor
    }

    public func invalidate() { invalidations += 1 }

    public func nextInput(timeoutMilliseconds: Int32) -> [Key] {
        if !script.isEmpty { return script.removeFirst() }
        if timeoutMilliseconds >= 0 {
            // As `poll` would: wait out the timeout (a frame or a stats refresh is due).
            usleep(useconds_t(timeoutMilliseconds) * 1000)
            return []
        }
        return onIdle(self)
    }

    public func sendControl(_ sequence: String) { controls.append(sequence) }

    public func runInForeground(_ arguments: [String]) -> Int32 {
        ranInForeground.append(arguments)
        return foregroundProgram(arguments)
    }
}
