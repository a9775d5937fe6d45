import ArgumentParser
import Foundation
import TidepoolApp
import TidepoolStore

/// Options shared by the commands that read the config file or write logs.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Read this config file instead of $TIDEPOOL_CONFIG or ~/.config/tidepool/config.toml.",
        valueName: "file"))
    var config: String?

    @Flag(name: .long, help: "Log debug detail (per-request timings) to the log file.")
    var debug = false

    /// The process environment.
    var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// Where the config, history and logs are.
    var paths: ConfigPaths { ConfigPaths(environment: environment, commandLineConfig: config) }

    /// Sets up logging to the log file; call first in `run`.
    func bootstrapLogging() {
        LogSetup.bootstrap(paths: paths, debug: debug)
    }

    /// The validated configuration. Warnings go to standard error; errors end the command
    /// with every issue listed and exit status 1.
    /// - Parameter modelsOnCommandLine: the command names its models itself, so a bad
    ///   `panes` entry is a warning rather than a reason to refuse to run.
    func loadConfig(modelsOnCommandLine: Bool = false) throws -> TidepoolConfig {
        try loadConfigSkippingPanes(modelsOnCommandLine: modelsOnCommandLine).config
    }

    /// The validated configuration and, when `modelsOnCommandLine` is set, the `panes`
    /// entries left out (each a warning on standard error too), for the chat screen to say
    /// which entry it skipped and why once the terminal is its own.
    func loadConfigSkippingPanes(modelsOnCommandLine: Bool) throws -> (config: TidepoolConfig, skipped: [ConfigIssue]) {
        let paths = self.paths
        var validation: ConfigValidation
        do {
            validation = try ConfigLoader.load(paths: paths, environment: environment)
            if modelsOnCommandLine { validation = validation.ignoringPaneErrors() }
        } catch {
            TerminalOutput().writeError("error: \(error)\n")
            throw ExitCode.failure
        }
        for warning in validation.warnings { TerminalOutput().writeError("\(warning)\n") }
        do {
            let skipped = modelsOnCommandLine ? validation.warnings.filter { $0.kind == .badPane } : []
            return (try validation.requireValid(path: paths.configFile), skipped)
        } catch {
            TerminalOutput().writeError("error: \(error)\n")
            throw ExitCode.failure
        }
    }
}
