import ArgumentParser
import Foundation
import TidepoolApp
import TidepoolStore
import TidepoolTUI

/// `tidepool config`: write, check and locate the config file.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Write, check and locate the config file.",
        subcommands: [Init.self, Check.self, Path.self]
    )

    /// `tidepool config init`.
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a commented example config file.",
            discussion: "Writes to the file --config or $TIDEPOOL_CONFIG names, else ~/.config/tidepool/config.toml.")

        @OptionGroup var options: GlobalOptions

        @Flag(help: "Overwrite an existing file.")
        var force = false

        func run() throws {
            let path = options.paths.configFile
            do {
                try ConfigTemplate.writeTemplate(to: path, force: force)
            } catch {
                TerminalOutput().writeError("error: \(error)\n")
                throw ExitCode.failure
            }
            TerminalOutput().line("wrote \(path); check it with 'tidepool config check'")
        }
    }

    /// `tidepool config check`.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate the config file and list every problem with its line and a fix.",
            discussion: "Exit status 1 when there are errors; warnings alone leave it 0.")

        @OptionGroup var options: GlobalOptions

        func run() throws {
            let paths = options.paths
            let output = TerminalOutput()
            let validation: ConfigValidation
            do {
                // `theme` is checked against the themes the chat screen would find.
                let themes = ThemeCatalog(
                    directories: ThemeCatalog.standardDirectories(userConfigDirectory: paths.configDirectory))
                validation = try ConfigLoader.load(
                    paths: paths, environment: options.environment, themeNames: themes.names)
            } catch {
                output.writeError("error: \(error)\n")
                throw ExitCode.failure
            }
            for issue in validation.issues { output.line(issue.description) }
            if validation.hasErrors {
                let count = validation.errors.count
                output.writeError("\(paths.configFile): \(count) error\(count == 1 ? "" : "s")\n")
                throw ExitCode.failure
            }
            let exists = FileManager.default.fileExists(atPath: paths.configFile)
            output.line("OK: \(paths.configFile)" + (exists ? "" : " (no file: built-in defaults apply)"))
        }
    }

    /// `tidepool config path`.
    struct Path: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print where the config file, history database and log file are.")

        @OptionGroup var options: GlobalOptions

        func run() {
            let paths = options.paths
            let output = TerminalOutput()
            output.line("config:  \(paths.configFile) (\(paths.configSource.rawValue))")
            output.line("history: \(paths.historyDatabase)")
            output.line("log:     \(paths.logFile)")
        }
    }
}
