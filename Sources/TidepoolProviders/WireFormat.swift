import TidepoolPool

/// Everything Tidepool knows about one wire format, in one place: how to ask for a streamed
/// answer, how to decode it, how to list models, and how discovery probes a server.
///
/// Each format is an uninhabited type in its own folder (`Formats/Ollama`, `Formats/OpenAI`,
/// `Formats/Anthropic`) and is registered once, in ``ProviderKind/wireFormat``. Nothing else
/// switches over the kind: ``Provider`` and ``Discovery`` only call through this protocol.
/// What differs between products speaking the same format (address, key variable, start hint)
/// sits on ``ProviderPreset`` instead.
protocol WireFormat {
    /// The streaming chat request for `request`.
    /// - Parameter includeStreamOptions: ask for the usage chunk (only formats where
    ///   ``acceptsStreamOptions`` is true read it; some servers reject it with HTTP 400).
    static func chatRequest(
        _ request: ChatRequest, baseURL: String, apiKey: String?, includeStreamOptions: Bool
    ) -> HTTPRequest

    /// The request listing the server's models.
    static func modelsRequest(baseURL: String, apiKey: String?) -> HTTPRequest

    /// The model names in a models-list body, or nil if the body is not one.
    static func models(from body: [UInt8]) -> [String]?

    /// A fresh decoder for one streamed answer; `provider` is the display name for errors.
    static func makeDecoder(provider: String) -> any ChatStreamDecoder

    /// The request discovery sends to tell whether this format's server listens at `baseURL`.
    /// It must succeed without a key and be answered by ``models(from:)``.
    static func discoveryProbe(baseURL: String) -> HTTPRequest

    /// Whether the chat request may carry OpenAI's `stream_options` (retried without it on a
    /// 400 that names it).
    static var acceptsStreamOptions: Bool { get }

    /// Whether `prefix`, the first bytes of a 200 body, could begin this format's stream.
    /// False means something else answered (an HTML page, a plain-text proxy message).
    static func mayBeginStream(_ prefix: [UInt8]) -> Bool
}

extension WireFormat {
    static func discoveryProbe(baseURL: String) -> HTTPRequest {
        modelsRequest(baseURL: baseURL, apiKey: nil)
    }

    static var acceptsStreamOptions: Bool { false }
}

/// First-bytes checks for the two framings the formats use.
enum StreamStart {
    /// Server-sent events: the first non-blank line starts with a field name (`data`,
    /// `event`, `id`, `retry`) or is a `:` comment; a prefix of one is accepted too.
    static func mayBeginSSE(_ prefix: [UInt8]) -> Bool {
        let text = String(decoding: prefix.prefix(16), as: UTF8.self)
            .drop { $0.isWhitespace || $0 == "\u{FEFF}" }
        if text.isEmpty || text.hasPrefix(":") { return true }
        return ["data", "event", "id", "retry"].contains { field in
            text.hasPrefix(field) || field.hasPrefix(text)
        }
    }

    /// Newline-delimited JSON: the first non-blank byte opens an object.
    static func mayBeginNDJSON(_ prefix: [UInt8]) -> Bool {
        guard let first = prefix.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else { return true }
        return first == UInt8(ascii: "{")
    }
}

/// Header lists shared by the wire formats.
enum WireHeaders {
    /// A JSON body, and what the response should be.
    static func json(accept: String) -> [HTTPHeader] {
        [HTTPHeader("Content-Type", "application/json"), HTTPHeader("Accept", accept)]
    }

    /// `Authorization: Bearer KEY`, only when a key is set.
    static func bearer(_ apiKey: String?) -> [HTTPHeader] {
        guard let apiKey, !apiKey.isEmpty else { return [] }
        return [HTTPHeader("Authorization", "Bearer \(apiKey)")]
    }
}
