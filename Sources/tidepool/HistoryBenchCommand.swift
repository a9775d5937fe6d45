import ArgumentParser
import Foundation
import TidepoolApp
import TidepoolStore

/// `tidepool bench history`.
struct HistoryBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "What the history's once-a-second checkpoints cost, with the search index of v5 against v4's.",
        discussion: """
        Replays --answers answers streaming side by side into a fresh history database, each \
        checkpointed --checkpoints times with its text so far (the chat checkpoints once a \
        second) and then finished with its whole text of --tokens words, through the history \
        store's own writes; no network. Schemas: v5 (answers enter the full-text index when \
        they finish) and v4-triggers (today's schema with the v1-v4 triggers put back, which \
        re-index the whole answer at every checkpoint). Reports this process's CPU time per \
        answer (getrusage: whole replay, checkpoints alone, final write alone), the index's \
        size and how many answers a search for their last word found; medians over --rounds \
        interleaved rounds. Databases go to a temporary folder and are removed.
        """
    )

    @Option(help: "Answers streaming side by side.")
    var answers = 8

    @Option(help: "Checkpoints per answer (one a second while it streams).")
    var checkpoints = 15

    @Option(help: "Words per answer.")
    var tokens = 3000

    @Option(help: "Times each schema runs, interleaved; figures are medians.")
    var rounds = 3

    @Option(help: "Comma-separated schemas: v5, v4-triggers.")
    var schemas = "v4-triggers,v5"

    @Flag(help: "Print the results as JSON.")
    var json = false

    func validate() throws {
        guard answers >= 1, checkpoints >= 1, tokens >= checkpoints, rounds >= 1 else {
            throw ValidationError("--answers, --checkpoints and --rounds must be at least 1, --tokens at least --checkpoints")
        }
        _ = try parsedSchemas()
    }

    private func parsedSchemas() throws -> [HistoryCheckpointBenchmark.Schema] {
        try schemas.split(separator: ",").map { name in
            guard let schema = HistoryCheckpointBenchmark.Schema(rawValue: String(name)) else {
                throw ValidationError("unknown schema '\(name)'; choose from v5, v4-triggers")
            }
            return schema
        }
    }

    func run() throws {
        let benchmark = HistoryCheckpointBenchmark(
            answers: answers, checkpoints: checkpoints, tokens: tokens, rounds: rounds, schemas: try parsedSchemas())
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("tidepool-bench-history-\(ProcessInfo.processInfo.processIdentifier)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            let results = try benchmark.run(in: directory)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                TerminalOutput().line(String(decoding: try encoder.encode(results), as: UTF8.self))
            } else {
                TerminalOutput().line(benchmark.table(results))
            }
        } catch {
            TerminalOutput().writeError("error: \(error)\n")
            throw ExitCode.failure
        }
    }
}
