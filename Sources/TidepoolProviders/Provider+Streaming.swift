import TidepoolPool

extension Provider {
    /// What one attempt left behind for the retry decision.
    private struct AttemptState {
        /// True once any delta reached the consumer: from then on nothing is retried.
        var delivered = false
        /// When the first text or reasoning delta arrived.
        var firstToken: ContinuousClock.Instant?
    }

    /// Runs the request with retries before the first token, yielding into `continuation`.
    func run(_ request: ChatRequest, _ continuation: AsyncThrowingStream<ChatEvent, any Error>.Continuation) async throws {
        let start = ContinuousClock.now
        var state = AttemptState()
        var useStreamOptions = wireFormat.acceptsStreamOptions && !streamOptionsMemory.rejects(origin)
        var triedWithoutStreamOptions = false
        var attempt = 1
        while true {
            do {
                try await attemptOnce(
                    chatRequest(request, includeStreamOptions: useStreamOptions), model: request.model,
                    rememberStreamOptionsRejection: triedWithoutStreamOptions,
                    start: start, state: &state, continuation: continuation)
                return
            } catch {
                let error = error.redacting(apiKey)
                if Task.isCancelled { throw ProviderError.cancelled }
                if state.delivered { throw error }
                if useStreamOptions, case .httpStatus(_, 400, let message) = error {
                    // Some servers reject `stream_options`; try once without and remember.
                    useStreamOptions = false
                    triedWithoutStreamOptions = true
                    if message?.contains("stream_options") == true { streamOptionsMemory.recordRejection(by: origin) }
                    continue
                }
                guard error.isRetryableBeforeFirstToken,
                    let delay = retryPolicy.delay(afterAttempt: attempt, retryAfter: error.retryAfter)
                else { throw error }
                attempt += 1
                do { try await retryPolicy.sleep(delay) } catch { throw ProviderError.cancelled }
                if Task.isCancelled { throw ProviderError.cancelled }
            }
        }
    }

    /// One HTTP exchange. Deltas are yielded as they decode; the stream's closing events and
    /// the timings are yielded when the transfer ends.
    private func attemptOnce(
        _ http: HTTPRequest, model: String, rememberStreamOptionsRejection: Bool,
        start: ContinuousClock.Instant, state: inout AttemptState,
        continuation: AsyncThrowingStream<ChatEvent, any Error>.Continuation
    ) async throws(ProviderError) {
        var decoder = makeDecoder()
        var head: ResponseHead?
        var errorBody: [UInt8] = []
        var metrics: TransferMetrics?

        func deliver(_ events: [ChatEvent], state: inout AttemptState) {
            for event in events {
                switch event {
                case .textDelta, .reasoningDelta:
                    state.delivered = true
                    if state.firstToken == nil { state.firstToken = .now }
                default: break
                }
                continuation.yield(event)
            }
        }

        do {
            stream: for try await event in transport.stream(http) {
                switch event {
                case .head(let received):
                    head = received
                    if rememberStreamOptionsRejection, (200..<300).contains(received.status) {
                        streamOptionsMemory.recordRejection(by: origin)
                    }
                case .body(let bytes):
                    guard let head, (200..<300).contains(head.status) else {
                        if errorBody.count < 64 << 10 { errorBody += bytes.prefix((64 << 10) - errorBody.count) }
                        continue
                    }
                    var events: [ChatEvent] = []
                    defer { deliver(events, state: &state) }
                    try decoder.feed(bytes, into: &events)
                case .end(let received):
                    metrics = received
                    break stream
                }
            }
        } catch {
            throw transportError(error)
        }
        if Task.isCancelled { throw .cancelled }
        guard let head else {
            throw .transport(provider: name, .connectionLost(origin: origin.description, message: "the response ended before its headers"))
        }
        guard (200..<300).contains(head.status) else {
            var available: [String]?
            if head.status == 404 { available = try? await listModels() }
            throw statusError(head, errorBody, model: model, available: available)
        }
        var closing: [ChatEvent] = []
        defer { deliver(closing, state: &state) }
        try decoder.finish(into: &closing)
        let total = ContinuousClock.now - start
        let summary = decoder.summary
        let timeToFirstToken = state.firstToken.map { ($0 - start).seconds }
        let measured = metrics ?? TransferMetrics(httpVersion: head.httpVersion)
        closing.append(.timings(ChatTimings(
            queue: measured.queueWait, dns: measured.dns, connect: measured.connect, tls: measured.tls,
            firstByte: measured.firstByte, timeToFirstToken: timeToFirstToken, total: total.seconds,
            tokensPerSecond: ChatTimings.tokensPerSecond(
                exact: summary.exactTokensPerSecond, outputTokens: summary.outputTokens,
                total: total.seconds, timeToFirstToken: timeToFirstToken),
            outputTokens: summary.outputTokens, reusedConnection: measured.reusedConnection,
            httpVersion: measured.httpVersion)))
    }
}

extension Error {
    /// This error as a ``ProviderError`` with `secret` redacted from any echoed text.
    fileprivate func redacting(_ secret: String?) -> ProviderError {
        (self as? ProviderError ?? .cancelled).redacting(secret)
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
