import Foundation

extension TmuxSession {
    /// The debug `tidepool` this package built, found by walking up from this file to `.build`.
    public static var tidepoolBinary: String {
        var directory = URL(fileURLWithPath: #filePath)
        while directory.path != "/" {
            directory.deleteLastPathComponent()
            let candidate = directory.appendingPathComponent(".build/debug/tidepool")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate.path }
        }
        return ".build/debug/tidepool"
    }

    /// `tidepool ARGUMENTS` run by a shell in tmux, with `HOME` and the XDG folders inside
    /// `home`, so no test reads the user's config or history.
    ///
    /// When tidepool ends, the shell says on ONE line how it ended and whether the terminal is
    /// back in canonical mode (`stty -a` says `icanon`, or `-icanon` when left raw):
    /// `TIDEPOOL-EXITED-<status> MODE:<icanon|-icanon>`, then waits. A test that sees the
    /// marker sees the mode too.
    /// - Parameters:
    ///   - directory: where the shell starts (relative `@path` attachments resolve there).
    ///   - editor: `$EDITOR` and `$VISUAL`.
    public static func tidepool(
        _ arguments: String, home: String, in directory: String? = nil, width: Int = 160, height: Int = 45,
        editor: String? = nil
    ) throws -> TmuxSession {
        let start = directory.map { "cd '\($0)' && " } ?? ""
        let command = "\(start)\(tidepoolBinary) \(arguments); status=$?; "
            + "echo TIDEPOOL-EXITED-$status MODE:$(stty -a | grep -o -- '-*icanon'); exec sh"
        var environment = [
            "HOME": home, "XDG_CONFIG_HOME": home + "/config", "XDG_DATA_HOME": home + "/data",
            "XDG_STATE_HOME": home + "/state", "TERM": "xterm-256color", "LANG": "C.UTF-8",
        ]
        if let editor {
            environment["EDITOR"] = editor
            environment["VISUAL"] = editor
        }
        return try TmuxSession(shellCommand: command, width: width, height: height, environment: environment)
    }
}
