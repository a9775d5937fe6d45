import Foundation

/// Anthropic Messages shapes: `event:` + `data:` pairs: message_start, content_block_start, ping,
/// thinking_delta then signature_delta for a thinking block, text_delta, content_block_stop,
/// message_delta (stop_reason, usage.output_tokens), message_stop.
struct AnthropicEncoder: SimStreamEncoder {
    let answer: SimAnswer
    /// Index of the open content block and whether it is a thinking block; nil when none is open.
    private var openBlock: (index: Int, thinking: Bool)?
    private var blocksStarted = 0

    init(answer: SimAnswer) {
        self.answer = answer
    }

    var streamContentType: String { "text/event-stream; charset=utf-8" }

    private var id: String { "msg_" + answer.identifier(length: 24) }

    /// A stable, obviously synthetic signature for the thinking block.
    private var signature: String {
        Data("tidepool-sim-signature-\(answer.seed)".utf8).base64EncodedString()
    }

    mutating func start() -> String {
        event("message_start", .object([
            ("type", .string("message_start")),
            ("message", .object([
                ("id", .string(id)), ("type", .string("message")), ("role", .string("assistant")),
                ("content", .array([])), ("model", .string(answer.model)),
                ("stop_reason", .null), ("stop_sequence", .null),
                ("usage", .object([("input_tokens", .int(answer.promptTokens)), ("output_tokens", .int(1))])),
            ])),
        ]))
    }

    mutating func token(_ text: String, isReasoning: Bool) -> String {
        var out = ""
        if openBlock?.thinking != isReasoning || openBlock == nil {
            out += closeBlock()
            out += openNewBlock(thinking: isReasoning)
        }
        let index = openBlock?.index ?? 0
        let delta: SimJSON = isReasoning
            ? .object([("type", .string("thinking_delta")), ("thinking", .string(text))])
            : .object([("type", .string("text_delta")), ("text", .string(text))])
        out += event("content_block_delta", .object([
            ("type", .string("content_block_delta")), ("index", .int(index)), ("delta", delta),
        ]))
        return out
    }

    mutating func finish(timing: SimTiming) -> String {
        var out = ""
        if openBlock == nil && blocksStarted == 0 { out += openNewBlock(thinking: false) }
        out += closeBlock()
        out += event("message_delta", .object([
            ("type", .string("message_delta")),
            ("delta", .object([("stop_reason", .string(stopReason)), ("stop_sequence", .null)])),
            ("usage", .object([("output_tokens", .int(answer.completionTokens))])),
        ]))
        out += event("message_stop", .object([("type", .string("message_stop"))]))
        return out
    }

    func malformedFrame() -> String {
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_d\n\n"
    }

    func whole(timing: SimTiming) -> SimJSON {
        var content: [SimJSON] = []
        if !answer.reasoning.isEmpty {
            content.append(.object([
                ("type", .string("thinking")), ("thinking", .string(answer.reasoning.joined())),
                ("signature", .string(signature)),
            ]))
        }
        content.append(.object([("type", .string("text")), ("text", .string(answer.answer.joined()))]))
        return .object([
            ("id", .string(id)), ("type", .string("message")), ("role", .string("assistant")),
            ("model", .string(answer.model)), ("content", .array(content)),
            ("stop_reason", .string(stopReason)), ("stop_sequence", .null),
            ("usage", .object([
                ("input_tokens", .int(answer.promptTokens)), ("output_tokens", .int(answer.completionTokens)),
            ])),
        ])
    }

    private var stopReason: String { answer.truncated ? "max_tokens" : "end_turn" }

    private mutating func openNewBlock(thinking: Bool) -> String {
        let index = blocksStarted
        blocksStarted += 1
        openBlock = (index, thinking)
        let block: SimJSON = thinking
            ? .object([("type", .string("thinking")), ("thinking", .string("")), ("signature", .string(""))])
            : .object([("type", .string("text")), ("text", .string(""))])
        var out = event("content_block_start", .object([
            ("type", .string("content_block_start")), ("index", .int(index)), ("content_block", block),
        ]))
        if index == 0 { out += "event: ping\ndata: {\"type\": \"ping\"}\n\n" }
        return out
    }

    private mutating func closeBlock() -> String {
        guard let block = openBlock else { return "" }
        openBlock = nil
        var out = ""
        if block.thinking {
            out += event("content_block_delta", .object([
                ("type", .string("content_block_delta")), ("index", .int(block.index)),
                ("delta", .object([("type", .string("signature_delta")), ("signature", .string(signature))])),
            ]))
        }
        out += event("content_block_stop", .object([
            ("type", .string("content_block_stop")), ("index", .int(block.index)),
        ]))
        return out
    }

    private func event(_ name: String, _ data: SimJSON) -> String {
        "event: \(name)\ndata: \(data.serialized)\n\n"
    }
}
