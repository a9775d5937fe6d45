import Foundation
import Synchronization
import TidepoolTUI

/// Unbuffered writes to standard output and error. `print` is fully buffered when stdout is
/// not a terminal, which would hold a streamed answer back until the end; and FileHandle's
/// `write` traps when the reader has gone (`tidepool ask ... | head`), so this writes with
/// `write(2)` and treats a closed pipe as the reader being done.
///
/// What Tidepool prints outside the chat screen (answers, stored history, server errors,
/// model names a server listed) is as untrusted as what the screen shows: a model could set
/// the window title, clear the screen or write the clipboard (OSC 52). So each stream that is
/// a terminal passes through the project's ``TerminalSanitizer`` (one per stream, so a
/// sequence split across two writes of a streamed answer is still caught); a stream piped to
/// a file or a program gets the exact bytes.
public struct TerminalOutput: Sendable {
    private let standardOutput: Filter?
    private let standardError: Filter?

    /// Sanitises each of standard output and error that is a terminal.
    public init() {
        self.init(sanitizingOutput: isatty(STDOUT_FILENO) != 0, sanitizingError: isatty(STDERR_FILENO) != 0)
    }

    /// Sanitises the streams named; the others get exact bytes.
    public init(sanitizingOutput: Bool, sanitizingError: Bool) {
        standardOutput = sanitizingOutput ? Filter() : nil
        standardError = sanitizingError ? Filter() : nil
    }

    /// Writes `text` to standard output at once; ends the process quietly if nobody reads.
    public func write(_ text: String) {
        if !Self.writeAll(standardOutput?.pass(text) ?? text, to: STDOUT_FILENO) { exit(0) }
    }

    /// Writes `text` and a newline to standard output.
    public func line(_ text: String) {
        write(text + "\n")
    }

    /// Writes `text` to standard error at once (ignoring a closed stream).
    public func writeError(_ text: String) {
        _ = Self.writeAll(standardError?.pass(text) ?? text, to: STDERR_FILENO)
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

    /// One stream's sanitiser; its parser state carries over from write to write.
    private final class Filter: Sendable {
        private let sanitizer = Mutex(TerminalSanitizer())

        func pass(_ text: String) -> String {
            sanitizer.withLock { $0.sanitize(text) }
        }
    }
}
