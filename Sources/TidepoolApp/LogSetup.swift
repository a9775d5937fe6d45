import Foundation
import Logging
import TidepoolStore

/// Process-wide logging: every `Logger` (the pool's, the providers', the commands') writes to
/// the log file under the state directory, never to the screen. Called once at the start of
/// each command's `run`, before anything creates a logger.
public enum LogSetup {
    /// Bootstraps swift-log with a ``FileLogHandler`` on `paths.logFile`: `info` and above, or
    /// `debug` and above (per-request timings) with `--debug`. When the file cannot be opened,
    /// logging is switched off rather than falling back to the terminal.
    public static func bootstrap(paths: ConfigPaths, debug: Bool) {
        let level: Logger.Level = debug ? .debug : .info
        let sink = try? FileLogHandler.Sink(path: paths.logFile)
        LoggingSystem.bootstrap { label in
            guard let sink else { return SwiftLogNoOpLogHandler() }
            return FileLogHandler(label: label, sink: sink, logLevel: level)
        }
    }
}
