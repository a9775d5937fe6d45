import ArgumentParser
import Foundation
import TidepoolApp
import TidepoolStore

/// The `tidepool` command: a terminal chat client for several language models at once.
@main
struct Tidepool: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tidepool",
        abstract: "Chat with several language models side by side, through one shared connection pool.",
        version: "0.1.0",
        subcommands: [
            ChatCommand.self, AskCommand.self, CompareCommand.self, RankCommand.self, ModelsCommand.self, HistoryCommand.self, ConfigCommand.self,
            SimCommand.self, BenchCommand.self,
        ],
        defaultSubcommand: ChatCommand.self
    )

    /// Every error line starts `error: `, lower case, as Tidepool's own messages do; the
    /// argument parser would write `Error: `.
    static var _errorPrefix: String { "error: " }

    /// Ignores SIGPIPE (a closed reader becomes a write error, handled where it happens),
    /// returns large freed blocks to the system at once (``MemoryReturnPolicy``), then parses
    /// the command line and runs the command.
    static func main() async {
        signal(SIGPIPE, SIG_IGN)
        MemoryReturnPolicy.apply()
        if let message = misplacedWord(Array(CommandLine.arguments.dropFirst())) {
            TerminalOutput().writeError("error: " + message + "\n")
            Foundation.exit(ExitCode.validationFailure.rawValue)
        }
        await Self.main(nil)
    }

    /// What to say when the first word is neither an option nor a command: the chat command
    /// would otherwise take it as its session argument ("The value 'askk' is invalid for
    /// '<session>'"), or, for a number without `--resume`, silently open a new chat.
    static func misplacedWord(_ arguments: [String]) -> String? {
        guard let word = arguments.first, !word.hasPrefix("-") else { return nil }
        let commands = configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"]
        if commands.contains(word) { return nil }
        if let session = Int64(word) {
            if arguments.contains("--resume") { return nil }
            return "to reopen session \(session), use `tidepool --resume \(session)`"
        }
        if let close = ConfigValidator.suggestion(for: word, among: commands) {
            return "unknown command '\(word)'; did you mean '\(close)'?"
        }
        return "unknown command '\(word)'; the commands are: \(commands.filter { $0 != "help" }.joined(separator: ", ")) (see `tidepool --help`)"
    }
}
