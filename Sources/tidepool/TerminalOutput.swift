import Foundation

/// Unbuffered writes to standard output and error. `print` is fully buffered when stdout is
/// not a terminal, which would hold a streamed answer back until the end.
struct TerminalOutput: Sendable {
    /// Writes `text` to standard output at once.
    func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Writes `text` and a newline to standard output.
    func line(_ text: String) {
        write(text + "\n")
    }

    /// Writes `text` to standard error at once.
    func writeError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
