import ArgumentParser
import Foundation

/// The `tidepool` command: a terminal chat client for several language models at once.
@main
struct Tidepool: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tidepool",
        abstract: "Chat with several language models side by side, through one shared connection pool.",
        version: "0.1.0",
        subcommands: [
            ChatCommand.self, AskCommand.self, CompareCommand.self, ModelsCommand.self, HistoryCommand.self, ConfigCommand.self,
            SimCommand.self, BenchCommand.self,
        ],
        defaultSubcommand: ChatCommand.self
    )

    /// Ignores SIGPIPE (a closed reader becomes a write error, handled where it happens),
    /// then parses the command line and runs the command.
    static func main() async {
        signal(SIGPIPE, SIG_IGN)
        await Self.main(nil)
    }
}
