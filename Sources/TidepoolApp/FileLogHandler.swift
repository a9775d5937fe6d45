import Foundation
import Logging

/// A swift-log handler that appends one line per message to a file: while the chat screen is
/// open nothing may write to the terminal, so logs go to `$XDG_STATE_HOME/tidepool/tidepool.log`.
///
/// Lines are `2025-01-31T12:00:00.123Z debug tidepool.pool: opened pool pool=... origin=...`.
/// The file is opened with `O_APPEND`, so each line is written in one `write(2)` and lines
/// from several threads (or processes) never interleave.
struct FileLogHandler: LogHandler {
    /// The open file, shared by every logger the factory makes.
    final class Sink: Sendable {
        let descriptor: Int32

        /// Opens (creating with mode 0600) `path` for appending, creating its directory.
        init(path: String) throws {
            let directory = (path as NSString).deletingLastPathComponent
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
            if descriptor < 0 {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
            }
        }

        deinit { close(descriptor) }

        func append(_ line: String) {
            var bytes = Array(line.utf8)
            bytes.append(UInt8(ascii: "\n"))
            _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        }
    }

    let label: String
    let sink: Sink
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        if let extra = event.metadata { all.merge(extra) { $1 } }
        var line = "\(Self.timestamp()) \(event.level) \(label): \(event.message)"
        for key in all.keys.sorted() { line += " \(key)=\(all[key]!)" }
        sink.append(line)
    }

    private static func timestamp() -> String {
        Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
