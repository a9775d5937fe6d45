import TidepoolPool

extension Provider {
    /// What one attempt left behind for the retry decision.
    private struct AttemptState {
        /// True once any delta reached the consumer: from then on nothing is retried.
        var delivered = false
        /// When the first text or reasoning delta arrived.
        var firstToken: ContinuousClock.Instant?
        /// UTF-8 bytes of text and reasoning delivered, for ``Provider/maxAnswerBytes``.
        var answerBytes = 0
        /// True once the answer reached ``Provider/maxAnswerBytes`` and was cut there.
        var capped = false
        /// Token counts the last attempt's stream reported before it ended, for a chat that
        /// failed after the server had told them (rare: usage comes last).
        var inputTokens: Int?
        var outputTokens: Int?
    }

    /// Runs the request with retries before the first token, handing each event to `receive`
    /// in the calling task. A chat that fails or is cancelled is recorded as an operation too
    /// (``ChatOperationRecord/errorType``), with its time to first chunk and tokens only when
    /// it had them; a completed one is recorded where its timings are made.
    func run(
        _ request: ChatRequest, deliveryInterval: Double = 0, _ receive: (ChatEvent) -> Void
    ) async throws(ProviderError) {
        let start = ContinuousClock.now
        var state = AttemptState()
        do {
            try await runAttempts(request, deliveryInterval: deliveryInterval, start: start, state: &state, receive)
        } catch {
            transport.recordChatOperation(ChatOperationRecord(
                origin: origin, provider: preset.id, model: request.model,
                timeToFirstChunk: state.firstToken.map { ($0 - start).seconds },
                duration: (ContinuousClock.now - start).seconds,
                inputTokens: state.inputTokens, outputTokens: state.outputTokens, errorType: error.errorType))
            throw error
        }
    }

    /// The attempts of ``run(_:deliveryInterval:_:)``: the first, then retries while no token
    /// was delivered and the error allows one.
    private func runAttempts(
        _ request: ChatRequest, deliveryInterval: Double, start: ContinuousClock.Instant,
        state: inout AttemptState, _ receive: (ChatEvent) -> Void
    ) async throws(ProviderError) {
        var useStreamOptions = wireFormat.acceptsStreamOptions && !streamOptionsMemory.rejects(origin)
        var triedWithoutStreamOptions = false
        var attempt = 1
        while true {
            var http = chatRequest(request, includeStreamOptions: useStreamOptions)
            http.deliveryInterval = deliveryInterval
            do {
                try await attemptOnce(
                    http, model: request.model,
                    rememberStreamOptionsRejection: triedWithoutStreamOptions,
                    start: start, state: &state, receive: receive)
                return
            } catch {
                let error = error.redacting(apiKey)
                if Task.isCancelled { throw .cancelled }
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
                let failure = error
                do {
                    try await retryPolicy.sleep(delay)
                } catch {
                    // Only a cancelled wait is a cancellation; any other failure of the wait
                    // leaves the server's own error as the answer.
                    if Task.isCancelled || error is CancellationError { throw .cancelled }
                    throw failure
                }
                if Task.isCancelled { throw .cancelled }
            }
        }
    }

