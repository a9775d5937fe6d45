import Foundation

/// Unbuffered writes to standard output and error. `print` is fully buffered when stdout is
/// not a terminal, which would hold a streamed answer back until the end; and FileHandle's
/// `write` traps when the reader has gone (`tidepool ask ... | head`), so this writes with
/// `write(2)` and treats a closed pipe as the reader being done.
public struct TerminalOutput: Sendable {
    /// Writes to the process's standard output and error.
    public init() {}

    /// Writes `text` to standard output at once; ends the process quietly if nobody reads.
    public func write(_ text: String) {
        if !Self.writeAll(text, to: STDOUT_FILENO) { exit(0) }
    }

    /// Writes `text` and a newline to standard output.
    public func line(_ text: String) {
        write(text + "\n")
    }

    /// Writes `text` to standard error at once (ignoring a closed stream).
    public func writeError(_ text: String) {
        _ = Self.writeAll(text, to: STDERR_FILENO)
    }

    /// False when the other end is closed.
    private static func writeAll(_ text: String, to descriptor: Int32) -> Bool {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            bytes = bytes.dropFirst(written)
        }
        return true
    }
}
