import TidepoolProviders

/// What one request through the real pipeline (provider, pool, libcurl) ended with.
public struct FaultOutcome: Sendable, CustomStringConvertible {
    /// The text deltas received, joined.
    public var text = ""
    /// Whether the stream said how it finished (a finish reason).
    public var finished = false
    /// The error the stream ended with, if any.
    public var error: ProviderError?
    /// Any other error type (there should be none: every failure is a ``ProviderError``).
    public var otherError: String?

    /// An outcome with nothing received yet.
    public init() {}

    public var description: String {
        "text \(text.debugDescription.prefix(120)), finished \(finished), error \(error.map { "\($0)" } ?? otherError ?? "none")"
    }
}
