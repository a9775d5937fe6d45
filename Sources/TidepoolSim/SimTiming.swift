/// Measured server-side durations of one request, reported in Ollama's final line (nanoseconds).
struct SimTiming: Sendable, Equatable {
    var total: Duration = .zero
    var load: Duration = .zero
    var promptEval: Duration = .zero
    var eval: Duration = .zero
}

extension Duration {
    /// Whole nanoseconds, as Ollama reports durations.
    var nanoseconds: Int {
        let parts = components
        return Int(parts.seconds) * 1_000_000_000 + Int(parts.attoseconds / 1_000_000_000)
    }
}
