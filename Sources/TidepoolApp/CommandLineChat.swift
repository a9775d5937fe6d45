import TidepoolChat
import TidepoolPool
import TidepoolProviders

/// The chat program a one-shot command (`ask`, `compare`) runs, set up once for both: the
/// history recorder (or none with `--no-history`, its notice on stderr), the runtime posting to
/// a message stream, and a ``ChatProgram`` over them, so a command conversation takes the same
/// path as the chat screen's: update, the prompt stored before its request leaves, one
/// interpreter of effects.
public struct CommandLineChat {
    /// The program; feed it every message from ``messages``.
    public let program: ChatProgram
    /// What the runtime posts, in order.
    public let messages: AsyncStream<AppMessage>
    private let continuation: AsyncStream<AppMessage>.Continuation
    private let output: TerminalOutput
    private let keepsHistory: Bool

    /// Opens the history (unless `noHistory`) and builds the program for `state`.
    public init(
        state: AppState, catalog: ProviderCatalog, pool: PoolManager, historyDatabase: String, noHistory: Bool,
        output: TerminalOutput, adjustRequest: @escaping (inout ChatRequest) -> Void = { _ in }
    ) {
        let recorder = noHistory
            ? HistoryRecorder(disabledBecause: "--no-history")
            : HistoryRecorder.open(path: historyDatabase, privateDirectory: true)
        if !noHistory, let notice = recorder.notice { output.writeError(notice + "\n") }
        let (messages, continuation) = AsyncStream.makeStream(of: AppMessage.self)
        let runtime = ChatRuntime(directory: catalog.directory(transport: pool), pool: pool) { continuation.yield($0) }
        program = ChatProgram(state: state, recorder: recorder, runtime: runtime,
                              resolveModel: { text in try catalog.parse(text) }, adjustRequest: adjustRequest)
        self.messages = messages
        self.continuation = continuation
        self.output = output
        keepsHistory = !noHistory
    }

    /// Ends the message stream, waits until history has every write, and says on stderr if
    /// history fell behind or failed on the way.
    public func finish() {
        continuation.finish()
        program.recorder.waitUntilWritten()
        if keepsHistory, program.recorder.isEnabled, let notice = program.recorder.notice {
            output.writeError(notice + "\n")
        }
    }
}
