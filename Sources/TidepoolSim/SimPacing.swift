/// When each token of a simulated answer is due, measured from the request's arrival: the model's
/// time to first token and rate, scaled by the configuration's speed. Pure, so it is tested
/// without a clock.
struct SimPacing: Sendable, Equatable {
    /// Delay before the first token.
    let firstToken: Duration
    /// Gap between tokens; nil means unlimited (everything due at once).
    let interval: Duration?

    init(model: SimModel, speed: Double) {
        let speed = speed > 0 ? speed : 1
        if speed.isInfinite {
            firstToken = .zero
            interval = nil
            return
        }
        firstToken = model.timeToFirstToken / speed
        let rate = model.tokensPerSecond * speed
        if rate.isFinite, rate > 0 {
            interval = .nanoseconds(Int64((1e9 / rate).rounded()))
        } else {
            interval = nil
        }
    }

    /// The offset from the request's arrival at which token `index` (0-based) is due.
    func offset(ofToken index: Int) -> Duration {
        guard let interval else { return firstToken }
        return firstToken + interval * index
    }

    /// Whether nothing ever waits (tests and benchmarks).
    var isInstant: Bool { firstToken == .zero && interval == nil }
}
