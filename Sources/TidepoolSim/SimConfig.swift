/// What a ``SimServer`` serves: its models, a global speed multiplier and a seed salt.
public struct SimConfig: Sendable, Hashable {
    /// The models listed and answered; requests for other names get each format's 404.
    public var models: [SimModel]
    /// Multiplies every model's pace: 2 halves delays and doubles token rates; `.infinity`
    /// makes every model instant. Values at or below zero are treated as 1.
    public var speed: Double
    /// Mixed into every answer's seed, so two servers can give different (but each
    /// reproducible) answers to the same question.
    public var seed: UInt64
    /// How many answers the server generates at once; nil: no limit (and no slot endpoints).
    public var slots: Int?
    /// What a request finding every slot busy gets.
    public var overflow: SimOverflow
    /// Whether `GET /slots` and `GET /props` tell the slot count (llama-server's shapes); when
    /// false they answer 501 like `llama-server --no-slots`, so a client has to learn the limit.
    public var exposesSlots: Bool

    /// A configuration; the defaults serve ``SimModel/defaults`` at real-time pace, unlimited.
    public init(
        models: [SimModel] = SimModel.defaults, speed: Double = 1, seed: UInt64 = 0,
        slots: Int? = nil, overflow: SimOverflow = .wait, exposesSlots: Bool = true
    ) {
        self.models = models
        self.speed = speed > 0 ? speed : 1
        self.seed = seed
        self.slots = slots.map { max(1, $0) }
        self.overflow = overflow
        self.exposesSlots = exposesSlots
    }

    /// The model a request names, with its tags applied: `:latest` (or no tag) as configured,
    /// `:instant` with no delays, `:gatherN` holding the answer until N such requests wait
    /// together. Tags combine (`sim-fast:instant:gather3`). Nil when no such model is configured
    /// or a tag is unknown.
    public func model(named requested: String) -> SimModel? {
        let parts = requested.split(separator: ":", omittingEmptySubsequences: false)
        guard let base = parts.first, var model = models.first(where: { $0.name == base }) else { return nil }
        for tag in parts.dropFirst() {
            switch tag {
            case "latest": break
            case "instant": model = model.instant
            default:
                guard tag.hasPrefix("gather"), let count = Int(tag.dropFirst("gather".count)),
                      (1...64).contains(count) else { return nil }
                model = model.gathering(count)
            }
        }
        return model
    }
}
