import ArgumentParser
import TidepoolApp
import Foundation
import TidepoolScreenBench

/// `tidepool bench screen`: argument parsing only; the benchmark lives in TidepoolScreenBench.
struct ScreenBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "screen",
        abstract: "What the chat screen costs while panes stream (CPU, frames, delay, memory).",
        discussion: """
        Starts the simulator as a child process (tidepool sim) with a model streaming --rate \
        tokens per second for --tokens tokens, opens --panes panes on it (OpenAI-compatible \
        format, through the shared pool), broadcasts one prompt and runs the chat screen's \
        pipeline into a 200x50 pseudo-terminal until every answer is complete. Reports this \
        process's CPU (% of one core, over the answer and per quarter of it), frames drawn, \
        frame time, chunk-to-screen delay, tokens/s per pane and peak RSS. Valid only if every \
        pane received at least 95% of the rate. The session is recorded into a throw-away \
        history database as the chat screen does (--no-history leaves that out). Measure a \
        release build.
        """
    )

    @Option(help: "Panes streaming at once.")
    var panes = 8

    @Option(help: "Tokens per second each answer streams at.")
    var rate = 200.0

    @Option(help: "Tokens per answer.")
    var tokens = 3000

    @Option(help: "Finished turns seeded into every pane before the answer.")
    var turns = 0

    @Flag(help: ArgumentHelp("Render every turn afresh each frame (no cache), for comparison.", visibility: .hidden))
    var uncached = false

    @Option(help: ArgumentHelp("How long the pool may hold a stream's bytes to hand several chunks over at once (the chat screen's setting by default; 0 for none).", visibility: .hidden))
    var deliveryIntervalMs = ScreenBenchmark.Options.screenDeliveryIntervalMilliseconds

    @Flag(help: "Do not record the session into a (throw-away) history database.")
    var noHistory = false

    @Flag(help: "Print the result as JSON.")
    var json = false

    func validate() throws {
        guard panes >= 1, panes <= 64 else { throw ValidationError("--panes must be 1...64") }
        guard rate > 0, rate <= 100_000 else { throw ValidationError("--rate must be in (0, 100000]") }
        guard tokens >= 1, turns >= 0 else { throw ValidationError("--tokens must be at least 1, --turns at least 0") }
        guard deliveryIntervalMs >= 0, deliveryIntervalMs <= 1000 else { throw ValidationError("--delivery-interval-ms must be 0...1000") }
    }

    func run() throws {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        var options = ScreenBenchmark.Options(panes: panes, rate: rate, tokens: tokens, turns: turns, cached: !uncached,
                                              history: !noHistory)
        options.deliveryIntervalMilliseconds = deliveryIntervalMs
        let benchmark = ScreenBenchmark(options: options)
        do {
            let result = try benchmark.run(executable: executable)
            TerminalOutput().line(json ? ScreenBenchmark.json(result) : ScreenBenchmark.table(result))
            if !result.valid { throw ExitCode(2) }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            TerminalOutput().writeError("error: \(error)\n")
            throw ExitCode.failure
        }
    }
}
