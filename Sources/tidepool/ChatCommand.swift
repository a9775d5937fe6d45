import ArgumentParser
import Dispatch
import Foundation
import Synchronization
import TidepoolChat
import TidepoolCurses
import TidepoolPool
import TidepoolProviders
import TidepoolStore
import TidepoolTUI

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
        """
    )

    @OptionGroup var options: GlobalOptions

    @Option(name: [.short, .customLong("model")], help: "A pane on PROVIDER:MODEL (repeat for more panes).")
    var models: [String] = []

    @Flag(help: "Reopen a stored session (the last one unless SESSION is given) and carry on.")
    var resume = false

    @Argument(help: "With --resume: the session id (see `tidepool history list`).")
    var session: Int64?

    @Flag(help: "Do not store this session in the history database.")
    var noHistory = false

    @Flag(help: "Start with broadcast on: every prompt goes to every pane.")
    var broadcast = false

    @Option(help: "Theme name (see the themes/ directory); Ctrl-T cycles.")
    var theme: String?

    @Option(help: "A system prompt for every pane.")
    var system: String?

    func run() async throws {
        guard isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0 else {
            FileHandle.standardError.write(Data("""
            error: the chat screen needs a terminal. For scripts use `tidepool ask PROVIDER:MODEL "prompt"` \
            or `tidepool compare -m A -m B "prompt"`.

            """.utf8))
            throw ExitCode.failure
        }
        Self.preferUTF8Locale()
        options.bootstrapLogging()
        let config = try options.loadConfig()
        let home = options.paths.homeDirectory
        let pool = PoolManager.shared
        var catalog = ProviderCatalog.builtIn().merging(config: config, homeDirectory: home)

        // History first: a resumed session decides the panes.
        let recorder: HistoryRecorder
        var resumed: AppState?
        if noHistory {
            recorder = HistoryRecorder(disabledBecause: "--no-history")
        } else if resume {
            (recorder, resumed) = try Self.openResumed(session, paths: options.paths, theme: theme ?? config.theme,
                                                       system: system ?? config.systemPrompt)
        } else {
            recorder = HistoryRecorder.open(path: options.paths.historyDatabase, privateDirectory: true)
        }

        var panes: [(provider: String, model: String)]
        if let resumed {
            panes = resumed.panes.map { ($0.provider, $0.model) }
        } else if !models.isEmpty {
            panes = try models.map { try catalog.parse($0) }
        } else {
            panes = config.panes.map { ($0.provider, $0.model) }
        }
        var notice: String?
        // Probed through a pool manager of its own, so the panel shows the panes' pools and
        // not four refused probes. The models found feed the model picker too.
        let probe = PoolManager()
        let found = await Discovery(transport: probe).run()
        probe.shutdown()
        if panes.isEmpty {
            panes = found.prefix(4).compactMap { server in server.models.first.map { (server.preset.id, $0) } }
            if panes.isEmpty {
                panes = [("sim", "sim-fast"), ("sim-ollama", "sim-steady"), ("sim-anthropic", "sim-thinker")]
                notice = "no model server found: these panes talk to the built-in simulator (tidepool -m PROVIDER:MODEL for real ones)"
            }
        }
        let simulator: EmbeddedSimulator?
        (catalog, simulator) = try await EmbeddedSimulator.catalog(
            serving: panes.map(\.provider), config: config, homeDirectory: home)
        catalog.applyLimits(to: pool)

        var state = resumed ?? AppState(
            panes: AppState.panes(panes), broadcast: broadcast || config.broadcast,
            theme: theme ?? config.theme, systemPrompt: system ?? config.systemPrompt)
        if broadcast { state.broadcast = true }
        state.notice = recorder.notice ?? notice ?? "F1 help · Enter send · Ctrl-B broadcast · Ctrl-Q quit"
        Self.warm(panes: panes, catalog: catalog, pool: pool)
        let directory = catalog.directory(transport: pool)
        let themes = ThemeCatalog(directories: Self.themeDirectories(userConfigDirectory: options.paths.configDirectory))
        let initialState = state
        var suggestions = found.flatMap { server in server.models.map { "\(server.preset.id):\($0)" } }
        suggestions += config.panes.map { "\($0.provider):\($0.model)" }
        if simulator != nil {
            suggestions += EmbeddedSimulator.modelNames.filter { !$0.hasPrefix("fault-") }.map { "sim:\($0)" }
        }
        suggestions += panes.map { "\($0.provider):\($0.model)" }
        var seen = Set<String>()
        let modelSuggestions = suggestions.filter { seen.insert($0).inserted }
        let finalCatalog = catalog

        let failure: (any Error)? = await withCheckedContinuation { (done: CheckedContinuation<(any Error)?, Never>) in
            let thread = Thread {
                done.resume(returning: Self.runScreen(
                    state: initialState, directory: directory, catalog: finalCatalog, pool: pool, themes: themes,
                    recorder: recorder, modelSuggestions: modelSuggestions))
            }
            thread.stackSize = 4 << 20
            thread.start()
        }
        recorder.waitUntilWritten()
        await simulator?.stop()
        if let failure {
            FileHandle.standardError.write(Data("error: \(failure)\n".utf8))
            throw ExitCode.failure
        }
    }

    /// Runs the screen on the calling thread, which then owns the terminal; returns an error
    /// if the terminal could not be taken over.
    private static func runScreen(state: AppState, directory: ProviderDirectory, catalog: ProviderCatalog,
                                  pool: PoolManager, themes: ThemeCatalog, recorder: HistoryRecorder,
                                  modelSuggestions: [String]) -> (any Error)? {
        let terminal: CursesTerminal
        do {
            terminal = try CursesTerminal(environment: ProcessInfo.processInfo.environment)
        } catch {
            return error
        }
        defer { terminal.restore() }
        let uiWaker = terminal.waker
        let inbox = ChatInbox(wake: { uiWaker.wake() })
        let runtime = ChatRuntime(directory: directory, pool: pool) { inbox.post($0) }
        let stop = ChatLoop.StopRequest()
        let waker = terminal.waker
        let signals = SignalWatcher(signals: [SIGTERM, SIGHUP, SIGINT]) {
            stop.request()
            waker.wake()
        }
        defer { signals.cancel() }
        let loop = ChatLoop(state: state, terminal: terminal, inbox: inbox, runtime: runtime, pool: pool,
                            themes: themes, recorder: recorder, stopRequested: stop,
                            parseModel: { text in try catalog.parse(text) }, modelSuggestions: modelSuggestions)
        loop.run()
        return nil
    }

    /// Opens the history for `--resume`: the given session, else the last one.
    private static func openResumed(_ id: Int64?, paths: ConfigPaths, theme: String, system: String?) throws
        -> (HistoryRecorder, AppState)
    {
        do {
            let store = try HistoryStore(paths: paths)
            guard let sessionID = try id ?? store.lastSessionID() else {
                TerminalOutput().writeError("error: there is no stored session to resume yet; start one with `tidepool`\n")
                throw ExitCode.failure
            }
            let stored = try store.loadSession(sessionID)
            let state = AppState(resuming: stored, theme: theme, systemPrompt: system)
            return (HistoryRecorder(store: store, resuming: stored), state)
        } catch let error as HistoryError {
            TerminalOutput().writeError("error: \(error)\n")
            throw ExitCode.failure
        }
    }

    /// Opens one connection to each pane's origin in the background (TLS included), so the
    /// first prompt finds it warm. Servers that are down are left for the pane to report.
    private static func warm(panes: [(provider: String, model: String)], catalog: ProviderCatalog, pool: PoolManager) {
        var origins: [Origin] = []
        for pane in panes {
            guard let provider = try? catalog.provider(named: pane.provider, transport: pool),
                  !origins.contains(provider.origin) else { continue }
            origins.append(provider.origin)
            let options = provider.connectionOptions
            let origin = provider.origin
            Task.detached { _ = try? await pool.warm(origin, connections: 1, options: options) }
        }
    }

    /// Where themes come from, later ones overriding earlier ones by name: the directories
    /// beside the executable and the working directory, the repository's `themes/` when the
    /// binary runs from its build folder, then the user's `themes/` in the config directory.
    static func themeDirectories(userConfigDirectory: String) -> [URL] {
        let executable = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0])
        var directories: [URL] = []
        var ancestor = executable.deletingLastPathComponent()
        for _ in 0..<4 {
            ancestor.deleteLastPathComponent()
            directories.append(ancestor.appendingPathComponent("themes"))
        }
        directories.reverse()
        directories += ThemeCatalog.bundledThemeDirectories(
            executable: executable, currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        directories.append(URL(fileURLWithPath: userConfigDirectory).appendingPathComponent("themes"))
        return directories
    }

    /// ncursesw draws wide characters only in a UTF-8 locale; when the environment names
    /// none, use C.UTF-8 (present on every Debian system).
    private static func preferUTF8Locale() {
        let environment = ProcessInfo.processInfo.environment
        let current = environment["LC_ALL"] ?? environment["LC_CTYPE"] ?? environment["LANG"] ?? ""
        if !current.uppercased().contains("UTF-8") && !current.uppercased().contains("UTF8") {
            setenv("LC_ALL", "C.UTF-8", 1)
        }
    }
}

/// Turns termination signals into a callback on a background queue, instead of their default
/// action, so the screen can restore the terminal before the process ends.
final class SignalWatcher {
    private let sources: [any DispatchSourceSignal]

    init(signals: [Int32], handler: @escaping @Sendable () -> Void) {
        let queue = DispatchQueue(label: "tidepool.signals")
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler(handler: handler)
            source.resume()
            return source
        }
    }

    /// Stops watching.
    func cancel() {
        for source in sources { source.cancel() }
    }
}
