import Foundation
import TidepoolChat
import TidepoolCurses
import TidepoolMetrics
import TidepoolPool
import TidepoolProviders
import TidepoolStore
import TidepoolTUI

/// Starts the chat screen from what the command line asked for: opens the history (or the
/// resumed session), chooses the panes (``PaneSelection``), starts the embedded simulator
/// when a pane needs it, warms the panes' pools, then runs the chat loop on a thread of its own
/// that owns the terminal until the user quits.
public struct ChatLauncher {
    /// `-m PROVIDER:MODEL` values, in order.
    public var models: [String] = []
    /// `--resume`, with the session id when one was given.
    public var resume = false
    public var session: Int64?
    /// `--no-history`.
    public var noHistory = false
    /// `--broadcast`.
    public var broadcast = false
    /// `--theme` and `--system`, overriding the config.
    public var theme: String?
    public var system: String?
    /// The config's `panes` entries left out as unusable, for the screen's opening notice.
    public var skippedPanes: [ConfigIssue] = []
    /// Where to serve `/metrics` (`--metrics-listen` or the config's), nil for nowhere.
    public var metrics: MetricsListenAddress?

    /// Why the screen did not start, when the message was already written to standard error.
    public struct AlreadyReported: Error {}

    /// Creates a launcher with the defaults of a bare `tidepool`.
    public init() {}

    /// Runs the screen until the user quits. Throws ``AlreadyReported`` after writing an
    /// `error:` line, or the error of a bad `-m` value.
    public func run(config: TidepoolConfig, paths: ConfigPaths) async throws {
        Self.preferUTF8Locale()
        let home = paths.homeDirectory
        let pool = PoolManager.shared
        var catalog = ProviderCatalog.builtIn().merging(config: config, homeDirectory: home)
        // Before anything connects, so every connection is counted. A port in use is shown
        // in the status line and logged; the chat starts anyway.
        var metricsEndpoint: MetricsEndpoint?
        var metricsProblem: String?
        if let metrics { (metricsEndpoint, metricsProblem) = await MetricsEndpoint.start(address: metrics, pool: pool) }

        // History first: a resumed session decides the panes.
        let recorder: HistoryRecorder
        var resumed: AppState?
        if noHistory {
            recorder = HistoryRecorder(disabledBecause: "--no-history")
        } else if resume {
            (recorder, resumed) = try Self.openResumed(session, paths: paths, theme: theme ?? config.theme,
                                                       system: system ?? config.systemPrompt)
        } else {
            recorder = HistoryRecorder.open(path: paths.historyDatabase, privateDirectory: true)
        }
        let commandLine = resumed == nil ? try models.map { try catalog.parse($0) } : []
        let configured = config.panes.map { ($0.provider, $0.model) }
        // Probed through a pool manager of its own, so the panel shows the panes' pools and
        // not four refused probes. The models found feed the model picker too.
        let probe = PoolManager()
        metricsEndpoint?.include(probe)
        let found = await Discovery(transport: probe).run()
        let (panes, notice) = PaneSelection.choose(
            resumed: resumed, commandLine: commandLine, configured: configured, discovered: found)
        // A pane whose local server is down says so from the start, with how to start it.
        let notRunning = await catalog.serversNotRunning(for: panes, transport: probe)
        probe.shutdown()

        let simulator: EmbeddedSimulator?
        (catalog, simulator) = try await EmbeddedSimulator.catalog(
            serving: panes.map(\.provider), config: config, homeDirectory: home)
        catalog.applyLimits(to: pool)

        var state = resumed ?? AppState(
            panes: AppState.panes(panes), broadcast: broadcast || config.broadcast,
            theme: theme ?? config.theme, systemPrompt: system ?? config.systemPrompt)
        if broadcast { state.broadcast = true }
        for (index, hint) in notRunning where state.panes.indices.contains(index) && state.panes[index].activeRequest == nil {
            state.panes[index].status = .notRunning
            state.panes[index].serverHint = hint
        }
        // What the user must know first: a metrics address that could not be served, a panes
        // entry left out, then the history's state, then why these panes were chosen.
        let opening = [metricsProblem, PaneSelection.skippedNotice(resumed == nil ? skippedPanes : []), recorder.notice, notice]
            .compactMap { $0 }
        state.notice = opening.isEmpty ? "F1 help · Enter send · Ctrl-B broadcast · Ctrl-Q quit" : opening.joined(separator: "; ")
        catalog.warm(panes: panes.indices.filter { notRunning[$0] == nil }.map { panes[$0] }, pool: pool)
        let directory = catalog.directory(transport: pool)
        let themes = ThemeCatalog(directories: ThemeCatalog.standardDirectories(userConfigDirectory: paths.configDirectory))
        let initialState = state
        let modelSuggestions = PaneSelection.modelSuggestions(
            discovered: found, configured: configured,
            simulatorModels: simulator != nil ? EmbeddedSimulator.modelNames : nil, panes: panes)
        let finalCatalog = catalog
        let exporter = metricsEndpoint?.exporter

        let failure: (any Error)? = await withCheckedContinuation { (done: CheckedContinuation<(any Error)?, Never>) in
            let thread = Thread {
                done.resume(returning: Self.runScreen(
                    state: initialState, directory: directory, catalog: finalCatalog, pool: pool, themes: themes,
                    recorder: recorder, modelSuggestions: modelSuggestions, metrics: exporter))
            }
            thread.stackSize = 4 << 20
            thread.start()
        }
        recorder.waitUntilWritten()
        await simulator?.stop()
        await metricsEndpoint?.stop()
        if let failure {
            TerminalOutput().writeError("error: \(failure)\n")
            throw AlreadyReported()
        }
    }

