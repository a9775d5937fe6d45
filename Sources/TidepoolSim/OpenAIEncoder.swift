import Foundation

/// OpenAI Chat Completions shapes: `data: {chunk}` events (role chunk, content or
/// `reasoning_content` deltas, finish chunk, optional usage chunk with `"choices":[]`), then
/// `data: [DONE]`; key order as the live API (see the openai-chat fixtures).
struct OpenAIEncoder: SimStreamEncoder {
    let answer: SimAnswer
    let includeUsage: Bool
    let created = SimTimestamp.unixSeconds(Date())

    var streamContentType: String { "text/event-stream; charset=utf-8" }

    private var id: String { "chatcmpl-" + answer.identifier(length: 29) }

    mutating func start() -> String {
        event(delta: .object([("role", .string("assistant")), ("content", .string("")), ("refusal", .null)]),
              finish: .null)
    }

    mutating func token(_ text: String, isReasoning: Bool) -> String {
        event(delta: .object([(isReasoning ? "reasoning_content" : "content", .string(text))]), finish: .null)
    }

    mutating func finish(timing: SimTiming) -> String {
        var out = event(delta: .object([]), finish: .string(finishReason))
        if includeUsage {
            out += "data: " + chunk(choices: [], usage: usage).serialized + "\n\n"
        }
        return out + "data: [DONE]\n\n"
    }

    func malformedFrame() -> String {
        "data: {\"id\":\"\(id)\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"con\n\n"
    }

    func whole(timing: SimTiming) -> SimJSON {
        var message: [(String, SimJSON)] = [("role", .string("assistant")), ("content", .string(answer.answer.joined()))]
        if !answer.reasoning.isEmpty { message.append(("reasoning_content", .string(answer.reasoning.joined()))) }
        message.append(("refusal", .null))
        return .object([
            ("id", .string(id)),
            ("object", .string("chat.completion")),
            ("created", .int(created)),
            ("model", .string(answer.model)),
            ("choices", .array([
                .object([
                    ("index", .int(0)), ("message", .object(message)), ("logprobs", .null),
                    ("finish_reason", .string(finishReason)),
                ]),
            ])),
            ("usage", usage),
            ("system_fingerprint", .string("fp_tidepoolsim")),
        ])
    }

    private var finishReason: String { answer.truncated ? "length" : "stop" }

    private var usage: SimJSON {
        .object([
            ("prompt_tokens", .int(answer.promptTokens)),
            ("completion_tokens", .int(answer.completionTokens)),
            ("total_tokens", .int(answer.promptTokens + answer.completionTokens)),
            ("completion_tokens_details", .object([("reasoning_tokens", .int(answer.reasoning.count))])),
        ])
    }

    private func event(delta: SimJSON, finish: SimJSON) -> String {
        let choice = SimJSON.object([
            ("index", .int(0)), ("delta", delta), ("logprobs", .null), ("finish_reason", finish),
        ])
        return "data: " + chunk(choices: [choice], usage: nil).serialized + "\n\n"
    }

    private func chunk(choices: [SimJSON], usage: SimJSON?) -> SimJSON {
        var members: [(String, SimJSON)] = [
            ("id", .string(id)),
            ("object", .string("chat.completion.chunk")),
            ("created", .int(created)),
            ("model", .string(answer.model)),
            ("system_fingerprint", .string("fp_tidepoolsim")),
            ("choices", .array(choices)),
        ]
        if let usage { members.append(("usage", usage)) }
        return .object(members)
    }
}
