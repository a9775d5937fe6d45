import Foundation

/// Reads the config file chosen by ``ConfigPaths`` and validates it.
public enum ConfigLoader {
    /// Loads and validates the config file.
    ///
    /// A missing file at the default location is normal (built-in defaults apply, no
    /// issues); a missing file named by `--config` or `$TIDEPOOL_CONFIG` is an error, since
    /// the user asked for that file. The returned validation may still hold errors: show them
    /// all, or call ``ConfigValidation/requireValid(path:)``.
    /// - Parameter themeNames: the themes the caller can load, to check `theme` against
    ///   (nil: not checked).
    public static func load(
        paths: ConfigPaths,
        environment: [String: String],
        themeNames: [String]? = nil
    ) throws(ConfigError) -> ConfigValidation {
        let path = paths.configFile
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            if paths.configSource == .xdgDefault {
                return ConfigValidation(config: .default, issues: [])
            }
            throw .notFound(path: path, source: paths.configSource)
        }
        if isDirectory.boolValue { throw .unreadable(path: path, reason: "it is a directory") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path, reason: "permission denied or I/O error")
        }
        guard let source = String(data: data, encoding: .utf8) else {
            throw .unreadable(path: path, reason: "it is not UTF-8 text")
        }
        var validator = ConfigValidator(environment: environment, homeDirectory: paths.homeDirectory)
        validator.themeNames = themeNames
        return validator.validate(source: source, file: path)
    }
}