    /// Runs the screen on the calling thread, which then owns the terminal; returns an error
    /// if the terminal could not be taken over.
    private static func runScreen(state: AppState, directory: ProviderDirectory, catalog: ProviderCatalog,
                                  pool: PoolManager, themes: ThemeCatalog, recorder: HistoryRecorder,
                                  modelSuggestions: [String], metrics: PoolMetricsExporter?) -> (any Error)? {
        let terminal: CursesTerminal
        do {
            terminal = try CursesTerminal(environment: ProcessInfo.processInfo.environment)
        } catch {
            return error
        }
        defer { terminal.restore() }
        let waker = terminal.waker
        let inbox = ChatLoop.Inbox(wake: { waker.wake() })
        // Polls the local servers the panes use while they are in use (no timer when idle);
        // each reading goes to the panel and, with `--metrics-listen`, to `/metrics`.
        let monitor = ServerMonitor(transport: pool, post: { message in
            if let metrics, case .serverReading(let origin, let reading) = message, reading.problem == nil {
                metrics.record(server: reading.snapshot, for: origin)
            }
            inbox.post(message)
        })
        let runtime = ChatRuntime(directory: directory, pool: pool, monitor: monitor,
                                  deliveryInterval: ChatRuntime.screenDeliveryInterval) { inbox.post($0) }
        let stop = ChatLoop.StopRequest()
        let signals = SignalWatcher(signals: [SIGTERM, SIGHUP, SIGINT]) {
            stop.request()
            waker.wake()
        }
        defer { signals.cancel() }
        var state = state
        state.input.modelSuggestions = modelSuggestions
        let program = ChatProgram(state: state, recorder: recorder, runtime: runtime,
                                  resolveModel: { text in try catalog.parse(text) })
        let loop = ChatLoop(program: program, terminal: terminal, inbox: inbox, poolStats: { pool.stats() },
                            themes: themes, stopRequested: stop, environment: ProcessInfo.processInfo.environment)
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
                throw AlreadyReported()
            }
            let stored = try store.loadSession(sessionID)
            let state = AppState(resuming: stored, theme: theme, systemPrompt: system)
            return (HistoryRecorder(store: store, resuming: stored), state)
        } catch let error as HistoryError {
            TerminalOutput().writeError("error: \(error)\n")
            throw AlreadyReported()
        }
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
