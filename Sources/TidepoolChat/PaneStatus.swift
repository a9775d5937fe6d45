/// What a pane is doing, shown in its header.
public enum PaneStatus: String, Sendable, Equatable {
    /// Nothing asked yet, or ready for the next prompt.
    case idle
    /// Waiting for a free connection in the pool.
    case queued
    /// Sent; no answer yet.
    case connecting
    /// Tokens are arriving.
    case streaming
    /// The last answer is complete.
    case done
    /// The last request failed; the pane shows why.
    case error
    /// The user cancelled the last answer.
    case cancelled
    /// Nothing listens at the pane's local server (found when the screen opened); the pane
    /// says how to start it (``Pane/serverHint``). The next prompt tries again.
    case notRunning

    /// True while a request is in flight.
    public var isBusy: Bool { self == .queued || self == .connecting || self == .streaming }
}
