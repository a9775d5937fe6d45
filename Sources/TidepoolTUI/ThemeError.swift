/// Why a theme file could not be used. Every case names the file and, where known, the line and
/// key, so a user can fix it; callers then fall back to `Theme.default`.
public enum ThemeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(file: String, reason: String)
    /// The file is not valid TOML.
    case syntax(file: String, line: Int, column: Int, message: String)
    /// A key that is not a theme role or role field (probably a typo).
    case unknownKey(file: String, key: String, line: Int?)
    /// A colour value that is not an index 0-255, `#rrggbb`, or a colour name.
    case badColor(file: String, key: String, value: String, line: Int?)
    /// A value of the wrong type (e.g. `bold = "yes"`).
    case badValue(file: String, key: String, expected: String, line: Int?)

    /// A message a user can act on.
    public var description: String {
        func at(_ file: String, _ line: Int?) -> String {
            line.map { "\(file):\($0)" } ?? file
        }
        switch self {
        case .unreadable(let file, let reason):
            return "\(file): cannot read theme file (\(reason))"
        case .syntax(let file, let line, let column, let message):
            return "\(file):\(line):\(column): invalid TOML: \(message)"
        case .unknownKey(let file, let key, let line):
            return "\(at(file, line)): unknown key '\(key)'; roles are: "
                + ThemeRole.allCases.map(\.rawValue).joined(separator: ", ")
        case .badColor(let file, let key, let value, let line):
            return "\(at(file, line)): '\(key)' has colour '\(value)'; use 0-255, \"#rrggbb\", "
                + "\"default\" or a name like \"red\""
        case .badValue(let file, let key, let expected, let line):
            return "\(at(file, line)): '\(key)' must be \(expected)"
        }
    }
}
