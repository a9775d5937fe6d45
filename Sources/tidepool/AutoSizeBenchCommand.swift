import ArgumentParser
import Foundation
import TidepoolApp
import TidepoolBench
import TidepoolSim

/// `tidepool bench autosize`.
struct AutoSizeBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "autosize",
        abstract: "Fixed concurrency limits against a pool that sizes itself, on a simulator with fewer slots than requests.",
        discussion: """
        For each overflow behaviour of the simulator (wait at the server like vLLM and \
        llama.cpp, 503 busy like Ollama, 429 with Retry-After: 1 like hosted APIs) and each \
        limit (fixed 1, 4 and 16, and auto sizing from a slow start up to 16), starts a fresh simulator with \
        --slots slots whose slot endpoints are hidden (so auto sizing has to learn), and sends \
        --requests chats at once, each answered with 200 tokens at 100 tokens/s after a first \
        token at 100 ms. Rejected requests are retried without limit, after Retry-After when \
        the server sends one, else after an exponential back-off. Reports the makespan (until \
        all completed), rejections received, retries, time to first token p50/p95 (from each \
        request's first attempt) and, for auto, the limit it ended at and its moves by reason. \
        Takes about three minutes.
        """
    )

    @Option(help: "Chats sent at once.")
    var requests = 16

    @Option(help: "The simulator's slots.")
    var slots = 4

    @Option(help: "Comma-separated overflow behaviours: wait, busy503, reject429.")
    var overflows = "wait,busy503,reject429"

    @Option(help: "Comma-separated limits: whole numbers, and auto (slow start up to the largest fixed one, or --requests).")
    var limits = "1,4,16,auto"

    @Flag(help: "Print the results as JSON.")
    var json = false

    func validate() throws {
        guard (1...256).contains(requests), (1...256).contains(slots) else {
            throw ValidationError("--requests and --slots must be 1...256")
        }
        _ = try parsedOverflows()
        _ = try parsedLimits()
    }

    private func parsedOverflows() throws -> [SimOverflow] {
        try overflows.split(separator: ",").map { name in
            guard let overflow = SimOverflow(rawValue: String(name)) else {
                throw ValidationError("unknown overflow '\(name)'; choose from wait, busy503, reject429")
            }
            return overflow
        }
    }

    private func parsedLimits() throws -> [AutoSizeBenchmark.Limit] {
        let words = limits.split(separator: ",").map(String.init)
        let fixed = try words.filter { $0 != "auto" }.map { word in
            guard let value = Int(word), (1...1024).contains(value) else {
                throw ValidationError("unknown limit '\(word)'; give whole numbers 1...1024 or auto")
            }
            return value
        }
        let maximum = fixed.max() ?? requests
        return words.map { $0 == "auto" ? .auto(maximum: maximum) : .fixed(Int($0)!) }
    }

    func run() async throws {
        let model = SimModel(name: "bench-200", timeToFirstToken: .milliseconds(100), tokensPerSecond: 100, answerTokens: 200)
        let benchmark = AutoSizeBenchmark(requests: requests, model: model.name)
        var cells: [AutoSizeBenchmark.Cell] = []
        for overflow in try parsedOverflows() {
            for limit in try parsedLimits() {
                if !json { TerminalOutput().writeError("running \(overflow.rawValue) limit \(limit)...\n") }
                let server = SimServer(config: SimConfig(
                    models: [model], slots: slots, overflow: overflow, exposesSlots: false))
                do {
                    let port = try await server.start()
                    let cell = try await benchmark.run(
                        baseURL: "http://127.0.0.1:\(port)/v1", overflow: overflow.rawValue, limit: limit)
                    cells.append(cell)
                } catch {
                    await server.stop()
                    TerminalOutput().writeError("error: \(error)\n")
                    throw ExitCode.failure
                }
                await server.stop()
            }
        }
        TerminalOutput().line(json ? AutoSizeBenchmark.json(cells) : AutoSizeBenchmark.table(cells))
    }
}
