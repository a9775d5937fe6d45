/// One simulated model: how fast it answers, how long its answers are, whether it reasons
/// first, and which fault (if any) it injects.
///
/// Any model can be made instant per request by asking for it with the `:instant` tag
/// (`sim-thinker:instant`): time to first token 0 and no rate limit, for fast tests and
/// benchmarks. The `:latest` tag is accepted and ignored, as Ollama does. The `:gatherN` tag
/// (`sim-fast:instant:gather3`) holds each answer until N requests carrying the same tag are
/// waiting together, so a test can make concurrent answers overlap for certain instead of by luck.
public struct SimModel: Sendable, Hashable {
    /// The name clients send (without a tag), e.g. `sim-fast`.
    public var name: String
    /// Delay between the request arriving and the first token (before the speed multiplier).
    public var timeToFirstToken: Duration
    /// Tokens streamed per second after the first (before the speed multiplier);
    /// `.infinity` sends everything at once.
    public var tokensPerSecond: Double
    /// Length of the answer in tokens (a request's `max_tokens` / `num_predict` can shorten it,
    /// ending with `length` instead of `stop`).
    public var answerTokens: Int
    /// Tokens of reasoning streamed before the answer; 0 means not a reasoning model.
    public var reasoningTokens: Int
    /// The failure this model injects, or nil for a well-behaved model.
    public var fault: SimFault?
    /// When set, an answer starts only once this many requests with the same count wait
    /// together (see ``SimGate``); nil starts at once.
    public var gatherCount: Int?
    /// Answers of this model generated at once, in slots of its own (as Ollama's
    /// `OLLAMA_NUM_PARALLEL` is per loaded model), used instead of the server's
    /// ``SimConfig/slots``, with the same ``SimConfig/overflow``; nil: the server's slots.
    public var slots: Int?

    /// A model with the given behaviour.
    public init(
        name: String,
        timeToFirstToken: Duration = .milliseconds(50),
        tokensPerSecond: Double = 200,
        answerTokens: Int = 160,
        reasoningTokens: Int = 0,
        fault: SimFault? = nil
    ) {
        self.name = name
        self.timeToFirstToken = timeToFirstToken
        self.tokensPerSecond = tokensPerSecond
        self.answerTokens = max(0, answerTokens)
        self.reasoningTokens = max(0, reasoningTokens)
        self.fault = fault
        self.gatherCount = nil
        self.slots = nil
    }

    /// This model with `count` slots of its own (at least 1).
    public func withSlots(_ count: Int) -> SimModel {
        var copy = self
        copy.slots = max(1, count)
        return copy
    }

    /// Whether the model streams reasoning (thinking) before its answer.
    public var reasons: Bool { reasoningTokens > 0 }

    /// This model with no first-token delay and no rate limit.
    public var instant: SimModel {
        var copy = self
        copy.timeToFirstToken = .zero
        copy.tokensPerSecond = .infinity
        return copy
    }

    /// This model holding each answer until `count` requests with the same count wait together.
    public func gathering(_ count: Int) -> SimModel {
        var copy = self
        copy.gatherCount = max(1, count)
        return copy
    }

    /// Fast and short-latency: ttft 50 ms, 200 tokens/s.
    public static let fast = SimModel(name: "sim-fast")
    /// A steadier local-model feel: ttft 150 ms, 60 tokens/s.
    public static let steady = SimModel(
        name: "sim-steady", timeToFirstToken: .milliseconds(150), tokensPerSecond: 60, answerTokens: 140)
    /// A reasoning model: 60 tokens of thinking, then the answer.
    public static let thinker = SimModel(
        name: "sim-thinker", timeToFirstToken: .milliseconds(200), tokensPerSecond: 120,
        answerTokens: 140, reasoningTokens: 60)
    /// No delay and no rate limit, for tests and benchmarks.
    public static let instantModel = SimModel(
        name: "sim-instant", timeToFirstToken: .zero, tokensPerSecond: .infinity, answerTokens: 80)

    /// One model per fault, named `fault-drop`, `fault-stall`, `fault-429`, `fault-500`,
    /// `fault-malformed`, `fault-refuse`, streaming at sim-fast's pace.
    public static let faults: [SimModel] = [
        SimModel(name: "fault-drop", answerTokens: 80, fault: .drop),
        SimModel(name: "fault-stall", answerTokens: 80, fault: .stall),
        SimModel(name: "fault-429", fault: .tooManyRequests),
        SimModel(name: "fault-500", fault: .serverError),
        SimModel(name: "fault-malformed", answerTokens: 80, fault: .malformed),
        SimModel(name: "fault-refuse", fault: .refuse),
    ]

    /// The models a default ``SimConfig`` serves.
    public static let defaults: [SimModel] = [fast, steady, thinker, instantModel] + faults
}
