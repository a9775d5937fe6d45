/// Why the config file could not be read, written or used.
public enum ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A config file named by `--config` or `$TIDEPOOL_CONFIG` does not exist.
    case notFound(path: String, source: ConfigPaths.ConfigSource)
    /// The file exists but cannot be read.
    case unreadable(path: String, reason: String)
    /// The file has errors; every one is listed.
    case invalid(path: String, issues: [ConfigIssue])
    /// `config init` would overwrite an existing file.
    case alreadyExists(path: String)
    /// The template could not be written.
    case cannotWrite(path: String, reason: String)

    /// A message naming the file and what to do.
    public var description: String {
        switch self {
        case .notFound(let path, let source):
            "config file \(path) (from \(source.rawValue)) does not exist; "
                + "create one with 'tidepool config init --config \(path)' or fix the path"
        case .unreadable(let path, let reason):
            "cannot read config file \(path): \(reason)"
        case .invalid(let path, let issues):
            (["config file \(path) has \(issues.count) error\(issues.count == 1 ? "" : "s"):"]
                + issues.map { "  " + $0.description }).joined(separator: "\n")
        case .alreadyExists(let path):
            "\(path) already exists; pass --force to overwrite it"
        case .cannotWrite(let path, let reason):
            "cannot write \(path): \(reason)"
        }
    }
}
