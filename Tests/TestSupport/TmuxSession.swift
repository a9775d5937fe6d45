import Foundation

/// A program running inside a detached tmux session on a private tmux server, driven like a
/// person would: keys in (`send-keys`), screen text out (`capture-pane`). Each session has
/// its own server socket so tests never touch a user's tmux.
public final class TmuxSession: @unchecked Sendable {
    /// Why the session could not start.
    public enum Failure: Error, CustomStringConvertible {
        case notInstalled
        case didNotStart(String)

        public var description: String {
            switch self {
            case .notInstalled: "tmux is not installed; install it with `apt-get install -y tmux`"
            case .didNotStart(let output): "tmux did not start the session: \(output)"
            }
        }
    }

    private let socket: String
    private let name = "t"
    private var stopped = false

    /// Starts `shellCommand` (run by `sh -c`) in a `width` x `height` window with `environment`
    /// added to tmux's own.
    public init(shellCommand: String, width: Int = 160, height: Int = 45, environment: [String: String] = [:]) throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") else { throw Failure.notInstalled }
        socket = "tidepool-test-\(getpid())-\(UUID().uuidString.prefix(8))"
        var arguments = ["new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)"]
        for (key, value) in environment.sorted(by: { $0.key < $1.key }) { arguments += ["-e", "\(key)=\(value)"] }
        arguments.append(shellCommand)
        let (status, output) = tmux(arguments)
        guard status == 0 else { throw Failure.didNotStart(output) }
    }

    deinit { stop() }

    /// Sends tmux key names (`Enter`, `C-b`, `F1`, `Up`, ...).
    public func press(_ keys: String...) {
        _ = tmux(["send-keys", "-t", name] + keys)
    }

    /// Types `text` literally.
    public func type(_ text: String) {
        _ = tmux(["send-keys", "-t", name, "-l", text])
    }

    /// The visible screen as text, one line per row.
    public func capture() -> String {
        tmux(["capture-pane", "-p", "-t", name]).output
    }

    /// Waits until `condition` holds for the captured screen, up to `timeout` seconds; returns
    /// the last capture either way.
    @discardableResult
    public func wait(timeout: Double = 10, until condition: (String) -> Bool) -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = capture()
        while !condition(screen) && Date() < deadline {
            usleep(50_000)
            screen = capture()
        }
        return screen
    }

    /// Resizes the window.
    public func resize(width: Int, height: Int) {
        _ = tmux(["resize-window", "-t", name, "-x", "\(width)", "-y", "\(height)"])
    }

    /// True while the session's program runs.
    public var isRunning: Bool { tmux(["has-session", "-t", name]).status == 0 }

    /// Ends the session and its tmux server. Idempotent.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        _ = tmux(["kill-server"])
    }

    /// Runs tmux with `arguments` and waits for it. Spawned with posix_spawn and reaped with
    /// waitpid: the tmux client forks the server, and Foundation's Process did not always
    /// notice the client exit. Output goes through a file, not a pipe, because the server
    /// would inherit a pipe's write end and reading to the end would never finish.
    @discardableResult
    private func tmux(_ arguments: [String]) -> (status: Int32, output: String) {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-\(UUID().uuidString).out").path
        defer { unlink(outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ["tmux", "-L", socket, "-f", "/dev/null"] + arguments
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/usr/bin/tmux", &actions, nil, &cArguments, environ) == 0 else {
            return (-1, "cannot run /usr/bin/tmux")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let exited = (status & 0x7f) == 0
        return (exited ? (status >> 8) & 0xff : -1, output)
    }
}
