/// One step of a streamed answer, in order: text and reasoning deltas as they arrive, then
/// ``usage(inputTokens:outputTokens:)`` when the server reported it, then exactly one
/// ``finish(reason:)``, then ``timings(_:)`` as the very last event.
///
/// A failure ends the stream by throwing a ``ProviderError``; the deltas delivered before it
/// stay valid.
public enum ChatEvent: Sendable, Equatable {
    /// A piece of the answer.
    case textDelta(String)
    /// A piece of the model's visible reasoning ("thinking").
    case reasoningDelta(String)
    /// Token counts, when the server reported them.
    case usage(inputTokens: Int?, outputTokens: Int?)
    /// Why generation stopped, as the server said it (`stop`, `length`, `end_turn`, ...), or
    /// `end_of_stream` when the stream ended without saying.
    case finish(reason: String)
    /// What the request cost; always the last event.
    case timings(ChatTimings)
}
