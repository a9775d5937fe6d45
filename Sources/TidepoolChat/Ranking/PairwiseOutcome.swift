import TidepoolStore

/// One comparison of two models: `first` scored `score` against `second` (1 a win, 0.5 a
/// tie, 0 a loss). The ratings are fitted over these, never over whole votes.
public struct PairwiseOutcome: Sendable, Equatable, Hashable {
    /// One model's `provider:model`.
    public var first: String
    /// The other model's `provider:model`.
    public var second: String
    /// What `first` scored: 1, 0.5 or 0 (`second` scored 1 - score).
    public var score: Double

    /// Creates an outcome.
    public init(_ first: String, _ second: String, score: Double) {
        self.first = first
        self.second = second
        self.score = score
    }

    /// The pairwise outcomes of one vote among `participants` (their `provider:model`, once
    /// each, in any order): a best answer out of N wins N-1 comparisons (one against each other
    /// model; the others are not compared among themselves), a tie gives every pair a half win
    /// each, and "all bad" gives none (it says nothing about which model is better).
    public static func outcomes(participants: [String], verdict: VoteVerdict) -> [PairwiseOutcome] {
        var seen = Set<String>()
        let models = participants.filter { seen.insert($0).inserted }
        switch verdict {
        case .best:
            guard let winner = verdict.winner, models.contains(winner) else { return [] }
            return models.filter { $0 != winner }.map { PairwiseOutcome(winner, $0, score: 1) }
        case .tie:
            var pairs: [PairwiseOutcome] = []
            for (index, model) in models.enumerated() {
                for other in models[(index + 1)...] { pairs.append(PairwiseOutcome(model, other, score: 0.5)) }
            }
            return pairs
        case .allBad:
            return []
        }
    }
}
