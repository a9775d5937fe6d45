import Foundation

extension ThemeCatalog {
    /// Where the app looks for themes, later ones overriding earlier ones by name: the
    /// repository's `themes/` when the binary runs from its build folder, the directories
    /// beside the executable and the working directory, then the user's `themes/` in the
    /// config directory.
    public static func standardDirectories(userConfigDirectory: String) -> [URL] {
        let executable = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0])
        var directories: [URL] = []
        var ancestor = executable.deletingLastPathComponent()
        for _ in 0..<4 {
            ancestor.deleteLastPathComponent()
            directories.append(ancestor.appendingPathComponent("themes"))
        }
        directories.reverse()
        directories += bundledThemeDirectories(
            executable: executable, currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        directories.append(URL(fileURLWithPath: userConfigDirectory).appendingPathComponent("themes"))
        return directories
    }
}
