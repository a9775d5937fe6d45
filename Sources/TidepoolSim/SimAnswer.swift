/// The planned output of one chat request: which tokens to send (reasoning first), why it ends,
/// and the numbers its usage reports. Built before streaming starts; pure.
struct SimAnswer: Sendable, Equatable {
    /// The model name echoed back to the client (as it was requested).
    let model: String
    /// Reasoning tokens to send (empty when the model does not reason or the client did not ask).
    let reasoning: [String]
    /// Answer tokens to send.
    let answer: [String]
    /// True when a token limit from the request cut the output short (`length`/`max_tokens`).
    let truncated: Bool
    let promptTokens: Int
    /// Seed for ids and signatures, so they are stable for the same question.
    let seed: UInt64

    init(request: SimChatRequest, model: SimModel, showReasoning: Bool, salt: UInt64) {
        self.model = request.model
        seed = SimTextGenerator.seed(model: model.name, prompt: request.prompt, salt: salt)
        let generator = SimTextGenerator(seed: seed, prompt: request.prompt)
        var budget = request.maxTokens ?? Int.max
        let wantedReasoning = showReasoning ? model.reasoningTokens : 0
        let reasoningCount = min(wantedReasoning, budget)
        budget -= reasoningCount
        let answerCount = min(model.answerTokens, budget)
        reasoning = generator.reasoning(tokens: reasoningCount)
        // A token limit cuts the finished answer short; it does not write a shorter one.
        answer = Array(generator.answer(tokens: model.answerTokens).prefix(answerCount))
        truncated = reasoningCount < wantedReasoning || answerCount < model.answerTokens
        promptTokens = request.promptTokens
    }

    /// Tokens generated (reasoning included, as the real APIs count them).
    var completionTokens: Int { reasoning.count + answer.count }

    /// Every token in sending order, each marked as reasoning or not.
    var tokens: [(text: String, isReasoning: Bool)] {
        reasoning.map { ($0, true) } + answer.map { ($0, false) }
    }

    /// A stable pseudo-random identifier of `length` letters and digits.
    func identifier(length: Int) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var random = SimRandom(seed: seed ^ 0x1D)
        return String((0..<length).map { _ in random.pick(alphabet) })
    }
}