    /// One HTTP exchange. Deltas are handed to `receive` as they decode (all those of one body
    /// batch in one go, in the calling task); the stream's closing events and the timings when
    /// the transfer ends.
    private func attemptOnce(
        _ http: HTTPRequest, model: String, rememberStreamOptionsRejection: Bool,
        start: ContinuousClock.Instant, state: inout AttemptState,
        receive: (ChatEvent) -> Void
    ) async throws(ProviderError) {
        var decoder = makeDecoder()
        defer {
            state.inputTokens = decoder.summary.inputTokens
            state.outputTokens = decoder.summary.outputTokens
        }
        var head: ResponseHead?
        /// The head says the body is an HTML page (looked up once, not per body batch).
        var isHTML = false
        var errorBody: [UInt8] = []
        /// The start of a successful body, to say what arrived when it is not the format.
        var firstBytes: [UInt8] = []
        var metrics: TransferMetrics?
        let limit = maxAnswerBytes

        func deliver(_ events: [ChatEvent], state: inout AttemptState) {
            for event in events where !state.capped {
                var event = event
                switch event {
                case .textDelta(let text), .reasoningDelta(let text):
                    let size = text.utf8.count
                    if state.answerBytes + size > limit {
                        state.capped = true
                        let kept = Self.prefix(of: text, utf8Bytes: limit - state.answerBytes)
                        guard !kept.isEmpty else { return }
                        if case .textDelta = event { event = .textDelta(kept) } else { event = .reasoningDelta(kept) }
                    }
                    state.answerBytes += min(size, limit - state.answerBytes)
                    state.delivered = true
                    if state.firstToken == nil { state.firstToken = .now }
                default: break
                }
                receive(event)
            }
        }

        do {
            stream: for try await event in transport.stream(http) {
                switch event {
                case .head(let received):
                    head = received
                    isHTML = Self.isHTML(received)
                    if rememberStreamOptionsRejection, (200..<300).contains(received.status) {
                        streamOptionsMemory.recordRejection(by: origin)
                    }
                case .body(let bytes):
                    guard let head, (200..<300).contains(head.status) else {
                        if errorBody.count < 64 << 10 { errorBody += bytes.prefix((64 << 10) - errorBody.count) }
                        continue
                    }
                    if firstBytes.count < 512 { firstBytes += bytes.prefix(512 - firstBytes.count) }
                    if isHTML {
                        // A page, not a stream: read enough to quote it, then stop.
                        guard firstBytes.count >= 512 else { continue }
                        break stream
                    }
                    var events: [ChatEvent] = []
                    var failure: ProviderError?
                    do { try decoder.feed(bytes, into: &events) } catch { failure = error }
                    deliver(events, state: &state)
                    if state.capped { break stream }
                    if let failure {
                        if case .malformedStream = failure, !decoder.summary.recognised {
                            throw unexpectedResponse(head, firstBytes)
                        }
                        throw failure
                    }
                case .end(let received):
                    metrics = received
                    break stream
                }
            }
        } catch {
            throw transportError(error)
        }
        if state.capped { throw .answerTooLong(provider: name, limit: limit) }
        if Task.isCancelled { throw .cancelled }
        guard let head else {
            throw .transport(provider: name, .connectionLost(origin: origin.description, message: "the response ended before its headers"))
        }
        guard (200..<300).contains(head.status) else {
            var available: [String]?
            if head.status == 404 { available = try? await listModels() }
            throw statusError(head, errorBody, model: model, available: available)
        }
        if Self.isHTML(head) {
            throw unexpectedResponse(head, firstBytes)
        }
        var closing: [ChatEvent] = []
        defer { deliver(closing, state: &state) }
        do {
            try decoder.finish(into: &closing)
        } catch {
            // Nothing parsed and the first bytes cannot begin this format: not a cut stream
            // but something else answering (plain text, a JSON answer to a different API).
            if !decoder.summary.recognised, !firstBytes.isEmpty, !wireFormat.mayBeginStream(firstBytes) {
                throw unexpectedResponse(head, firstBytes)
            }
            throw error
        }
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
        transport.recordChatOperation(ChatOperationRecord(
            origin: origin, provider: preset.id, model: model, timeToFirstChunk: timeToFirstToken, duration: total.seconds,
            inputTokens: summary.inputTokens, outputTokens: summary.outputTokens))
    }
}

extension Provider {
    /// The error for a 200 answer that is not this format's stream, quoting what came.
    func unexpectedResponse(_ head: ResponseHead, _ firstBytes: [UInt8]) -> ProviderError {
        let type = head.headers.value(for: "Content-Type")
        let what: String
        if let type, type.lowercased().contains("text/html") {
            what = "an HTML page (\(type))"
        } else if let type {
            what = "\(type) content"
        } else {
            what = "content of no stated type"
        }
        let raw = String(decoding: firstBytes, as: UTF8.self).trimmingWhitespace()
        let excerpt = ServerMessage.htmlSummary(raw) ?? raw
        let quoted = excerpt.isEmpty ? "" : ": \"" + excerpt.excerpt(80) + "\""
        return .unexpectedResponse(provider: name, arrived: what + quoted, baseURL: baseURL)
    }

    /// Whether `head` announces an HTML page (`Content-Type: text/html...`).
    static func isHTML(_ head: ResponseHead) -> Bool {
        head.headers.value(for: "Content-Type")?.lowercased().contains("text/html") ?? false
    }

    /// The longest prefix of `text` (whole characters) of at most `bytes` UTF-8 bytes.
    static func prefix(of text: String, utf8Bytes bytes: Int) -> String {
        var result = ""
        var used = 0
        for character in text {
            let size = character.utf8.count
            if used + size > bytes { break }
            result.append(character)
            used += size
        }
        return result
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
