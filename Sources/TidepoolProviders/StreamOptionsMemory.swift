import Synchronization
import TidepoolPool

/// Remembers which origins rejected `stream_options` (some OpenAI-compatible servers answer
/// HTTP 400 to it), so only the first request to such a server pays for the retry.
/// Shared between providers and threads; one per process is enough (``shared``).
public final class StreamOptionsMemory: Sendable {
    private let rejecting = Mutex<Set<Origin>>([])

    /// Creates an empty memory (tests use their own).
    public init() {}

    /// The process-wide memory.
    public static let shared = StreamOptionsMemory()

    /// True when `origin` is known to reject `stream_options`.
    public func rejects(_ origin: Origin) -> Bool {
        rejecting.withLock { $0.contains(origin) }
    }

    /// Records that `origin` rejects `stream_options`.
    public func recordRejection(by origin: Origin) {
        _ = rejecting.withLock { $0.insert(origin) }
    }
}
