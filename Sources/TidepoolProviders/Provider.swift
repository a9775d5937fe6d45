import Foundation
import TidepoolPool

/// One configured model server: streams chat answers and lists models, sending every
/// request through a ``Transport`` (the shared pool in the app).
///
/// The API key is held privately: it goes into request headers and nowhere else, and any
/// server text quoting it is redacted before it reaches an error message.
public struct Provider: Sendable, CustomStringConvertible {
    /// Which server this is and how to talk to it.
    public let preset: ProviderPreset
    /// The base URL, without a trailing slash (`http://127.0.0.1:11434`, `https://api.openai.com/v1`).
    public let baseURL: String
    /// The base URL's origin: the pool the requests go to.
    public let origin: Origin
    /// Clocks for chat requests (model listing uses shorter ones).
    public var timeouts: RequestTimeouts
    /// TLS trust, client identity and proxy for the connection.
    public var connectionOptions: ConnectionOptions
    /// When to retry before the first token.
    public var retryPolicy: RetryPolicy
    /// Headers added to every request (a config file's `headers` table), after the format's own.
    public var extraHeaders: [HTTPHeader] = []
    /// The most text and reasoning one answer may hold, in UTF-8 bytes: a model looping with
    /// no token limit is cut here (``ProviderError/answerTooLong(provider:limit:)``) instead of
    /// growing memory without bound. The config file's `max_answer_bytes`.
    public var maxAnswerBytes: Int = Provider.defaultMaxAnswerBytes
    /// 4 MiB: far above any real answer, far below trouble.
    public static let defaultMaxAnswerBytes = 4 << 20
    /// Set by whoever builds the provider when it already knows no request can succeed (a
    /// hosted server whose key is missing): chats and model listings fail with it at once,
    /// before anything is sent.
    public var preflightFailure: ProviderError?
    /// Told when a chat request waits in the pool's queue and when it leaves it
    /// (``TidepoolPool/HTTPRequest/queueObserver``): the chat runtime sets it per request so
    /// the pane can say "queued".
    public var queueObserver: (@Sendable (_ waiting: Bool) -> Void)?
    /// Whether to ask for visible reasoning when a request leaves ``ChatRequest/reasoning``
    /// unset; nil leaves it to the server. The simulator's providers set it, so the demo's
    /// reasoning model shows its dimmed, foldable reasoning in every format (Anthropic and
    /// Ollama send reasoning only when asked).
    public var reasoningByDefault: Bool?

    let apiKey: String?
    let transport: any Transport
    let streamOptionsMemory: StreamOptionsMemory

    /// Creates a provider.
    /// - Parameters:
    ///   - baseURL: overrides the preset's address; required for `openai-compatible`.
    ///   - apiKey: the key to send; when nil it is read from the preset's environment
    ///     variable in `environment`.
    /// - Throws: ``ProviderError/invalidBaseURL(provider:url:)`` when there is no usable base URL.
    public init(
        preset: ProviderPreset,
        baseURL: String? = nil,
        apiKey: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        transport: any Transport,
        timeouts: RequestTimeouts = .default,
        connectionOptions: ConnectionOptions = .standard,
        retryPolicy: RetryPolicy = .default,
        streamOptionsMemory: StreamOptionsMemory = .shared
    ) throws(ProviderError) {
        guard var url = baseURL ?? preset.defaultBaseURL else {
            throw .invalidBaseURL(provider: preset.displayName, url: nil)
        }
        while url.hasSuffix("/") { url.removeLast() }
        guard let origin = Origin(url: url) else { throw .invalidBaseURL(provider: preset.displayName, url: url) }
        self.preset = preset
        self.baseURL = url
        self.origin = origin
        let key = apiKey ?? preset.apiKeyEnvironmentVariable.flatMap { environment[$0] }
        self.apiKey = (key?.isEmpty ?? true) ? nil : key
        self.transport = transport
        self.timeouts = timeouts
        self.connectionOptions = connectionOptions
        self.retryPolicy = retryPolicy
        self.streamOptionsMemory = streamOptionsMemory
    }

    /// Whether a key will be sent with each request.
    public var hasAPIKey: Bool { apiKey != nil }

    /// The display name (`Ollama`, `LM Studio`), used in every error message.
    public var name: String { preset.displayName }

    /// `Name (base URL)`; never the key.
    public var description: String { "\(name) (\(CredentialRedaction.url(baseURL)))" }

