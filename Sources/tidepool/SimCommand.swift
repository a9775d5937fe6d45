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

    func validate() throws {
        if let benchRate, !(benchRate > 0) { throw ValidationError("--bench-rate must be greater than 0") }
        guard benchTokens >= 1 else { throw ValidationError("--bench-tokens must be at least 1") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535") }
        guard speed > 0 else { throw ValidationError("--speed must be greater than 0") }
    }

    func run() async throws {
        var models = SimModel.defaults
        if let benchRate {
            models.append(SimModel(name: "sim-bench", tokensPerSecond: benchRate, answerTokens: benchTokens))
        }
        let config = SimConfig(models: models, speed: speed, seed: seed)
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
