import Foundation

/// The Wilson score interval of a proportion: where the true win rate lies with 95%
/// confidence, given `successes` out of `trials`. Unlike the plain "rate ± 1.96 standard
/// errors", it stays inside 0...1 and is honest for few comparisons (3 wins of 3 give
/// 0.44...1, not 1...1).
public struct WilsonInterval: Sendable, Equatable {
    /// The two-sided 95% normal quantile.
    public static let z95 = 1.959963984540054

    /// The lower bound.
    public var low: Double
    /// The upper bound.
    public var high: Double

    /// The interval for `successes` of `trials` (a tie counts as half a success, so both may
    /// be fractional). With no trials nothing is known: 0...1.
    public init(successes: Double, trials: Double, z: Double = WilsonInterval.z95) {
        guard trials > 0 else {
            low = 0
            high = 1
            return
        }
        let p = min(max(successes / trials, 0), 1)
        let z2 = z * z
        let denominator = 1 + z2 / trials
        let centre = (p + z2 / (2 * trials)) / denominator
        let half = z * (p * (1 - p) / trials + z2 / (4 * trials * trials)).squareRoot() / denominator
        low = max(0, centre - half)
        high = min(1, centre + half)
    }
}