    /// Streams the answer to `request`: deltas as they arrive, then usage (when reported),
    /// one finish event and the timings. Failures end the stream with a ``ProviderError``.
    ///
    /// Terminating the stream or cancelling the consuming task stops at once and cancels the
    /// underlying transfer.
    public func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: ChatEvent.self)
        let task = Task {
            do {
                if let preflightFailure { throw preflightFailure }
                try await run(request, continuation)
                continuation.finish()
            } catch {
                continuation.finish(throwing: Task.isCancelled ? ProviderError.cancelled : error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// The models the server offers, in its order (`GET /api/tags`, `/models` or `/v1/models`).
    public func listModels() async throws(ProviderError) -> [String] {
        if let preflightFailure { throw preflightFailure }
        let request = modelsRequest()
        let (head, body) = try await fetch(request)
        guard (200..<300).contains(head.status) else {
            throw statusError(head, body, model: nil, available: nil).redacting(apiKey)
        }
        guard let models = parseModels(body) else { throw ProviderError.malformed(name, body).redacting(apiKey) }
        return models
    }

    // MARK: - Requests

    /// This provider's wire format.
    var wireFormat: any WireFormat.Type { preset.kind.wireFormat }

    func chatRequest(_ request: ChatRequest, includeStreamOptions: Bool) -> HTTPRequest {
        var request = request
        if request.reasoning == nil { request.reasoning = reasoningByDefault }
        var http = wireFormat.chatRequest(
            request, baseURL: baseURL, apiKey: apiKey, includeStreamOptions: includeStreamOptions)
        http.timeouts = timeouts
        http.connectionOptions = connectionOptions
        http.headers += extraHeaders
        http.queueObserver = queueObserver
        return http
    }

    func modelsRequest(timeouts: RequestTimeouts? = nil) -> HTTPRequest {
        var http = wireFormat.modelsRequest(baseURL: baseURL, apiKey: apiKey)
        http.timeouts = timeouts ?? RequestTimeouts(queue: 30, connect: 10, firstByte: 30, idle: 30, total: 60)
        http.connectionOptions = connectionOptions
        http.headers += extraHeaders
        // Listing models is finding out what a server offers: counted (and exported) as
        // discovery, not as a chat.
        http.purpose = .discovery
        return http
    }

    func makeDecoder() -> any ChatStreamDecoder {
        wireFormat.makeDecoder(provider: name)
    }

    /// The model names in a models-list body for this provider's format, or nil.
    func parseModels(_ body: [UInt8]) -> [String]? {
        wireFormat.models(from: body)
    }

    // MARK: - Errors

    /// The error for an unsuccessful status. `available` is the model list for a 404 (nil
    /// when it could not be fetched).
    func statusError(_ head: ResponseHead, _ body: [UInt8], model: String?, available: [String]?) -> ProviderError {
        // The key is redacted over the whole body before the message is cut to length, so
        // a key straddling the cut cannot survive in part.
        var body = body
        if let apiKey, !apiKey.isEmpty {
            body = Array(CredentialRedaction.secret(apiKey, in: String(decoding: body, as: UTF8.self)).utf8)
        }
        let message = ServerMessage.extract(from: body)
        switch head.status {
        case 401, 403:
            return .unauthorized(
                provider: name, status: head.status, environmentVariable: preset.apiKeyEnvironmentVariable,
                keyWasSet: apiKey != nil, message: message)
        case 404:
            if let model {
                if let available, !available.contains(model) {
                    return .modelNotFound(provider: name, model: model, available: available)
                }
                if available == nil, message?.lowercased().contains("model") == true {
                    return .modelNotFound(provider: name, model: model, available: [])
                }
            }
            return .httpStatus(provider: name, status: 404, message: (message.map { $0 + "; " } ?? "") + "check the base URL \(baseURL)")
        case 429:
            return .rateLimited(provider: name, retryAfter: RetryAfter.seconds(head.headers.value(for: "Retry-After")), message: message)
        case 503:
            return .unavailable(provider: name, retryAfter: RetryAfter.seconds(head.headers.value(for: "Retry-After")), message: message)
        default:
            return .httpStatus(provider: name, status: head.status, message: message)
        }
    }

    /// A transport failure in this provider's words.
    func transportError(_ error: any Error) -> ProviderError {
        if let error = error as? ProviderError { return error }
        if error is CancellationError { return .cancelled }
        guard let error = error as? PoolError else {
            return .transport(provider: name, .transport(origin: origin.description, code: -1, message: "\(error)"))
        }
        switch error {
        case .connectionRefused(let host, let port):
            let shown = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
            return .serverNotRunning(provider: name, hostAndPort: shown, hint: preset.startHint)
        case .hostNotFound(let host): return .hostNotFound(provider: name, host: host)
        case .timedOut(let kind, let after, let origin): return .timedOut(provider: name, kind: kind, after: after, origin: origin)
        case .cancelled: return .cancelled
        default: return .transport(provider: name, error)
        }
    }

    /// Sends a request and reads the whole response (bounded to 8 MiB).
    func fetch(_ request: HTTPRequest) async throws(ProviderError) -> (ResponseHead, [UInt8]) {
        var head: ResponseHead?
        var body: [UInt8] = []
        do {
            for try await event in transport.stream(request) {
                switch event {
                case .head(let received): head = received
                case .body(let bytes):
                    guard body.count + bytes.count <= 8 << 20 else {
                        throw ProviderError.streamTooLarge(provider: name, detail: "the response exceeded 8 MiB")
                    }
                    body += bytes
                case .end: break
                }
            }
        } catch {
            throw transportError(error).redacting(apiKey)
        }
        if Task.isCancelled { throw .cancelled }
        guard let head else {
            throw .transport(provider: name, .connectionLost(origin: origin.description, message: "no response"))
        }
        return (head, body)
    }
}
