import ArgumentParser
import Foundation
import TidepoolApp

/// `tidepool` / `tidepool chat`: the multi-pane chat screen.
struct ChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Open chat panes to several models side by side (the default command).",
        discussion: """
        With no -m: the panes from the config file, else one pane per local server found \
        (Ollama, LM Studio, llama.cpp, vLLM), else three panes on the built-in simulator, so it \
        always starts. Every pane sends through one shared connection pool, shown live in the \
        side panel (Ctrl-P). Enter sends to the focused pane, or to every pane with broadcast \
        (Ctrl-B); F1 lists every key.

        Examples:
          tidepool
          tidepool -m ollama:qwen3:4b -m openai:gpt-4o-mini --broadcast
          tidepool -m sim:sim-fast -m sim-ollama:sim-steady -m sim-anthropic:sim-thinker
          tidepool --metrics-listen 127.0.0.1:9464    (then: curl http://127.0.0.1:9464/metrics)
        """
    )

    @OptionGroup var options: GlobalOptions

    @OptionGroup(title: "Metrics") var metrics: MetricsOptions

    @Option(name: [.short, .customLong("model")], help: "A pane on PROVIDER:MODEL (repeat for more panes).",
            completion: Completions.providers)
    var models: [String] = []

    @Flag(help: "Reopen a stored session (the last one unless SESSION is given) and carry on.")
    var resume = false

    @Argument(help: "With --resume: the session id (see `tidepool history list`).")
    var session: Int64?

    @Flag(help: "Do not store this session in the history database.")
    var noHistory = false

    @Flag(help: "Start with broadcast on: every prompt goes to every pane.")
    var broadcast = false

    @Option(help: "Theme name (see the themes/ directory); Ctrl-T cycles.", completion: Completions.themes)
    var theme: String?

    @Option(help: "A system prompt for every pane.")
    var system: String?

    func run() async throws {
        guard isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0 else {
            TerminalOutput().writeError("""
            error: the chat screen needs a terminal. For scripts use `tidepool ask PROVIDER:MODEL "prompt"` \
            or `tidepool compare -m A -m B "prompt"`.

            """)
            throw ExitCode.failure
        }
        options.bootstrapLogging()
        // A bad `panes` entry does not stop the screen: the good ones open and the screen
        // says which entry it skipped and why.
        let (config, skipped) = try options.loadConfigSkippingPanes(modelsOnCommandLine: true)
        var launcher = ChatLauncher()
        launcher.skippedPanes = skipped
        launcher.models = models
        launcher.resume = resume
        launcher.session = session
        launcher.noHistory = noHistory
        launcher.broadcast = broadcast
        launcher.theme = theme
        launcher.system = system
        launcher.metrics = metrics.address(config: config)
        do {
            try await launcher.run(config: config, paths: options.paths)
        } catch is ChatLauncher.AlreadyReported {
            throw ExitCode.failure
        }
    }
}
