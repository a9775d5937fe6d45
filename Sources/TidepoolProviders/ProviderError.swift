import TidepoolPool

/// Why a provider request failed, in words a person can act on: which server, which
/// environment variable, which models exist, which timeout fired. Messages never contain an
/// API key: anything echoed from a server is redacted before it gets here.
public enum ProviderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Nothing accepts connections at the provider's address.
    case serverNotRunning(provider: String, hostAndPort: String, hint: String)
    /// The host name of the provider's URL does not resolve.
    case hostNotFound(provider: String, host: String)
    /// The server refused the credentials (HTTP 401/403). `keyWasSet` tells whether a key
    /// was sent at all.
    case unauthorized(provider: String, status: Int, environmentVariable: String?, keyWasSet: Bool, message: String?)
    /// The model does not exist on the server; `available` lists what does (empty when the
    /// list could not be fetched).
    case modelNotFound(provider: String, model: String, available: [String])
    /// HTTP 429 after the retries; `retryAfter` is the server's advice in seconds.
    case rateLimited(provider: String, retryAfter: Double?, message: String?)
    /// HTTP 503 after the retries.
    case unavailable(provider: String, retryAfter: Double?, message: String?)
    /// Any other unsuccessful HTTP status, with the server's own message when it sent one.
    case httpStatus(provider: String, status: Int, message: String?)
    /// One of the request's clocks ran out.
    case timedOut(provider: String, kind: PoolError.TimeoutKind, after: Double, origin: String)
    /// The server reported an error inside a stream that had started (HTTP 200).
    case streamError(provider: String, message: String)
    /// A line or event of the stream could not be understood; `excerpt` is its start.
    case malformedStream(provider: String, excerpt: String)
    /// A line or event of the stream exceeded the decoder's memory bound.
    case streamTooLarge(provider: String, detail: String)
    /// Another transport failure.
    case transport(provider: String, PoolError)
    /// The body ended before the format's end of stream (`[DONE]` or a finish reason,
    /// `message_stop`, `"done": true`): the server died or the connection was cut mid-answer.
    /// The text received so far was delivered; this is never a finished answer.
    case interrupted(provider: String)
    /// A 200 answer that is not this format's stream at all (an HTML page, a captive portal,
    /// a wrong base URL): `arrived` says what came, `baseURL` is the address to check.
    case unexpectedResponse(provider: String, arrived: String, baseURL: String)
    /// The answer reached ``Provider/maxAnswerBytes`` (a model looping with no token limit)
    /// and was cut there; the text up to the cap was delivered.
    case answerTooLong(provider: String, limit: Int)
    /// A provider name not among the presets.
    case unknownProvider(String, known: [String])
    /// Text that is not `PROVIDER:MODEL`.
    case invalidModelReference(String)
    /// A provider that needs a base URL was configured without one, or with an invalid one.
    case invalidBaseURL(provider: String, url: String?)
    /// The provider needs an API key and has none; found before sending. `advice` says which
    /// variable or file to set.
    case missingAPIKey(provider: String, advice: String)
    /// The request was cancelled by its consumer.
    case cancelled

    /// A sentence a person can act on. Credentials in any URL it names are redacted.
    public var description: String {
        CredentialRedaction.urls(in: sentence)
    }

    private var sentence: String {
        switch self {
        case .serverNotRunning(_, let hostAndPort, let hint):
            return "no server at \(hostAndPort); \(hint)"
        case .hostNotFound(let provider, let host):
            return "\(provider): cannot resolve host '\(host)'; check the base URL and your network"
        case .unauthorized(let provider, let status, let variable, let keyWasSet, let message):
            let action: String
            switch (variable, keyWasSet) {
            case (let variable?, true): action = "check \(variable)"
            case (let variable?, false): action = "set \(variable)"
            case (nil, true): action = "check the API key in your config"
            case (nil, false): action = "set an API key for it in your config"
            }
            let what = keyWasSet ? "rejected the API key" : "needs an API key"
            return "\(provider) \(what) (HTTP \(status)); \(action)" + Self.suffix(message)
        case .modelNotFound(let provider, let model, let available):
            if available.isEmpty { return "model '\(model)' not found on \(provider)" }
            let shown = available.prefix(20).joined(separator: ", ")
            let more = available.count > 20 ? ", ... (\(available.count - 20) more)" : ""
            return "model '\(model)' not found on \(provider); available: \(shown)\(more)"
        case .rateLimited(let provider, let retryAfter, let message):
            return "\(provider) is rate limiting requests (HTTP 429)" + Self.suffix(message)
                + Self.retryAdvice(retryAfter)
        case .unavailable(let provider, let retryAfter, let message):
            return "\(provider) is unavailable (HTTP 503)" + Self.suffix(message) + Self.retryAdvice(retryAfter)
        case .httpStatus(let provider, let status, let message):
            return "\(provider) answered HTTP \(status)" + Self.suffix(message)
        case .timedOut(let provider, let kind, let after, let origin):
            return "\(provider): " + PoolError.timedOut(kind, after: after, origin: origin).description
        case .streamError(let provider, let message):
            return "\(provider) reported an error: \(message)"
        case .malformedStream(let provider, let excerpt):
            return "\(provider) sent something that is not valid JSON: \(excerpt)"
        case .streamTooLarge(let provider, let detail):
            return "\(provider): \(detail)"
        case .transport(let provider, let error):
            return "\(provider): \(error)"
        case .interrupted(let provider):
            return "interrupted: the server closed the stream before the answer finished (\(provider))"
        case .answerTooLong(_, let limit):
            return "answer cut at \(Self.byteCount(limit)) (max_answer_bytes)"
        case .unexpectedResponse(let provider, let arrived, let baseURL):
            return "\(provider) answered with \(arrived) instead of a chat stream; check the base URL \(baseURL)"
        case .unknownProvider(let name, let known):
            return "unknown provider '\(name)'; known providers: \(known.joined(separator: ", "))"
        case .invalidModelReference(let text):
            return "'\(text)' is not PROVIDER:MODEL (for example ollama:qwen3:4b or openai:gpt-4o)"
        case .invalidBaseURL(let provider, let url?):
            return "\(provider): '\(url)' is not an http:// or https:// base URL"
        case .invalidBaseURL(let provider, nil):
            return "\(provider) needs a base URL (for example http://127.0.0.1:8000/v1)"
        case .missingAPIKey(_, let advice):
            return advice
        case .cancelled:
            return "cancelled"
        }
    }

    /// True for failures worth retrying before any token arrived: nothing was generated, and
    /// the server may well answer a moment later.
    var isRetryableBeforeFirstToken: Bool {
        switch self {
        case .serverNotRunning, .rateLimited, .unavailable: true
        case .timedOut(_, let kind, _, _): kind == .connect
        case .transport(_, .connectionLost): true
        default: false
        }
    }

    /// How long the server asked us to wait, if it did.
    var retryAfter: Double? {
        switch self {
        case .rateLimited(_, let seconds, _), .unavailable(_, let seconds, _): seconds
        default: nil
        }
    }

    /// The same error with every occurrence of `secret` in echoed text replaced, so a key a
    /// server quotes back ("Incorrect API key provided: sk-...") is never shown.
    func redacting(_ secret: String?) -> ProviderError {
        guard let secret, !secret.isEmpty else { return self }
        func clean(_ text: String) -> String { CredentialRedaction.secret(secret, in: text) }
        func clean(_ text: String?) -> String? { text.map { clean($0) } }
        switch self {
        case .unauthorized(let p, let s, let v, let k, let m): return .unauthorized(provider: p, status: s, environmentVariable: v, keyWasSet: k, message: clean(m))
        case .rateLimited(let p, let r, let m): return .rateLimited(provider: p, retryAfter: r, message: clean(m))
        case .unavailable(let p, let r, let m): return .unavailable(provider: p, retryAfter: r, message: clean(m))
        case .httpStatus(let p, let s, let m): return .httpStatus(provider: p, status: s, message: clean(m))
        case .streamError(let p, let m): return .streamError(provider: p, message: clean(m))
        case .malformedStream(let p, let e): return .malformedStream(provider: p, excerpt: clean(e))
        case .unexpectedResponse(let p, let a, let b): return .unexpectedResponse(provider: p, arrived: clean(a), baseURL: b)
        case .modelNotFound(let p, let m, let a): return .modelNotFound(provider: p, model: clean(m), available: a.map { clean($0) })
        default: return self
        }
    }

    /// `4 MiB`, `512 KiB` or `1000 bytes`.
    static func byteCount(_ bytes: Int) -> String {
        if bytes > 0, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes > 0, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }

    private static func suffix(_ message: String?) -> String {
        guard let message, !message.isEmpty else { return "" }
        return ": \(message)"
    }

    private static func retryAdvice(_ seconds: Double?) -> String {
        guard let seconds else { return "; try again shortly" }
        // Clamped again here: the value may come from anywhere that built this error.
        return "; try again in \(Int(RetryAfter.clamp(seconds).rounded(.up))) s"
    }
}

extension String {
    /// Every occurrence of `target` replaced by `replacement` (no Foundation needed).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }

    /// At most `limit` characters: longer text is cut and ends with an ellipsis.
    func excerpt(_ limit: Int = 80) -> String {
        let flat = self.map { $0.isNewline ? " " : $0 }
        if flat.count <= limit { return String(flat) }
        return String(flat.prefix(limit - 1)) + "…"
    }
}
