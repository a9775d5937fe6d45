/// The outcome of validating a config file: the configuration built from every part that
/// was valid, and every issue found.
public struct ConfigValidation: Sendable, Equatable {
    /// The configuration with valid settings applied and defaults elsewhere. When
    /// ``hasErrors`` is true it is a best effort and should not be used to start a chat.
    public var config: TidepoolConfig
    /// Every issue, sorted by line.
    public var issues: [ConfigIssue]

    /// Creates a validation result.
    public init(config: TidepoolConfig, issues: [ConfigIssue]) {
        self.config = config
        self.issues = issues
    }

    /// Issues that make the file unusable.
    public var errors: [ConfigIssue] { issues.filter { $0.severity == .error } }
    /// Issues worth showing that do not stop Tidepool.
    public var warnings: [ConfigIssue] { issues.filter { $0.severity == .warning } }
    /// Whether any issue is an error.
    public var hasErrors: Bool { issues.contains { $0.severity == .error } }

    /// The configuration, or ``ConfigError/invalid(path:issues:)`` listing every error.
    public func requireValid(path: String) throws(ConfigError) -> TidepoolConfig {
        if hasErrors { throw .invalid(path: path, issues: errors) }
        return config
    }

    /// This validation for a command that names its models on the command line (`ask`,
    /// `compare`): a bad `panes` entry does not concern it, so those errors become warnings
    /// (still shown) and the config's ``TidepoolConfig/panes`` keeps only the good entries.
    public func ignoringPaneErrors() -> ConfigValidation {
        ConfigValidation(config: config, issues: issues.map { issue in
            var issue = issue
            if issue.kind == .badPane { issue.severity = .warning }
            return issue
        })
    }
}
