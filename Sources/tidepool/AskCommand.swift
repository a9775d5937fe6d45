import ArgumentParser
import Foundation
import TidepoolApp
import TidepoolChat
import TidepoolPool
import TidepoolProviders

/// `tidepool ask`: one streamed answer on standard output, for scripts and quick questions.
struct AskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "Stream one answer from one model to standard output.",
        discussion: """
        MODEL is PROVIDER:MODEL, e.g. ollama:qwen3:4b, openai:gpt-4o-mini, anthropic:claude-sonnet-4-5, \
        lmstudio:qwen2.5-7b-instruct, or sim:sim-fast for the built-in simulator. The prompt is read \
        from standard input when not given. `@path` in the prompt attaches a text file (at most 256 KiB; \
        `@@` is a literal @). Reasoning text goes to standard error, the answer to \
        standard output. The exit status is non-zero on any error, with the message on standard error. \
        The question and its answer are stored in the history like any conversation (unless --no-history).

        Examples:
          tidepool ask sim:sim-fast "Explain connection pooling in two sentences"
          echo "Summarise this" | tidepool ask ollama:qwen3:4b --system "Be brief"
          tidepool ask sim:sim-fast --json "hi"
          tidepool ask openai-compatible:m --base-url http://127.0.0.1:8000/v1 hi
        """
    )

    @OptionGroup var options: GlobalOptions

    @Argument(help: "PROVIDER:MODEL to ask.", completion: Completions.providers)
    var model: String

    @Argument(help: "The prompt (read from standard input when omitted).")
    var prompt: [String] = []

    @Option(help: "A system prompt.")
    var system: String?

    @Option(help: "Replace the provider's base URL (with /v1 for OpenAI-compatible servers; the bare origin for Ollama and Anthropic).")
    var baseURL: String?

    @Option(help: "Sampling temperature.")
    var temperature: Double?

    @Option(help: "Most tokens to generate.")
    var maxTokens: Int?

    @Flag(inversion: .prefixedNo, help: "Ask the model to reason first, where the server supports it.")
    var reasoning: Bool?

    @Flag(help: "Print one JSON object per event (text, reasoning, usage, finish, timings) instead of plain text.")
    var json = false

    @Flag(help: "Do not store this question and its answer in the history.")
    var noHistory = false

    func run() async throws {
        options.bootstrapLogging()
        let output = TerminalOutput()
        let config = try options.loadConfig(modelsOnCommandLine: true)
        let home = options.paths.homeDirectory
        let text = try readPrompt()
        let (providerName, modelName) = try ProviderCatalog.builtIn().merging(config: config, homeDirectory: home).parse(model)
        var (catalog, simulator) = try await EmbeddedSimulator.catalog(
            serving: [providerName], config: config, homeDirectory: home)
        if let baseURL { catalog.entries[providerName]?.baseURL = baseURL }
        let pool = PoolManager.shared
        catalog.applyLimits(to: pool)

        // The same path as every other conversation: the app's update function makes the
        // request, the recorder stores the prompt before it is sent, the runtime streams it.
        let (temperature, maxTokens, reasoning) = (temperature, maxTokens, reasoning)
        let chat = CommandLineChat(
            state: AppState(panes: AppState.panes([(providerName, modelName)]), systemPrompt: system ?? config.systemPrompt),
            catalog: catalog, pool: pool, historyDatabase: options.paths.historyDatabase, noHistory: noHistory,
            output: output,
            adjustRequest: { request in
                request.temperature = temperature
                request.maxTokens = maxTokens
                request.reasoning = reasoning
            })
        chat.program.send(.submit(text))
        // Nothing started: an `@path` attachment could not be read (the notice says which).
        if !chat.program.state.isStreaming {
            chat.finish()
            await simulator?.stop()
            output.writeError("error: \(chat.program.state.notice ?? "nothing was sent")\n")
            throw ExitCode.failure
        }

        var endedWithNewline = true
        var failure: String?
        for await message in chat.messages {
            chat.program.send(message)
            switch message {
            case .chatEvent(_, _, let event):
                if json {
                    output.line(EventJSON.encode(event))
                    break
                }
                switch event {
                case .textDelta(let delta):
                    output.write(delta)
                    endedWithNewline = delta.hasSuffix("\n")
                case .reasoningDelta(let delta):
                    output.writeError(delta)
                default:
                    break
                }
            case .chatFailed(_, _, let text):
                failure = text
            default:
                break
            }
            if !chat.program.state.isStreaming { break }
        }
        if !json && !endedWithNewline { output.write("\n") }
        chat.finish()
        await simulator?.stop()
        if let failure {
            output.writeError("error: \(failure)\n")
            throw ExitCode.failure
        }
    }

    private func readPrompt() throws -> String {
        if !prompt.isEmpty { return prompt.joined(separator: " ") }
        if isatty(STDIN_FILENO) != 0 {
            TerminalOutput().writeError("Type the prompt, then Ctrl-D:\n")
        }
        let data = FileHandle.standardInput.readDataToEndOfFile()
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else {
            // Thrown as a ValidationError from `run` this would print the top-level usage;
            // the reader needs `ask`'s.
            let usage = Tidepool.usageString(for: AskCommand.self)
            TerminalOutput().writeError("""
                error: no prompt: give one after the model, or on standard input
                \(usage.hasPrefix("Usage:") ? usage : "Usage: " + usage)
                  See 'tidepool help ask' for more information.

                """)
            throw ExitCode.validationFailure
        }
        return text
    }
}
