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

    /// A configuration; the defaults serve ``SimModel/defaults`` at real-time pace.
    public init(models: [SimModel] = SimModel.defaults, speed: Double = 1, seed: UInt64 = 0) {
        self.models = models
        self.speed = speed > 0 ? speed : 1
        self.seed = seed
    }

    /// The model a request names, with its tag applied: `:latest` (or no tag) as configured,
    /// `:instant` with no delays. Nil when no such model is configured.
    public func model(named requested: String) -> SimModel? {
        var base = Substring(requested)
        var instant = false
        if let colon = requested.lastIndex(of: ":") {
            let tag = requested[requested.index(after: colon)...]
            switch tag {
            case "latest": base = requested[..<colon]
            case "instant":
                base = requested[..<colon]
                instant = true
            default: break
            }
        }
        guard let model = models.first(where: { $0.name == base }) else { return nil }
        return instant ? model.instant : model
    }
}
