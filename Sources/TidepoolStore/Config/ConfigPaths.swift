/// Where Tidepool keeps its files, resolved from an environment dictionary so tests can
/// inject one instead of touching the real home directory.
///
/// The rules follow the XDG base directory convention: the config file comes from
/// `--config FILE`, else `$TIDEPOOL_CONFIG`, else `$XDG_CONFIG_HOME/tidepool/config.toml`
/// (default `~/.config/tidepool/config.toml`); data (the history database) lives in
/// `$XDG_DATA_HOME/tidepool` (default `~/.local/share/tidepool`) and state (logs) in
/// `$XDG_STATE_HOME/tidepool` (default `~/.local/state/tidepool`).
public struct ConfigPaths: Sendable, Equatable {
    /// Which rule chose the config file, so error messages and `tidepool config path` can
    /// say why that file was read.
    public enum ConfigSource: String, Sendable, Equatable {
        /// `--config FILE` on the command line.
        case commandLine = "--config"
        /// The `TIDEPOOL_CONFIG` environment variable.
        case environment = "$TIDEPOOL_CONFIG"
        /// The XDG default location.
        case xdgDefault = "default location"
    }

    /// The config file to read (it may not exist: then built-in defaults apply).
    public var configFile: String
    /// Which rule chose ``configFile``.
    public var configSource: ConfigSource
    /// The directory for persistent data such as the history database.
    public var dataDirectory: String
    /// The directory for state such as log files.
    public var stateDirectory: String
    /// The user's home directory, used to expand `~` in paths written in the config file.
    public var homeDirectory: String

    /// The history database inside ``dataDirectory``.
    public var historyDatabase: String { dataDirectory + "/history.sqlite" }
    /// The log file inside ``stateDirectory``.
    public var logFile: String { stateDirectory + "/tidepool.log" }
    /// The directory holding the config file; user themes are looked up in its `themes/`.
    public var configDirectory: String { Self.parentDirectory(of: configFile) }

    /// Resolves every path from `environment` (normally `ProcessInfo.processInfo.environment`)
    /// and the `--config` argument, if one was given.
    public init(environment: [String: String], commandLineConfig: String? = nil) {
        let home = Self.nonEmpty(environment["HOME"]) ?? "/"
        homeDirectory = home
        func xdg(_ name: String, default relative: String) -> String {
            // XDG says relative paths in these variables are invalid and must be ignored.
            if let value = Self.nonEmpty(environment[name]), value.hasPrefix("/") {
                return Self.trimmingTrailingSlash(value)
            }
            return Self.trimmingTrailingSlash(home) + "/" + relative
        }
        if let explicit = Self.nonEmpty(commandLineConfig) {
            configFile = Self.expandingTilde(explicit, home: home)
            configSource = .commandLine
        } else if let fromEnvironment = Self.nonEmpty(environment["TIDEPOOL_CONFIG"]) {
            configFile = Self.expandingTilde(fromEnvironment, home: home)
            configSource = .environment
        } else {
            configFile = xdg("XDG_CONFIG_HOME", default: ".config") + "/tidepool/config.toml"
            configSource = .xdgDefault
        }
        dataDirectory = xdg("XDG_DATA_HOME", default: ".local/share") + "/tidepool"
        stateDirectory = xdg("XDG_STATE_HOME", default: ".local/state") + "/tidepool"
    }

    /// Expands a leading `~/` (or a lone `~`) to `home`; other paths are returned unchanged.
    public static func expandingTilde(_ path: String, home: String) -> String {
        if path == "~" { return home }
        if path.hasPrefix("~/") { return trimmingTrailingSlash(home) + String(path.dropFirst()) }
        return path
    }

    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }

    private static func trimmingTrailingSlash(_ path: String) -> String {
        var path = path
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        return path
    }
}
