import ArgumentParser
import Foundation
import TidepoolApp
import TidepoolStore

/// `tidepool history`: list, search, show, export and delete stored conversations.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List, search, show, export and delete stored conversations.",
        subcommands: [List.self, Search.self, Show.self, Export.self, Delete.self]
    )

    /// Opens the history database or exits with the store's message (locked, damaged, newer).
    static func openStore(_ options: GlobalOptions) throws -> HistoryStore {
        do {
            return try HistoryStore(paths: options.paths, busyTimeout: 2)
        } catch {
            TerminalOutput().writeError("error: \(error)\n")
            throw ExitCode.failure
        }
    }

    /// Runs `body`, turning a history error (unknown id, locked database) into its message
    /// on standard error and exit status 1.
    static func run<Result>(_ body: () throws(HistoryError) -> Result) throws -> Result {
        do {
            return try body()
        } catch {
            TerminalOutput().writeError("error: \(error)\n")
            throw ExitCode.failure
        }
    }

    static func date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }

    /// `tidepool history list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List sessions, newest first.")

        @OptionGroup var options: GlobalOptions

        @Option(help: "Show at most this many sessions.")
        var limit = 50

        func run() throws {
            let store = try HistoryCommand.openStore(options)
            let sessions = try HistoryCommand.run { () throws(HistoryError) in try store.listSessions(limit: limit) }
            let output = TerminalOutput()
            if sessions.isEmpty {
                output.line("no sessions yet")
                return
            }
            for session in sessions {
                output.line(
                    "\(session.id)\t\(HistoryCommand.date(session.updatedAt))\t\(session.messageCount) messages\t"
                        + "\(session.paneModels.joined(separator: ", "))\t\(session.title)")
            }
        }
    }

    /// `tidepool history search`.
    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Find messages containing these words.")

        @OptionGroup var options: GlobalOptions

        @Argument(help: "Words to find (each matches as a prefix).")
        var text: [String]

        func run() throws {
            let store = try HistoryCommand.openStore(options)
            let query = text.joined(separator: " ")
            let hits = try HistoryCommand.run { () throws(HistoryError) in try store.search(query) }
            let output = TerminalOutput()
            if hits.isEmpty {
                output.line("no messages match '\(query)'")
                return
            }
            for hit in hits {
                let who = hit.model ?? hit.role.rawValue
                let snippet = hit.snippet.replacingOccurrences(of: "\n", with: " ")
                output.line("session \(hit.sessionID) (\(hit.sessionTitle)) · \(who): \(snippet)")
            }
        }
    }

    /// `tidepool history show`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a session as Markdown.")

        @OptionGroup var options: GlobalOptions

        @Argument(help: "The session id (see 'tidepool history list').")
        var id: Int64

        func run() throws {
            let store = try HistoryCommand.openStore(options)
            TerminalOutput().write(try HistoryCommand.run { () throws(HistoryError) in try store.exportMarkdown(sessionID: id) })
        }
    }

    /// `tidepool history export`.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export a session as Markdown or JSON.",
            discussion: "Markdown shows each answer of a broadcast as its own section with its timings.")

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case md, json
        }

        @OptionGroup var options: GlobalOptions

        @Argument(help: "The session id.")
        var id: Int64

        @Option(help: "md or json.", completion: .list(Format.allCases.map(\.rawValue)))
        var format: Format = .md

        @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
        var output: String?

        func run() throws {
            let store = try HistoryCommand.openStore(options)
            let data: Data = try HistoryCommand.run { () throws(HistoryError) in
                switch format {
                case .md: Data(try store.exportMarkdown(sessionID: id).utf8)
                case .json: try store.exportJSON(sessionID: id) + Data("\n".utf8)
                }
            }
            guard let output else {
                TerminalOutput().write(String(decoding: data, as: UTF8.self))
                return
            }
            do {
                try data.write(to: URL(fileURLWithPath: output), options: .atomic)
            } catch {
                TerminalOutput().writeError("error: cannot write \(output): \(error.localizedDescription)\n")
                throw ExitCode.failure
            }
            TerminalOutput().writeError("wrote \(output)\n")
        }
    }

    /// `tidepool history delete`.
    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a session and all its messages.")

        @OptionGroup var options: GlobalOptions

        @Argument(help: "The session id.")
        var id: Int64

        func run() throws {
            let store = try HistoryCommand.openStore(options)
            try HistoryCommand.run { () throws(HistoryError) in try store.deleteSession(id) }
            TerminalOutput().line("deleted session \(id)")
        }
    }
}
