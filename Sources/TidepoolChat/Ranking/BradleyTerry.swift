import Foundation

/// A Bradley-Terry fit: each model gets a strength `p` such that it beats another of
/// strength `q` with probability `p / (p + q)`, fitted to every pairwise outcome by the MM
/// algorithm (Hunter 2004, "MM algorithms for generalized Bradley-Terry models"), with a tie
/// counting half a win to each side.
///
/// A weak prior keeps every strength finite: each model also plays ``priorTies`` virtual
/// ties against an average model of strength 1. Without it a model that never lost would
/// drift to infinity, and one that never won to zero. The average model also anchors the
/// scale, so ratings of different fits are comparable.
///
/// Ratings are on an Elo-like scale: `1500 + 400 * log10(p)`. The average model is 1500,
/// and a model rated 400 points above another is expected to win 10 of 11 comparisons.
public struct BradleyTerry: Sendable, Equatable {
    /// The rating of the average (virtual) model.
    public static let baseRating = 1500.0
    /// Rating points per factor of ten in strength.
    public static let scale = 400.0

    /// Each model's fitted strength (the average model is 1).
    public private(set) var strengths: [String: Double]
    /// MM iterations run until the largest relative change fell below the tolerance.
    public private(set) var iterations: Int

    /// Fits the strengths of every model named in `outcomes`.
    /// - Parameters:
    ///   - priorTies: virtual ties of each model against the average model (the prior's weight).
    ///   - tolerance: stop when no strength changes by more than this fraction.
    public init(outcomes: [PairwiseOutcome], priorTies: Double = 1, tolerance: Double = 1e-12,
                maxIterations: Int = 100_000) {
        var models: [String] = []
        var index: [String: Int] = [:]
        for outcome in outcomes {
            for model in [outcome.first, outcome.second] where index[model] == nil {
                index[model] = models.count
                models.append(model)
            }
        }
        // Wins (ties half) and, per opponent, how many comparisons.
        var wins = [Double](repeating: priorTies / 2, count: models.count)
        var games = [[Int: Double]](repeating: [:], count: models.count)
        for outcome in outcomes {
            let a = index[outcome.first]!, b = index[outcome.second]!
            guard a != b else { continue }
            wins[a] += outcome.score
            wins[b] += 1 - outcome.score
            games[a][b, default: 0] += 1
            games[b][a, default: 0] += 1
        }
        var p = [Double](repeating: 1, count: models.count)
        var iterations = 0
        while iterations < maxIterations {
            iterations += 1
            var next = p
            var change = 0.0
            for i in models.indices {
                var denominator = priorTies / (p[i] + 1)
                for (j, count) in games[i] { denominator += count / (p[i] + p[j]) }
                // With no prior and no wins a strength would reach 0; keep it positive.
                next[i] = denominator > 0 ? max(wins[i] / denominator, .leastNormalMagnitude) : 1
                change = max(change, abs(next[i] - p[i]) / p[i])
            }
            p = next
            if change < tolerance { break }
        }
        self.iterations = iterations
        strengths = Dictionary(uniqueKeysWithValues: zip(models, p))
    }

    /// `model`'s rating on the Elo-like scale, nil when it took part in no comparison.
    public func rating(of model: String) -> Double? {
        strengths[model].map { Self.rating(strength: $0) }
    }

    /// `1500 + 400 * log10(strength)`.
    public static func rating(strength: Double) -> Double {
        baseRating + scale * log10(strength)
    }
}
