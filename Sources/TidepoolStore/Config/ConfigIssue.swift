/// One problem found in the config file: what is wrong, where, and how to fix it.
///
/// ``ConfigValidator`` reports every issue at once, so a user fixes the file in one pass.
public struct ConfigIssue: Sendable, Equatable, CustomStringConvertible {
    /// Whether the config can still be used.
    public enum Severity: String, Sendable, Equatable {
        /// The file cannot be used until this is fixed.
        case error
        /// Tidepool can run, but something will probably not work as intended.
        case warning
    }

    /// What kind of problem this is, for callers that react to particular problems.
    public enum Kind: String, Sendable, Equatable {
        /// The file is not valid TOML.
        case syntax
        /// A key Tidepool does not know (usually a typo).
        case unknownKey
        /// A value of the wrong type or out of range.
        case wrongType
        /// A provider `kind` that is not ollama, openai or anthropic.
        case unknownKind
        /// A required value is missing.
        case missingValue
        /// `base_url` is not an http(s) URL.
        case badURL
        /// A pane names a provider that is not configured, or is not `provider:model`.
        case badPane
        /// Two settings that exclude each other are both set.
        case conflict
        /// `api_key_env` names a variable that is not set.
        case keyVariableNotSet
        /// `api_key_file` is missing.
        case keyFileMissing
        /// `api_key_file` can be read by other users.
        case keyFilePermissions
        /// A header in `headers` looks like a credential.
        case credentialInHeader
        /// `theme` names no theme that was found.
        case unknownTheme
        /// `[metrics] listen` is not a HOST:PORT address.
        case badAddress
    }

    /// Error or warning.
    public var severity: Severity
    /// The kind of problem.
    public var kind: Kind
    /// The config file the issue is in.
    public var file: String
    /// The 1-based line, when known.
    public var line: Int?
    /// The 1-based column, when known.
    public var column: Int?
    /// What is wrong, e.g. `unknown key 'base_ur' in [providers.lab]`.
    public var message: String
    /// How to fix it, e.g. `did you mean 'base_url'?`.
    public var fix: String?

    /// Creates an issue.
    public init(
        severity: Severity,
        kind: Kind,
        file: String,
        line: Int?,
        column: Int? = nil,
        message: String,
        fix: String?
    ) {
        self.severity = severity
        self.kind = kind
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.fix = fix
    }

    /// `FILE:LINE[:COLUMN]: error: MESSAGE; FIX`, the form editors and terminals link to.
    public var description: String {
        var location = file
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        var text = "\(location): \(severity.rawValue): \(message)"
        if let fix { text += "; " + fix }
        return text
    }
}
