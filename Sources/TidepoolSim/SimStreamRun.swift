import Hummingbird
import NIOCore

/// Sends one planned answer over the wire at the model's pace, injecting the model's mid-stream
/// fault (drop, stall, malformed frame) at the halfway token.
struct SimStreamRun: Sendable {
    let answer: SimAnswer
    let pacing: SimPacing
    let fault: SimFault?
    /// When the request arrived: every token's due time is measured from here.
    let arrival: ContinuousClock.Instant
    /// The connection, for faults that close it or wait for it to close.
    let channel: any Channel
    /// Told when a `stall` starts, so a client hanging up ends the stall.
    let ledger: ConnectionLedger
    /// The slot this answer holds, given back when the answer ends (or when the response is
    /// dropped unwritten: the lease releases itself).
    var lease: SimSlotLease? = nil

    /// How long partial output is given to reach the socket before a `drop` closes it.
    static let flushGrace: Duration = .milliseconds(20)

    /// The response: streamed frames at once (the head goes out before the first token, as
    /// real servers do), or, when `stream` is false, one JSON body with a Content-Length after the
    /// whole answer's generation time (so a dropped non-streaming request gets no response at all).
    func response<Encoder: SimStreamEncoder>(encoder: Encoder, stream: Bool) async throws -> Response {
        if stream {
            return Response(
                status: .ok,
                headers: [.contentType: encoder.streamContentType, .cacheControl: "no-cache"],
                body: ResponseBody { writer in
                    defer { self.lease?.release() }
                    try await self.stream(encoder: encoder, writer: &writer)
                }
            )
        }
        let body: String
        do {
            defer { lease?.release() }
            body = try await whole(encoder: encoder)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body))
        )
    }

    /// The token index at which the mid-stream fault strikes, if the model has one.
    private var faultIndex: Int? {
        switch fault {
        case .drop, .stall, .malformed: return answer.tokens.count / 2
        default: return nil
        }
    }

    private func stream<Encoder: SimStreamEncoder>(
        encoder: Encoder, writer: inout any ResponseBodyWriter
    ) async throws {
        var encoder = encoder
        var pending = encoder.start()
        let tokens = answer.tokens
        var firstToken: ContinuousClock.Instant?
        for index in 0...tokens.count {
            if index == faultIndex {
                if fault == .malformed {
                    pending += encoder.malformedFrame()
                } else {
                    try await flush(&pending, writer: &writer)
                    try await strike()
                }
            }
            guard index < tokens.count else { break }
            let due = arrival + pacing.offset(ofToken: index)
            if due > .now {
                try await flush(&pending, writer: &writer)
                try await Task.sleep(until: due, clock: .continuous)
            }
            if firstToken == nil { firstToken = .now }
            pending += encoder.token(tokens[index].text, isReasoning: tokens[index].isReasoning)
        }
        pending += encoder.finish(timing: timing(firstToken: firstToken))
        try await flush(&pending, writer: &writer)
        try await writer.finish(nil)
    }

    /// The non-streaming body, once the whole answer is "generated"; a `malformed` fault cuts it
    /// in half, `drop` and `stall` strike at the halfway token instead of answering.
    private func whole<Encoder: SimStreamEncoder>(encoder: Encoder) async throws -> String {
        let count = answer.tokens.count
        let firstDue = arrival + pacing.offset(ofToken: 0)
        if let faultIndex {
            try await Task.sleep(until: arrival + pacing.offset(ofToken: faultIndex), clock: .continuous)
            if fault != .malformed { try await strike() }
        }
        try await Task.sleep(until: arrival + pacing.offset(ofToken: max(0, count - 1)), clock: .continuous)
        let body = encoder.whole(timing: timing(firstToken: firstDue)).serialized
        return fault == .malformed ? String(body.prefix(body.count / 2)) : body
    }

    /// Carries out a `drop` (close the connection) or `stall` (wait until it closes); never
    /// returns normally.
    private func strike() async throws -> Never {
        if fault == .drop {
            try? await Task.sleep(for: Self.flushGrace)
            try? await channel.close()
        } else {
            ledger.markStalled(channel)
            try? await channel.closeFuture.get()
        }
        throw SimAbort.connectionClosed
    }

    private func flush(_ pending: inout String, writer: inout any ResponseBodyWriter) async throws {
        guard !pending.isEmpty else { return }
        try await writer.write(ByteBuffer(string: pending))
        pending = ""
    }

    /// Server-side durations so far, in the form Ollama reports them.
    private func timing(firstToken: ContinuousClock.Instant?) -> SimTiming {
        let now = ContinuousClock.now
        let first = firstToken ?? now
        return SimTiming(
            total: now - arrival,
            load: .microseconds(250),
            promptEval: first - arrival,
            eval: now - first
        )
    }
}
