/// A ``ChatStreamDecoder`` for a server-sent-events wire format (OpenAI-compatible, Anthropic):
/// the framing is shared, each format only decodes a complete event.
protocol SSEChatStreamDecoder: ChatStreamDecoder {
    /// The provider's display name, for error messages.
    var provider: String { get }
    /// The event framer fed with the body's bytes.
    var events: SSEDecoder { get set }
    /// Decodes one complete server-sent event, appending its events to `output` (straight
    /// there rather than in an array per event: one allocation less per streamed chunk).
    /// Throws before appending anything, so an event adds all its events or none.
    mutating func decode(_ event: SSEEvent, into output: inout [ChatEvent]) throws(ProviderError)
}

extension SSEChatStreamDecoder {
    mutating func feed(_ bytes: [UInt8], into output: inout [ChatEvent]) throws(ProviderError) {
        let complete: [SSEEvent]
        do { complete = try events.feed(bytes) } catch { throw .framing(provider, error) }
        for event in complete { try decode(event, into: &output) }
    }

    mutating func finish(into output: inout [ChatEvent]) throws(ProviderError) {
        // An unterminated last event is dropped, as the event-stream rules say.
        do { _ = try events.finish() } catch { throw .framing(provider, error) }
        guard summary.ended else { throw .interrupted(provider: provider) }
        output += summary.closingEvents
    }
}
