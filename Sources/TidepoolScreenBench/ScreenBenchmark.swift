import Dispatch
import Foundation
import Synchronization
import TidepoolChat
import TidepoolCurses
import TidepoolPool
import TidepoolProviders
import TidepoolSim
import TidepoolTUI

/// `tidepool bench screen`: what the screen costs while panes stream, through the real
/// pipeline. The simulator runs as a child process (`tidepool sim --bench-rate R
/// --bench-tokens N`); this process sends one broadcast prompt through the pool and the
/// OpenAI-compatible provider, applies what arrives with ``ChatApp/update(_:_:)`` via the
/// coalescing ``ChatInbox``, renders with ``ChatScreen`` and a ``TranscriptCache`` at most
/// about 30 times a second, and paints with ``CursesTerminal`` into a pseudo-terminal whose
/// other end a thread drains (a terminal emulator's work, so its CPU is not counted).
///
/// The session is recorded into a throw-away history database, as the chat screen does
/// unless `--no-history`. Only this process's CPU counts (getrusage, minus the drain thread's own CPU time). A run
/// is valid only if every pane received at least 95% of the requested rate.
public struct ScreenBenchmark: Sendable {
    /// What to run.
    public struct Options: Sendable, Codable {
        public var panes = 8
        public var rate = 200.0
        public var tokens = 3000
        /// Finished turns (prompt + answer of `tokens` tokens) seeded into every pane first.
        public var turns = 0
        public var width = 200
        public var height = 50
        /// Render through a ``TranscriptCache`` as the chat screen does; false renders every
        /// turn afresh each frame (the first release's way, for comparison).
        public var cached = true
        /// Record the session into a throw-away history database, as the chat screen does
        /// by default (streamed text checkpointed once a second).
        public var history = true
        /// How long the pool may hold a stream's bytes back (the chat screen's
        /// ``ChatRuntime/screenDeliveryInterval``). Chunk-to-screen starts when the runtime
        /// posts a chunk, so a chunk may have waited up to this long before that.
        public var deliveryIntervalMilliseconds = Options.screenDeliveryIntervalMilliseconds

        /// The chat screen's delivery interval in milliseconds.
        public static let screenDeliveryIntervalMilliseconds = ChatRuntime.screenDeliveryInterval * 1000

        public init(panes: Int = 8, rate: Double = 200, tokens: Int = 3000, turns: Int = 0, cached: Bool = true,
                    history: Bool = true) {
            self.history = history
            self.panes = panes
            self.rate = rate
            self.tokens = tokens
            self.turns = turns
            self.cached = cached
        }
    }

    /// What one run measured.
    public struct Result: Sendable, Codable {
        public var options: Options
        /// CPU of this process over the answer (first token to last), % of one core.
        public var cpuPercent: Double
        /// The same per quarter of the delivered tokens.
        public var cpuPercentByQuarter: [Double]
        public var frames: Int
        public var frameMillisecondsP50: Double
        public var frameMillisecondsP99: Double
        /// Chunk received (posted by the runtime) to the frame showing it presented: the oldest
        /// chunk of each frame, so an upper bound for every chunk in that frame.
        public var chunkToScreenMillisecondsP50: Double
        public var chunkToScreenMillisecondsP99: Double
        /// Tokens per second each pane received, from its first token to its last.
        public var tokensPerSecondByPane: [Double]
        public var tokensByPane: [Int]
        public var peakRSSKilobytes: Int
        public var seconds: Double
        /// Every pane got at least 95% of the rate and all its tokens.
        public var valid: Bool
        /// Why not, when not.
        public var problem: String?
    }

    public var options: Options

    public init(options: Options) {
        self.options = options
    }

