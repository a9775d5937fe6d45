extension StoredSession {
    /// The answers to each prompt, by the prompt's message id, in the order they were written:
    /// the one grouping resume (`AppState(resuming:)`) and export both read.
    public var answersByPrompt: [Int64: [StoredMessage]] {
        var answers: [Int64: [StoredMessage]] = [:]
        for message in messages where message.role == .assistant {
            guard let prompt = message.replyTo else { continue }
            answers[prompt, default: []].append(message)
        }
        return answers
    }
}
