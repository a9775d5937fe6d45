import Foundation

/// The themes a user can pick from: the built-in default, the bundled `themes/` directory and
/// the user's own theme directory, where a user file overrides a bundled one of the same name.
/// Cycles through names for the "switch theme" key.
public struct ThemeCatalog: Sendable {
    /// Where a theme comes from.
    public enum Source: Hashable, Sendable {
        /// Compiled into the binary.
        case builtIn
        /// A `.toml` file.
        case file(URL)
    }

    /// Theme names in display order: the default first, then alphabetical.
    public let names: [String]
    /// Where each name is loaded from.
    public let sources: [String: Source]

    /// The name of the default theme.
    public static let defaultName = "tidepool-dark"

    /// Scans the directories (later ones override earlier ones by name); directories that do
    /// not exist are skipped.
    public init(directories: [URL]) {
        var sources: [String: Source] = [ThemeCatalog.defaultName: .builtIn]
        for directory in directories {
            let files =
                (try? FileManager.default.contentsOfDirectory(
                    at: directory, includingPropertiesForKeys: nil)) ?? []
            for file in files where file.pathExtension == "toml" {
                sources[file.deletingPathExtension().lastPathComponent] = .file(file)
            }
        }
        self.sources = sources
        self.names =
            [ThemeCatalog.defaultName]
            + sources.keys.filter { $0 != ThemeCatalog.defaultName }.sorted()
    }

    /// Loads a theme by name, resolved for `mode`. The built-in default never fails.
    public func load(_ name: String, mode: ColorMode = .xterm256) throws(ThemeError) -> Theme {
        switch sources[name] {
        case .file(let url)?:
            return try ThemeLoader.load(contentsOf: url).with(mode: mode)
        case .builtIn?, nil:
            if name != ThemeCatalog.defaultName && sources[name] == nil {
                throw .unreadable(file: name, reason: "no theme with this name")
            }
            return Theme.default.with(mode: mode)
        }
    }

    /// Loads a theme, falling back to the default on any error; the error is returned so the
    /// caller can show it in the status line.
    public func loadOrDefault(_ name: String, mode: ColorMode = .xterm256) -> (Theme, ThemeError?) {
        do {
            return (try load(name, mode: mode), nil)
        } catch {
            return (Theme.default.with(mode: mode), error)
        }
    }

    /// The name after `name`, wrapping around (the "switch theme" key).
    public func next(after name: String) -> String {
        guard let index = names.firstIndex(of: name) else { return names[0] }
        return names[(index + 1) % names.count]
    }

    /// Likely places for the bundled `themes/` directory: beside the executable, in
    /// `../share/tidepool/themes` from it, and in the current directory.
    public static func bundledThemeDirectories(executable: URL, currentDirectory: URL) -> [URL] {
        let bin = executable.deletingLastPathComponent()
        return [
            currentDirectory.appendingPathComponent("themes"),
            bin.deletingLastPathComponent().appendingPathComponent("share/tidepool/themes"),
            bin.appendingPathComponent("themes"),
        ]
    }
}