    /// Runs the benchmark; `executable` is this program (its `sim` command is the server).
    public func run(executable: String) throws -> Result {
        let simulator = try SimulatorChild(executable: executable, rate: options.rate, tokens: options.tokens)
        defer { simulator.stop() }
        let pty = try PseudoTerminal(rows: options.height, columns: options.width)
        // Left open until the process exits: the drain thread reads the primary side until
        // then, so the terminal's last writes (restoring it) never block.
        let drain = PtyDrain(fd: pty.primary)
        let pool = PoolManager(defaultLimits: PoolLimits(maxConnections: options.panes, maxIdleConnections: options.panes))
        defer { pool.shutdown() }
        let catalog = ProviderCatalog.builtIn(simulatorOrigin: simulator.origin)
        let directory = catalog.directory(transport: pool, environment: [:])
        let terminal = try CursesTerminal(term: "xterm-256color", inputFD: pty.secondary, outputFD: pty.secondary,
                                          environment: ["TERM": "xterm-256color"])
        defer { terminal.restore() }
        let waker = terminal.waker
        let inbox = ChatInbox(wake: { waker.wake() })
        let arrivals = Arrivals(panes: options.panes)
        let runtime = ChatRuntime(directory: directory, pool: pool,
                                  deliveryInterval: options.deliveryIntervalMilliseconds / 1000) { message in
            arrivals.post(message, into: inbox)
        }
        defer { runtime.cancelAll() }
        let historyDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("tidepool-bench-screen-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: historyDirectory) }
        let recorder = options.history
            ? HistoryRecorder.open(path: historyDirectory + "/history.sqlite")
            : HistoryRecorder(disabledBecause: "--no-history")
        var loop = Loop(options: options, terminal: terminal, inbox: inbox, arrivals: arrivals, runtime: runtime,
                        recorder: recorder, drain: drain)
        let result = loop.run()
        recorder.waitUntilWritten()
        return result
    }

    // MARK: Output

    /// The result as a table.
    public static func table(_ result: Result) -> String {
        let o = result.options
        func f(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }
        var rows: [(String, String)] = [
            ("configuration", "\(o.panes) panes x \(f(o.rate, 0)) tok/s x \(o.tokens) tokens, \(o.turns) seeded turns, \(o.width)x\(o.height)\(o.history ? "" : ", no history")\(o.cached ? "" : ", uncached")"),
            ("CPU, % of one core", f(result.cpuPercent)),
            ("CPU by quarter of the answer", result.cpuPercentByQuarter.map { f($0) }.joined(separator: " / ")),
            ("frames drawn", "\(result.frames)"),
            ("frame time p50 / p99, ms", "\(f(result.frameMillisecondsP50, 2)) / \(f(result.frameMillisecondsP99, 2))"),
            ("chunk-to-screen p50 / p99, ms", "\(f(result.chunkToScreenMillisecondsP50)) / \(f(result.chunkToScreenMillisecondsP99))"),
            ("  + held in the pool, at most, ms", f(o.deliveryIntervalMilliseconds)),
            ("tokens/s per pane, min / max", "\(f(result.tokensPerSecondByPane.min() ?? 0)) / \(f(result.tokensPerSecondByPane.max() ?? 0))"),
            ("peak RSS, MiB", f(Double(result.peakRSSKilobytes) / 1024)),
            ("wall time, s", f(result.seconds)),
            ("valid (every pane >= 95% of the rate)", result.valid ? "yes" : "NO: \(result.problem ?? "")"),
        ]
        let width = rows.map(\.0.count).max() ?? 0
        rows = rows.map { ($0.0.padding(toLength: width, withPad: " ", startingAt: 0), $0.1) }
        return rows.map { "\($0.0)  \($0.1)" }.joined(separator: "\n")
    }

    /// The result as JSON.
    public static func json(_ result: Result) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return (try? encoder.encode(result)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

/// Why the benchmark could not run.
public enum ScreenBenchmarkError: Error, CustomStringConvertible {
    case simulatorDidNotStart(String)

    public var description: String {
        switch self {
        case .simulatorDidNotStart(let detail): "the simulator child did not start: \(detail)"
        }
    }
}

// MARK: - The pieces

/// Counts what the runtime posts, per pane, and the oldest chunk not yet on screen; posts
/// into the inbox under the same lock, so a drain and its oldest arrival always match.
final class Arrivals: Sendable {
    struct State {
        var chunks: [Int]
        var first: [UInt64?]
        var last: [UInt64?]
        var oldestPending: UInt64?
        var total = 0
    }

    let state: Mutex<State>

    init(panes: Int) {
        state = Mutex(State(chunks: Array(repeating: 0, count: panes), first: Array(repeating: nil, count: panes),
                            last: Array(repeating: nil, count: panes)))
    }

    func post(_ message: AppMessage, into inbox: ChatInbox) {
        state.withLock { state in
            if case .chatEvent(let pane, _, .textDelta) = message, state.chunks.indices.contains(pane - 1) {
                let now = DispatchTime.now().uptimeNanoseconds
                state.chunks[pane - 1] += 1
                state.total += 1
                if state.first[pane - 1] == nil { state.first[pane - 1] = now }
                state.last[pane - 1] = now
                if state.oldestPending == nil { state.oldestPending = now }
            }
            inbox.post(message)
        }
    }

    /// Takes the inbox and the arrival time of its oldest chunk.
    func drain(_ inbox: ChatInbox) -> (messages: [AppMessage], oldest: UInt64?, total: Int) {
        state.withLock { state in
            defer { state.oldestPending = nil }
            return (inbox.drain(), state.oldestPending, state.total)
        }
    }

    var snapshot: State { state.withLock { $0 } }
}

/// The UI thread's loop, as the chat screen runs it, with measurements.
struct Loop {
    static let frameInterval: UInt64 = 33_000_000

    let options: ScreenBenchmark.Options
    let terminal: CursesTerminal
    let inbox: ChatInbox
    let arrivals: Arrivals
    /// The chat as the screen runs it: update, recorder and runtime behind one interpreter.
    let program: ChatProgram
    let drain: PtyDrain
    var state: AppState { program.state }
    var editor = LineEditor()
    let cache = TranscriptCache()
    let theme: Theme
    var shown: Screen?
    var canvas: Screen?

    init(options: ScreenBenchmark.Options, terminal: CursesTerminal, inbox: ChatInbox, arrivals: Arrivals,
         runtime: ChatRuntime, recorder: HistoryRecorder, drain: PtyDrain) {
        self.options = options
        self.terminal = terminal
        self.inbox = inbox
        self.arrivals = arrivals
        self.drain = drain
        theme = Theme.default
        var state = AppState(panes: AppState.panes(Array(repeating: ("sim", "sim-bench"), count: options.panes)),
                             broadcast: true)
        if options.turns > 0 { Self.seed(&state, turns: options.turns, tokens: options.tokens) }
        program = ChatProgram(state: state, recorder: recorder, runtime: runtime,
                              resolveModel: { _ in ("sim", "sim-bench") })
    }

    /// Fills every pane with finished turns of Markdown text like the simulator's.
    static func seed(_ state: inout AppState, turns: Int, tokens: Int) {
        let answer = SimTextGenerator(seed: 20).answer(tokens: tokens).joined()
        var id = 1_000_000_000
        for pane in state.panes.indices {
            for turn in 0..<turns {
                state.panes[pane].turns.append(Turn(id: id, role: .user, text: "Question number \(turn + 1), please"))
                state.panes[pane].turns.append(Turn(id: id + 1, role: .assistant, text: answer))
                id += 2
            }
        }
    }

    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    static func cpuNanoseconds() -> UInt64 {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let user = UInt64(usage.ru_utime.tv_sec) * 1_000_000_000 + UInt64(usage.ru_utime.tv_usec) * 1000
        let system = UInt64(usage.ru_stime.tv_sec) * 1_000_000_000 + UInt64(usage.ru_stime.tv_usec) * 1000
        return user + system
    }

    /// This process's CPU minus the pty drain thread's.
    func clientCPU() -> UInt64 { Self.cpuNanoseconds() &- drain.cpuNanoseconds }

    mutating func run() -> ScreenBenchmark.Result {
        let expected = options.panes * options.tokens
        let deadline = Self.now() + UInt64((Double(options.tokens) / options.rate * 3 + 15) * 1e9)
        var frameTimes: [Double] = []
        var delays: [Double] = []
        var marks: [(wall: UInt64, cpu: UInt64)] = []
        var nextQuarter = 1
        var dirty = true
        var lastFrame: UInt64 = 0
        var pendingOldest: UInt64?

        // First frame (seeded turns laid out), then the broadcast prompt.
        draw(&frameTimes, &lastFrame)
        program.send(.submit("Tell me about tides, at length"))
        dirty = true
        var started = false

        while Self.now() < deadline {
            var now = Self.now()
            if dirty && now &- lastFrame >= Self.frameInterval {
                draw(&frameTimes, &lastFrame)
                if let oldest = pendingOldest { delays.append(Double(Self.now() &- oldest) / 1e6) }
                pendingOldest = nil
                dirty = false
                if started && !state.isStreaming { break }
            }
            // The time after drawing, as the chat loop takes it: a deadline counted from
            // before the frame would sleep a whole interval after it, adding a frame time to
            // every chunk's wait.
            now = Self.now()
            // As the chat loop: armed when idle, or when the next frame is already due.
            if !dirty && (!state.isStreaming || now &- lastFrame >= Self.frameInterval) { inbox.arm() }
            // Nanoseconds, as the chat loop waits: to the frame's time, not the next whole ms.
            var timeout: Int64 = -1
            if dirty {
                let due = lastFrame &+ Self.frameInterval
                timeout = due <= now ? 0 : Int64(due - now)
            } else if state.isStreaming {
                // Take the inbox one frame after the last frame began; once that has passed
                // the inbox is armed, and a frame from now bounds the wait.
                let due = lastFrame &+ Self.frameInterval
                timeout = Int64(due > now ? due - now : Self.frameInterval)
            } else if started {
                break
            } else {
                timeout = 100_000_000
            }
            _ = terminal.nextInput(timeoutNanoseconds: timeout)
            let (messages, oldest, total) = arrivals.drain(inbox)
            if !messages.isEmpty {
                dirty = true
                if let oldest, pendingOldest == nil { pendingOldest = oldest }
            }
            for message in messages { program.send(message) }
            if total > 0 && !started {
                started = true
                marks.append((Self.now(), clientCPU()))
            }
            while nextQuarter <= 4 && total * 4 >= expected * nextQuarter {
                marks.append((Self.now(), clientCPU()))
                nextQuarter += 1
            }
        }
        if marks.count < 5 { marks.append((Self.now(), clientCPU())) }
        return result(frameTimes: frameTimes, delays: delays, marks: marks)
    }

    mutating func draw(_ frameTimes: inout [Double], _ lastFrame: inout UInt64) {
        let start = Self.now()
        let size = terminal.size
        let frame = ChatScreen.render(state: state, editor: &editor, theme: theme, width: size.width,
                                      height: size.height, cache: options.cached ? cache : nil, canvas: &canvas)
        terminal.present(frame.screen, cursor: frame.cursor)
        // As the chat loop: the next frame is drawn into the one before this.
        canvas = shown
        shown = frame.screen
        let end = Self.now()
        frameTimes.append(Double(end - start) / 1e6)
        lastFrame = start
    }

    func result(frameTimes: [Double], delays: [Double], marks: [(wall: UInt64, cpu: UInt64)]) -> ScreenBenchmark.Result {
        func percent(_ a: (wall: UInt64, cpu: UInt64), _ b: (wall: UInt64, cpu: UInt64)) -> Double {
            b.wall > a.wall ? Double(b.cpu &- a.cpu) / Double(b.wall - a.wall) * 100 : 0
        }
        func quantile(_ values: [Double], _ q: Double) -> Double {
            guard !values.isEmpty else { return 0 }
            let sorted = values.sorted()
            return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * q).rounded()))]
        }
        let snapshot = arrivals.snapshot
        var rates: [Double] = []
        for pane in 0..<options.panes {
            if let first = snapshot.first[pane], let last = snapshot.last[pane], last > first, snapshot.chunks[pane] > 1 {
                rates.append(Double(snapshot.chunks[pane] - 1) / (Double(last - first) / 1e9))
            } else {
                rates.append(0)
            }
        }
        var problem: String?
        if let slow = rates.enumerated().first(where: { $0.element < options.rate * 0.95 }) {
            problem = "pane \(slow.offset + 1) received \(String(format: "%.1f", slow.element)) tok/s of \(options.rate)"
        }
        if let short = snapshot.chunks.enumerated().first(where: { $0.element < options.tokens }) {
            problem = (problem.map { $0 + "; " } ?? "") + "pane \(short.offset + 1) got \(short.element) of \(options.tokens) tokens"
        }
        let quarters = marks.count >= 5 ? (0..<4).map { percent(marks[$0], marks[$0 + 1]) } : []
        return ScreenBenchmark.Result(
            options: options,
            cpuPercent: marks.count >= 2 ? percent(marks[0], marks[marks.count - 1]) : 0,
            cpuPercentByQuarter: quarters,
            frames: frameTimes.count,
            frameMillisecondsP50: quantile(frameTimes, 0.5), frameMillisecondsP99: quantile(frameTimes, 0.99),
            chunkToScreenMillisecondsP50: quantile(delays, 0.5), chunkToScreenMillisecondsP99: quantile(delays, 0.99),
            tokensPerSecondByPane: rates, tokensByPane: snapshot.chunks,
            peakRSSKilobytes: Self.peakRSS(),
            seconds: marks.count >= 2 ? Double(marks[marks.count - 1].wall - marks[0].wall) / 1e9 : 0,
            valid: problem == nil, problem: problem)
    }

    static func peakRSS() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
        }
        return 0
    }
}

