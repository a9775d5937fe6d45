import Foundation

/// Ollama's `/api/chat` shapes: one JSON object per line, key order as Ollama's Go structs
/// (`model`, `created_at`, `message{role,content,thinking}`, `done_reason`, `done`, metrics).
struct OllamaEncoder: SimStreamEncoder {
    let answer: SimAnswer

    var streamContentType: String { "application/x-ndjson" }

    mutating func start() -> String { "" }

    mutating func token(_ text: String, isReasoning: Bool) -> String {
        line(message(content: isReasoning ? "" : text, thinking: isReasoning ? text : nil), final: nil)
    }

    mutating func finish(timing: SimTiming) -> String {
        line(message(content: "", thinking: nil), final: timing)
    }

    func malformedFrame() -> String {
        "{\"model\":\"\(answer.model)\",\"created_at\":\"\(SimTimestamp.rfc3339(Date()))\",\"message\":{\"role\":\"assis\n"
    }

    func whole(timing: SimTiming) -> SimJSON {
        let thinking = answer.reasoning.isEmpty ? nil : answer.reasoning.joined()
        return object(message(content: answer.answer.joined(), thinking: thinking), final: timing)
    }

    private func message(content: String, thinking: String?) -> SimJSON {
        var members: [(String, SimJSON)] = [("role", .string("assistant")), ("content", .string(content))]
        if let thinking { members.append(("thinking", .string(thinking))) }
        return .object(members)
    }

    private func line(_ message: SimJSON, final timing: SimTiming?) -> String {
        object(message, final: timing).serialized + "\n"
    }

    private func object(_ message: SimJSON, final timing: SimTiming?) -> SimJSON {
        var members: [(String, SimJSON)] = [
            ("model", .string(answer.model)),
            ("created_at", .string(SimTimestamp.rfc3339(Date()))),
            ("message", message),
        ]
        guard let timing else {
            members.append(("done", .bool(false)))
            return .object(members)
        }
        members += [
            ("done_reason", .string(answer.truncated ? "length" : "stop")),
            ("done", .bool(true)),
            ("total_duration", .int(timing.total.nanoseconds)),
            ("load_duration", .int(timing.load.nanoseconds)),
            ("prompt_eval_count", .int(answer.promptTokens)),
            ("prompt_eval_duration", .int(timing.promptEval.nanoseconds)),
            ("eval_count", .int(answer.completionTokens)),
            ("eval_duration", .int(timing.eval.nanoseconds)),
        ]
        return .object(members)
    }
}
