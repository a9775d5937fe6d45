import ArgumentParser
import Foundation
import Logging
import TidepoolApp
import TidepoolChat
import TidepoolPool
import TidepoolProviders
import TidepoolStore

/// `tidepool compare`: one prompt to several models at once, through the shared pool, then a
/// table of how fast each answered and the answers themselves.
struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Send one prompt to several models at once and compare their speed and answers.",
        discussion: """
        Every model is asked at the same time through the one shared connection pool. The table \
        shows time to first token, tokens per second, total time and tokens; a model that fails \
        shows why in its row and the others carry on. The run is stored in the history as a \
        broadcast (unless --no-history). Exit status 1 only when every model failed.

        --winner, --tie or --all-bad records your vote on the answers once they are in, as the \
        chat screen's vote keys do (see `tidepool rank`); --note adds a few words to it.

        Examples:
          tidepool compare -m sim:sim-fast -m sim-ollama:sim-steady "What is a connection pool?"
          tidepool compare -m ollama:qwen3:4b -m openai:gpt-4o-mini --json "Name three rivers"
          tidepool compare --metrics-listen 127.0.0.1:9464 -m sim:sim-steady -m sim-ollama:sim-thinker "Hi"
          tidepool compare -m sim:sim-fast -m sim:sim-steady --winner sim:sim-fast "Say hi"
        """
    )

    @OptionGroup var options: GlobalOptions

    @OptionGroup(title: "Metrics") var metrics: MetricsOptions

    @Option(name: [.customShort("m"), .long], help: "PROVIDER:MODEL to ask; repeat for each model.",
            completion: Completions.providers)
    var model: [String] = []

    @Argument(help: "The prompt.")
    var prompt: [String] = []

    @Option(help: "A system prompt (else the config's system_prompt).")
    var system: String?

    @Flag(help: "Print one JSON document instead of the table and answers.")
    var json = false

    @Flag(help: "Do not store this run in the history.")
    var noHistory = false

    @Option(help: ArgumentHelp("Vote this model's answer the best (one of the -m models).", valueName: "PROVIDER:MODEL"))
    var winner: String?

    @Flag(help: "Vote the answers a tie.")
    var tie = false

    @Flag(help: "Vote every answer bad (stored, not rated).")
    var allBad = false

    @Option(help: "A short note stored with the vote.")
    var note: String?

    func validate() throws {
        guard !model.isEmpty else { throw ValidationError("give at least one model with -m PROVIDER:MODEL") }
        guard !prompt.joined().trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ValidationError("no prompt: give it after the options")
        }
        let votes = [winner != nil, tie, allBad].filter { $0 }.count
        if votes > 1 { throw ValidationError("give one vote: --winner, --tie or --all-bad") }
        if votes == 1 && model.count < 2 { throw ValidationError("a vote needs at least two models to compare (-m A -m B)") }
        if votes == 1 && noHistory { throw ValidationError("votes are stored in the history: drop --no-history to vote") }
        if note != nil && votes == 0 { throw ValidationError("--note goes with a vote: add --winner, --tie or --all-bad") }
    }

    func run() async throws {
        options.bootstrapLogging()
        let logger = Logger(label: "tidepool.compare")
        let output = TerminalOutput()
        let config = try options.loadConfig(modelsOnCommandLine: true)
        let home = options.paths.homeDirectory
        let targets: [(provider: String, model: String)]
        // The winner's pane number (the first pane of that model if it was given twice).
        var winnerPane: Int?
        do {
            let parser = ProviderCatalog.builtIn().merging(config: config, homeDirectory: home)
            targets = try model.map { try parser.parse($0) }
            if let winner {
                let parsed = try parser.parse(winner)
                winnerPane = targets.firstIndex { $0 == parsed }.map { $0 + 1 }
                guard winnerPane != nil else {
                    output.writeError("error: --winner \(winner) is not one of the compared models ("
                        + targets.map { "\($0.provider):\($0.model)" }.joined(separator: ", ") + ")\n")
                    throw ExitCode.validationFailure
                }
            }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            output.writeError("error: \(error)\n")
            throw ExitCode.failure
        }
        let (catalog, simulator) = try await EmbeddedSimulator.catalog(
            serving: targets.map(\.provider), config: config, homeDirectory: home)
        let pool = PoolManager.shared
        catalog.applyLimits(to: pool)
        var metricsEndpoint: MetricsEndpoint?
        if let address = metrics.address(config: config) {
            let problem: String?
            (metricsEndpoint, problem) = await MetricsEndpoint.start(address: address, pool: pool)
            if let problem { output.writeError("warning: \(problem)\n") }
        }

        let chat = CommandLineChat(
            state: AppState(panes: AppState.panes(targets), broadcast: true, systemPrompt: system ?? config.systemPrompt),
            catalog: catalog, pool: pool, historyDatabase: options.paths.historyDatabase, noHistory: noHistory,
            output: output)
        let program = chat.program
        let text = prompt.joined(separator: " ")
        let started = Date()
        program.send(.submit(text))
        logger.info("compare started", metadata: ["models": "\(program.state.panes.map(\.label))"])

        // Each model's line as it finishes, on a terminal only: piped output stays the table.
        var progress = isatty(STDERR_FILENO) != 0 ? CompareProgress() : nil
        for await message in chat.messages {
            program.send(message)
            if var tracker = progress {
                let before = tracker.finishedCount
                for (offset, entry) in tracker.newlyFinished(in: program.state.panes).enumerated() {
                    output.writeError(CompareProgress.line(entry, finished: before + offset + 1, of: targets.count) + "\n")
                }
                progress = tracker
            }
            if case .chatEvent(let paneID, _, .timings(let timings)) = message,
               let pane = program.state.panes.first(where: { $0.id == paneID }) {
                logger.debug("request timings", metadata: Self.metadata(pane.label, timings))
            }
            if !program.state.isStreaming { break }
        }
        let choice: BroadcastVote.Choice? = tie ? .tie : allBad ? .allBad : winnerPane.map { .best(paneNumber: $0) }
        if let choice {
            // A note given (even empty) means the vote does not ask for one.
            program.send(.vote(choice, note: note ?? ""))
        }
        let state = program.state
        chat.finish()
        await simulator?.stop()
        await metricsEndpoint?.stop()

        let rows = BroadcastComparison(lastAnswersOf: state.panes).entries
        logger.info("compare finished", metadata: ["seconds": "\(Date().timeIntervalSince(started))"])
        if json {
            let vote = state.lastBroadcast.flatMap { state.votes[$0] }
            output.line(CompareReport.json(prompt: text, system: state.systemPrompt, sessionID: program.recorder.sessionID,
                                           rows: rows, vote: vote))
        } else {
            output.write(CompareReport.table(rows))
            output.write(CompareReport.answers(rows))
        }
        if let group = state.lastBroadcast, let vote = state.votes[group] {
            if let failure = program.recorder.lastWriteFailure {
                output.writeError("error: the vote (\(vote.verdict.summary)) was not stored: \(failure)\n")
                throw ExitCode.failure
            }
            if !json { output.write("\nvote stored: \(vote.verdict.summary)\n") }
        } else if winner != nil || tie || allBad {
            output.writeError("error: the vote was not stored: \(state.notice ?? "unknown reason")\n")
            throw ExitCode.failure
        }
        if rows.allSatisfy({ $0.status != .done }) { throw ExitCode.failure }
    }

    static func metadata(_ label: String, _ timings: ChatTimings) -> Logger.Metadata {
        [
            "model": "\(label)", "queue_s": "\(timings.queue)", "dns_s": "\(timings.dns)",
            "connect_s": "\(timings.connect)", "tls_s": "\(timings.tls)", "first_byte_s": "\(timings.firstByte)",
            "ttft_s": "\(timings.timeToFirstToken.map { "\($0)" } ?? "-")", "total_s": "\(timings.total)",
            "reused": "\(timings.reusedConnection)", "http": "\(timings.httpVersion.rawValue)",
        ]
    }
}
