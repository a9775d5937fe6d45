import ArgumentParser
import Foundation
import TidepoolApp
import TidepoolSim

/// `tidepool sim`: the built-in simulated model server, standalone.
struct SimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim",
        abstract: "Run the built-in simulated model server on loopback until Ctrl-C.",
        discussion: """
        It speaks all three wire formats on one port: Ollama (POST /api/chat, GET /api/tags), \
        OpenAI-compatible (POST /v1/chat/completions, GET /v1/models) and Anthropic \
        (POST /v1/messages, GET /v1/models with an anthropic-version header). It counts \
        connections and requests per connection at GET /_sim/stats (POST /_sim/reset zeroes them).

        Models: sim-fast, sim-steady, sim-thinker (reasons first), sim-instant; append :instant to \
        any for an immediate answer. Fault models: fault-drop (connection dropped mid-stream), \
        fault-stall (goes silent), fault-429 (Retry-After: 1), fault-500, fault-malformed, \
        fault-refuse (closes without answering).

        Example: tidepool sim --port 11434, then in another terminal \
        tidepool ask ollama:sim-fast "hello" talks to it as if it were Ollama.
        """
    )

    @Option(help: "Address to listen on (loopback only makes sense: it is a simulator).")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 11434

    @Option(help: "Speed multiplier for every model (2 = twice as fast).")
    var speed = 1.0

    @Option(help: "A seed mixed into every answer, for different but repeatable text.")
    var seed: UInt64 = 0

    @Option(help: "Also serve the model sim-bench streaming this many tokens per second (for `tidepool bench screen`).")
    var benchRate: Double?

    @Option(help: "The length of sim-bench's answers in tokens.")
    var benchTokens = 3000

    @Option(help: "Answers generated at once (slots); unlimited when omitted. Shown on GET /slots and /props.")
    var slots: Int?

    @Option(help: "What a request finding every slot busy gets: wait (queue, like vLLM and llama.cpp), busy503 (Ollama), reject429 (hosted APIs, Retry-After: 1).")
    var overflow: SimOverflow = .wait

    @Flag(help: "Answer /slots and /props with 501, like llama-server --no-slots, so clients must learn the limit.")
    var hideSlots = false

    @Option(name: .customLong("model-slots"), help: "Slots of one model's own, NAME=N (repeatable), used instead of --slots for that model, as Ollama's OLLAMA_NUM_PARALLEL is per model.")
    var modelSlots: [String] = []

    func validate() throws {
        if let benchRate, !(benchRate > 0) { throw ValidationError("--bench-rate must be greater than 0") }
        guard benchTokens >= 1 else { throw ValidationError("--bench-tokens must be at least 1") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535") }
        guard speed > 0 else { throw ValidationError("--speed must be greater than 0") }
        if let slots, !(1...1024).contains(slots) { throw ValidationError("--slots must be 1...1024") }
        let served = SimModel.defaults.map(\.name) + (benchRate == nil ? [] : ["sim-bench"])
        if let unknown = try parsedModelSlots().keys.sorted().first(where: { !served.contains($0) }) {
            throw ValidationError("--model-slots names '\(unknown)', which is not served; models: "
                + served.joined(separator: ", "))
        }
    }

    /// `--model-slots NAME=N` as a name-to-count table.
    private func parsedModelSlots() throws -> [String: Int] {
        var table: [String: Int] = [:]
        for entry in modelSlots {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, let count = Int(parts[1]), (1...1024).contains(count) else {
                throw ValidationError("--model-slots takes NAME=N with N in 1...1024, for example sim-fast=2; got '\(entry)'")
            }
            table[parts[0]] = count
        }
        return table
    }

    func run() async throws {
        var models = SimModel.defaults
        if let benchRate {
            models.append(SimModel(name: "sim-bench", tokensPerSecond: benchRate, answerTokens: benchTokens))
        }
        let perModel = try parsedModelSlots()
        models = models.map { model in perModel[model.name].map { model.withSlots($0) } ?? model }
        let config = SimConfig(
            models: models, speed: speed, seed: seed, slots: slots, overflow: overflow, exposesSlots: !hideSlots)
        let server = SimServer(config: config)
        let output = TerminalOutput()
        let host = self.host
        do {
            try await server.run(host: host, port: port) { bound in
                output.line("""
                Tidepool simulator on http://\(host):\(bound)
                  Ollama     POST /api/chat            GET /api/tags
                  OpenAI     POST /v1/chat/completions GET /v1/models
                  Anthropic  POST /v1/messages         GET /v1/models
                  stats      GET /_sim/stats
                  monitoring GET /api/ps               GET /slots, /props (with --slots)
                models: \(config.models.map(\.name).joined(separator: ", "))
                Ctrl-C stops it.
                """)
            }
        } catch {
            output.writeError("error: \(error)\n")
            throw ExitCode.failure
        }
    }
}

extension SimOverflow: ExpressibleByArgument {}
