import Foundation
import Hummingbird
import NIOCore

/// Routes every request the simulator receives: the three chat APIs, the model listings and the
/// `/_sim/*` control endpoints. Counts each request against its connection first.
struct SimResponder: HTTPResponder {
    typealias Context = SimRequestContext

    let config: SimConfig
    let ledger: ConnectionLedger
    let gate: SimGate
    /// The slots, when ``SimConfig/slots`` sets a number.
    let slots: SimSlots?
    /// The slots of models that have their own (``SimModel/slots``), by model name.
    var modelSlots: [String: SimSlots] = [:]

    /// Largest request body read (chat histories are small; anything bigger is refused).
    static let maxBodySize = 8 << 20

    func respond(to request: Request, context: SimRequestContext) async throws -> Response {
        ledger.request(on: context.channel)
        let path = request.uri.path
        switch (request.method, path) {
        case (.get, "/"):
            // Ollama's health answer; clients probe it to detect a server.
            return Self.bytes("Ollama is running", contentType: "text/plain; charset=utf-8")
        case (.get, "/_sim/ping"):
            return Self.bytes("pong\n", contentType: "text/plain; charset=utf-8")
        case (.get, "/_sim/stats"):
            return Self.json(ledger.snapshot.json)
        case (.post, "/_sim/reset"):
            ledger.reset()
            return Self.json(ledger.snapshot.json)
        case (.get, "/api/tags"):
            return Self.json(SimModelListing.ollamaTags(config.models))
        case (.get, "/api/ps"):
            return Self.json(SimModelListing.ollamaProcesses(config.models))
        case (.get, "/slots"):
            guard let slots, config.exposesSlots else { return Self.slotsNotSupported }
            return Self.json(SimModelListing.llamacppSlots(slots))
        case (.get, "/props"):
            guard let slots, config.exposesSlots else { return Self.slotsNotSupported }
            return Self.json(.object([
                ("total_slots", .int(slots.total)), ("model_alias", .string(config.models.first?.name ?? "")),
                ("endpoint_slots", .bool(true)),
            ]))
        case (.get, "/api/version"):
            return Self.json(.object([("version", .string("0.0.0-tidepool-sim"))]))
        case (.get, "/v1/models"):
            let anthropic = request.headers[HTTPFields.Element.Name("anthropic-version")!] != nil
                || request.headers[HTTPFields.Element.Name("x-api-key")!] != nil
            return Self.json(anthropic
                ? SimModelListing.anthropic(config.models)
                : SimModelListing.openAI(config.models))
        case (.post, "/api/chat"):
            return try await chat(request, context: context, format: .ollama)
        case (.post, "/v1/chat/completions"):
            return try await chat(request, context: context, format: .openAI)
        case (.post, "/v1/messages"):
            return try await chat(request, context: context, format: .anthropic)
        default:
            let format: SimWireFormat = path.hasPrefix("/api/") ? .ollama
                : path == "/v1/messages" ? .anthropic : .openAI
            let failure = SimWireFormat.Failure.notFound(path: path)
            return Self.failure(failure, format: format)
        }
    }

    /// A chat request in any format: parse, look the model up, inject its fault or stream.
    private func chat(_ request: Request, context: SimRequestContext, format: SimWireFormat) async throws -> Response {
        let arrival = ContinuousClock.now
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: Self.maxBodySize)
        } catch {
            return Self.failure(.badRequest("request body larger than \(Self.maxBodySize) bytes"), format: format)
        }
        let chat: SimChatRequest
        do {
            chat = try SimChatRequest.parse(Array(body.readableBytesView), format: format)
        } catch {
            switch error {
            case .invalidJSON(let message): return Self.failure(.badRequest(message), format: format)
            case .missingField(let field):
                return Self.failure(.badRequest("\(field): field required"), format: format)
            }
        }
        guard let model = config.model(named: chat.model) else {
            return Self.failure(.unknownModel(chat.model), format: format)
        }
        switch model.fault {
        case .refuse:
            // Close without a byte of response; Hummingbird's own attempt to answer then fails.
            try? await context.channel.close()
            throw SimAbort.connectionClosed
        case .tooManyRequests:
            var response = Self.failure(.rateLimited, format: format)
            response.headers[HTTPFields.Element.Name("retry-after")!] = "1"
            return response
        case .serverError:
            return Self.failure(.serverError, format: format)
        case .drop, .stall, .malformed, nil:
            break
        }
        // A slot before generating (and before a `:gatherN` group: held slots are what a test
        // of overflow wants to see).
        var lease: SimSlotLease?
        // Generation starts when a slot is free: a request that waited for one gets its first
        // token the model's delay after that, then tokens at the model's pace, as on a real
        // server (pacing from arrival would let a queued answer catch up in a burst).
        var generationStart = arrival
        if let slots = modelSlots[model.name] ?? self.slots {
            switch config.overflow {
            case .wait:
                lease = await slots.acquire()
                generationStart = ContinuousClock.now
            case .busy503:
                guard let free = slots.tryAcquire() else { return Self.failure(.busy, format: format) }
                lease = free
            case .reject429:
                guard let free = slots.tryAcquire() else {
                    var response = Self.failure(.rateLimited, format: format)
                    response.headers[HTTPFields.Element.Name("retry-after")!] = "1"
                    return response
                }
                lease = free
            }
        }
        if let count = model.gatherCount { await gate.gather(count) }
        let showReasoning = model.reasons && chat.thinkingRequested
        let answer = SimAnswer(request: chat, model: model, showReasoning: showReasoning, salt: config.seed)
        let run = SimStreamRun(
            answer: answer,
            pacing: SimPacing(model: model, speed: config.speed),
            fault: model.fault,
            arrival: generationStart,
            channel: context.channel,
            ledger: ledger,
            lease: lease
        )
        switch format {
        case .ollama:
            return try await run.response(encoder: OllamaEncoder(answer: answer), stream: chat.stream)
        case .openAI:
            return try await run.response(
                encoder: OpenAIEncoder(answer: answer, includeUsage: chat.includeUsage), stream: chat.stream)
        case .anthropic:
            return try await run.response(encoder: AnthropicEncoder(answer: answer), stream: chat.stream)
        }
    }

    /// llama-server's answer on `/slots` when started with `--no-slots` (and on `/props` here:
    /// a hidden simulator tells nothing about its slots).
    static var slotsNotSupported: Response {
        json(.object([("error", .object([
            ("code", .int(501)), ("message", .string("This server does not support slots endpoint.")),
            ("type", .string("not_supported_error")),
        ]))]), status: .init(code: 501))
    }

    /// A JSON response with status 200 (or the given one).
    static func json(_ value: SimJSON, status: HTTPResponse.Status = .ok) -> Response {
        bytes(value.serialized, contentType: "application/json", status: status)
    }

    /// A complete response from text.
    static func bytes(_ text: String, contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text))
        )
    }

    /// A failure in the format's own shape and status.
    static func failure(_ failure: SimWireFormat.Failure, format: SimWireFormat) -> Response {
        json(format.errorBody(failure), status: .init(code: SimWireFormat.status(of: failure)))
    }
}
