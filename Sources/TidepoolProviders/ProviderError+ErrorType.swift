import TidepoolPool

extension ProviderError {
    /// The failure's class as OpenTelemetry's `error.type` wants it: low-cardinality and
    /// stable, the HTTP status code for a status the server answered with, the pool's error
    /// kind (`refused`, `timeout_idle`, `connection_lost`, ...) for a transport failure, and a
    /// short name otherwise. Exported as `error_type` on `gen_ai_client_operation_duration_seconds`.
    public var errorType: String {
        switch self {
        case .serverNotRunning: PoolError.Kind.refused.rawValue
        case .hostNotFound: PoolError.Kind.dns.rawValue
        case .unauthorized(_, let status, _, _, _): String(status)
        case .modelNotFound: "404"
        case .rateLimited: "429"
        case .unavailable: "503"
        case .httpStatus(_, let status, _): String(status)
        case .timedOut(_, let kind, _, _): kind.errorKind.rawValue
        case .streamError: "stream_error"
        case .malformedStream: "malformed_stream"
        case .streamTooLarge: "stream_too_large"
        case .transport(_, let error): error.kind.rawValue
        case .interrupted: "interrupted"
        case .unexpectedResponse: "unexpected_response"
        case .answerTooLong: "answer_too_long"
        case .unknownProvider, .invalidModelReference, .invalidBaseURL, .missingAPIKey: "invalid_request"
        case .cancelled: PoolError.Kind.cancelled.rawValue
        }
    }
}