/// Reads and discards what the curses backend paints (what a terminal emulator would do),
/// on its own thread, and keeps its own CPU time so it can be left out of the client's.
final class PtyDrain: Sendable {
    private final class Counters: Sendable {
        let cpu = Atomic<UInt64>(0)
        let bytes = Atomic<Int>(0)
    }

    private let counters = Counters()

    init(fd: Int32) {
        let counters = self.counters
        let thread = Thread {
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = read(fd, &buffer, buffer.count)
                if n <= 0 { break }
                counters.bytes.add(n, ordering: .relaxed)
                var spec = timespec()
                clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
                counters.cpu.store(UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec), ordering: .relaxed)
            }
        }
        thread.start()
    }

    /// The drain thread's CPU time so far.
    var cpuNanoseconds: UInt64 { counters.cpu.load(ordering: .relaxed) }

    /// Bytes read (what the screen cost on the wire).
    var bytes: Int { counters.bytes.load(ordering: .relaxed) }
}

/// `tidepool sim --port 0 --bench-rate R --bench-tokens N` as a child process.
final class SimulatorChild: Sendable {
    let origin: String
    private let process: Process

    init(executable: String, rate: Double, tokens: Int) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["sim", "--port", "0", "--bench-rate", "\(rate)", "--bench-tokens", "\(tokens)"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // The first line names the port: "Tidepool simulator on http://127.0.0.1:PORT".
        var text = ""
        let handle = output.fileHandleForReading
        while !text.contains("\n") {
            let data = handle.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        guard let line = text.split(separator: "\n").first, let range = line.range(of: "http://") else {
            process.terminate()
            throw ScreenBenchmarkError.simulatorDidNotStart(text.isEmpty ? "no output" : text)
        }
        origin = String(line[range.lowerBound...]).trimmingCharacters(in: .whitespaces)
        self.process = process
    }

    func stop() {
        if process.isRunning {
            process.interrupt()
            process.waitUntilExit()
        }
    }
}
