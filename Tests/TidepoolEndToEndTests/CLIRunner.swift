import Foundation
import XCTest

/// Runs the built `tidepool` binary as a child process with its home, config, data and state
/// directories inside a fresh temporary directory, so nothing touches the real user's files.
struct CLIRunner {
    /// What one run printed and how it ended.
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The temporary home; removed by ``cleanUp()``.
    let home: String
    /// Extra environment variables for every run.
    var environment: [String: String] = [:]

    init() throws {
        home = NSTemporaryDirectory() + "tidepool-e2e-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    }

    var configFile: String { home + "/config/tidepool/config.toml" }
    var historyDatabase: String { home + "/data/tidepool/history.sqlite" }
    var logFile: String { home + "/state/tidepool/tidepool.log" }

    /// The `tidepool` executable beside the test bundle (both live in `.build/debug/`).
    static func executable() throws -> URL {
        let bundle = Bundle(for: CLIRunnerAnchor.self).bundleURL
        let candidates = [
            bundle.deletingLastPathComponent().appendingPathComponent("tidepool"),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("tidepool"),
        ]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw XCTSkip("the tidepool executable was not built next to the tests; run `swift build` first")
        }
        return found
    }

    /// Runs `tidepool arguments...` and waits for it (at most `timeout` seconds, then kills it
    /// and fails the test).
    func run(_ arguments: [String], timeout: TimeInterval = 20,
             file: StaticString = #filePath, line: UInt = #line) throws -> Result {
        let outPath = home + "/stdout-\(UUID().uuidString)"
        let errPath = home + "/stderr-\(UUID().uuidString)"
        let process = try start(arguments, stdout: outPath, stderr: errPath)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            XCTFail("tidepool \(arguments.joined(separator: " ")) did not finish in \(timeout) s", file: file, line: line)
        }
        process.waitUntilExit()
        let stdout = String(decoding: FileManager.default.contents(atPath: outPath) ?? Data(), as: UTF8.self)
        let stderr = String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self)
        try? FileManager.default.removeItem(atPath: outPath)
        try? FileManager.default.removeItem(atPath: errPath)
        return Result(status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }

    /// Starts `tidepool arguments...` without waiting, its output going to the given files
    /// (or discarded).
    func start(_ arguments: [String], stdout outPath: String? = nil, stderr errPath: String? = nil) throws -> Process {
        try start(arguments, standardOutput: Self.output(outPath), standardError: Self.output(errPath))
    }

    /// Starts `tidepool arguments...` without waiting, writing to the given handles.
    func start(_ arguments: [String], standardOutput: FileHandle, standardError: FileHandle) throws -> Process {
        let process = Process()
        process.executableURL = try Self.executable()
        process.arguments = arguments
        var environment = ["HOME": home, "XDG_CONFIG_HOME": home + "/config", "XDG_DATA_HOME": home + "/data",
                           "XDG_STATE_HOME": home + "/state", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
        environment.merge(self.environment) { $1 }
        process.environment = environment
        process.standardOutput = standardOutput
        process.standardError = standardError
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    private static func output(_ path: String?) throws -> FileHandle {
        guard let path else { return FileHandle.nullDevice }
        FileManager.default.createFile(atPath: path, contents: nil)
        return try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    }

    /// Writes `text` as the config file.
    func writeConfig(_ text: String) throws {
        try FileManager.default.createDirectory(
            atPath: (configFile as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: configFile))
    }

    func cleanUp() {
        try? FileManager.default.removeItem(atPath: home)
    }
}

/// A class to find the test bundle by.
final class CLIRunnerAnchor {}
