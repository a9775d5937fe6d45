/// A ``ChatStreamDecoder`` for a server-sent-events wire format (OpenAI-compatible, Anthropic):
/// the framing is shared, each format only decodes a complete event.
protocol SSEChatStreamDecoder: ChatStreamDecoder {
    /// The provider's display name, for error messages.
    var provider: String { get }
    /// The event framer fed with the body's bytes.
    var events: SSEDecoder { get set }
    /// Decodes one complete server-sent event.
    mutating func decode(_ event: SSEEvent) throws(ProviderError) -> [ChatEvent]
}

extension SSEChatStreamDecoder {
    mutating func feed(_ bytes: [UInt8], into output: inout [ChatEvent]) throws(ProviderError) {
        let complete: [SSEEvent]
        do { complete = try events.feed(bytes) } catch { throw .framing(provider, error) }
        for event in complete { output += try decode(event) }
    }

    mutating func finish(into output: inout [ChatEvent]) throws(ProviderError) {
        // An unterminated last event is dropped, as the event-stream rules say.
        do { _ = try events.finish() } catch { throw .framing(provider, error) }
        guard summary.ended else { throw .interrupted(provider: provider) }
        output += summary.closingEvents
    }
}
