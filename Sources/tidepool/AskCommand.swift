import ArgumentParser
import Foundation
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
        from standard input when not given. Reasoning text goes to standard error, the answer to \
        standard output. The exit status is non-zero on any error, with the message on standard error.

        Examples:
          tidepool ask sim:sim-fast "Explain connection pooling in two sentences"
          echo "Summarise this" | tidepool ask ollama:qwen3:4b --system "Be brief"
          tidepool ask openai-compatible:my-model --base-url http://127.0.0.1:8000/v1 "hi" --json
        """
    )

    @OptionGroup var options: GlobalOptions

    @Argument(help: "PROVIDER:MODEL to ask.")
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
        catalog.applyLimits(to: PoolManager.shared)
        let provider = try catalog.provider(named: providerName, transport: PoolManager.shared)
        let request = ChatRequest(
            model: modelName, messages: [ChatMessage(role: .user, text: text)],
            systemPrompt: system ?? config.systemPrompt,
            temperature: temperature, maxTokens: maxTokens, reasoning: reasoning)
        var endedWithNewline = true
        var failure: (any Error)?
        do {
            for try await event in provider.stream(request) {
                if json {
                    output.line(EventJSON.encode(event))
                    continue
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
            }
        } catch {
            failure = error
        }
        if !json && !endedWithNewline { output.write("\n") }
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
        guard !text.isEmpty else { throw ValidationError("no prompt: give one after the model, or on standard input") }
        return text
    }
}
