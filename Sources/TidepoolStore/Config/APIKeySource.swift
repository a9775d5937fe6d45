import Foundation

/// Where a provider's API key is read from. The config file names the source; the key itself
/// never appears in the config, the history, the logs or an export.
public enum APIKeySource: Sendable, Equatable {
    /// An environment variable, named by `api_key_env`.
    case environment(variable: String)
    /// A file holding only the key, named by `api_key_file`; it should have mode 0600.
    case file(path: String)

    /// Reads the key from its source.
    public func resolve(
        provider: String,
        environment: [String: String],
        homeDirectory: String
    ) throws(APIKeyError) -> Secret {
        switch self {
        case .environment(let variable):
            guard let value = environment[variable] else {
                throw .variableNotSet(provider: provider, variable: variable)
            }
            let secret = Secret(value)
            if secret.isEmpty { throw .empty(provider: provider, source: "$" + variable) }
            if secret.hasControlCharacters { throw .notOneLine(provider: provider, source: "$" + variable) }
            return secret
        case .file(let path):
            let expanded = ConfigPaths.expandingTilde(path, home: homeDirectory)
            guard let data = FileManager.default.contents(atPath: expanded) else {
                throw .fileUnreadable(provider: provider, path: expanded)
            }
            let secret = Secret(String(decoding: data, as: UTF8.self))
            if secret.isEmpty { throw .empty(provider: provider, source: expanded) }
            if secret.hasControlCharacters { throw .notOneLine(provider: provider, source: expanded) }
            return secret
        }
    }
}

/// Why an API key could not be read when a request needed it.
public enum APIKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `api_key_env` names a variable that is not set.
    case variableNotSet(provider: String, variable: String)
    /// `api_key_file` names a file that is missing or unreadable.
    case fileUnreadable(provider: String, path: String)
    /// The variable or file is empty.
    case empty(provider: String, source: String)
    /// The key holds a line break or control character inside it (two lines in a key file).
    case notOneLine(provider: String, source: String)

    /// A message saying which provider and what to do.
    public var description: String {
        switch self {
        case .variableNotSet(let provider, let variable):
            "provider '\(provider)' reads its API key from $\(variable), which is not set; "
                + "export \(variable)=... before starting tidepool"
        case .fileUnreadable(let provider, let path):
            "provider '\(provider)' reads its API key from \(path), which cannot be read; "
                + "create it with only the key inside and run chmod 600 \(path)"
        case .empty(let provider, let source):
            "provider '\(provider)' API key from \(source) is empty"
        case .notOneLine(let provider, let source):
            "provider '\(provider)' API key from \(source) is more than one line; keep only the key in it"
        }
    }
}
