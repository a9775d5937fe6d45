import Foundation
import TidepoolStore

/// The models the user has compared, ranked by their votes: pairwise wins, losses and ties,
/// the win rate with its Wilson 95% interval, a Bradley-Terry rating, and each model's median
/// time to first token and speed in the voted broadcasts. Pure: built from
/// ``HistoryStore/votedBroadcasts(since:)``, shown by `tidepool rank` and the chat screen.
public struct Leaderboard: Sendable, Equatable {
    /// One model's line.
    public struct Row: Sendable, Equatable {
        /// `provider:model`.
        public var model: String
        /// Pairwise comparisons won, lost and tied.
        public var wins = 0
        public var losses = 0
        public var ties = 0
        /// Voted broadcasts the model answered in (all-bad ones included).
        public var broadcasts = 0
        /// Of those, how many the user called all bad.
        public var allBad = 0
        /// The win rate, ties counting one half; nil without comparisons.
        public var winRate: Double?
        /// Where the win rate lies with 95% confidence; nil without comparisons.
        public var interval: WilsonInterval?
        /// The Bradley-Terry rating (Elo-like scale, 1500 average); nil without comparisons.
        public var rating: Double?
        /// Median time to first token, seconds, over its complete answers in voted broadcasts.
        public var medianTimeToFirstToken: Double?
        /// Median tokens per second, likewise.
        public var medianTokensPerSecond: Double?

        /// Comparisons in all.
        public var comparisons: Int { wins + losses + ties }

        /// Creates an empty row.
        public init(model: String) { self.model = model }
    }

    /// Best first: by rating, then win rate, then name; models without comparisons last.
    public var rows: [Row]
    /// Votes counted.
    public var votes: Int
    /// Of those, ties and "all bad" verdicts.
    public var tieVotes: Int
    public var allBadVotes: Int

    /// True when there is nothing to rank.
    public var isEmpty: Bool { votes == 0 }

    /// The leaderboard of `broadcasts`. Every answer of a voted broadcast takes part in its
    /// comparisons, a failed one too (the user saw it fail and judged).
    public init(broadcasts: [VotedBroadcast], priorTies: Double = 1) {
        var rows: [String: Row] = [:]
        var ttfts: [String: [Double]] = [:]
        var rates: [String: [Double]] = [:]
        var outcomes: [PairwiseOutcome] = []
        var tieVotes = 0, allBadVotes = 0
        for broadcast in broadcasts {
            var participants: [String] = []
            for answer in broadcast.answers {
                let model = answer.identity
                if !participants.contains(model) { participants.append(model) }
                guard answer.status == .complete else { continue }
                if let ttft = answer.timings.timeToFirstToken, ttft.isFinite { ttfts[model, default: []].append(ttft) }
                if let rate = answer.timings.tokensPerSecond, rate.isFinite { rates[model, default: []].append(rate) }
            }
            for model in participants {
                rows[model, default: Row(model: model)].broadcasts += 1
                if broadcast.vote.verdict == .allBad { rows[model]!.allBad += 1 }
            }
            switch broadcast.vote.verdict {
            case .tie: tieVotes += 1
            case .allBad: allBadVotes += 1
            case .best: break
            }
            for outcome in PairwiseOutcome.outcomes(participants: participants, verdict: broadcast.vote.verdict) {
                switch outcome.score {
                case 1:
                    rows[outcome.first]!.wins += 1
                    rows[outcome.second]!.losses += 1
                case 0:
                    rows[outcome.first]!.losses += 1
                    rows[outcome.second]!.wins += 1
                default:
                    rows[outcome.first]!.ties += 1
                    rows[outcome.second]!.ties += 1
                }
                outcomes.append(outcome)
            }
        }
        let fit = BradleyTerry(outcomes: outcomes, priorTies: priorTies)
        for model in rows.keys {
            let row = rows[model]!
            if row.comparisons > 0 {
                let successes = Double(row.wins) + Double(row.ties) / 2
                rows[model]!.winRate = successes / Double(row.comparisons)
                rows[model]!.interval = WilsonInterval(successes: successes, trials: Double(row.comparisons))
                rows[model]!.rating = fit.rating(of: model)
            }
            rows[model]!.medianTimeToFirstToken = Self.median(ttfts[model] ?? [])
            rows[model]!.medianTokensPerSecond = Self.median(rates[model] ?? [])
        }
        self.rows = rows.values.sorted { left, right in
            switch (left.rating, right.rating) {
            case let (l?, r?) where l != r: return l > r
            case (.some, nil): return true
            case (nil, .some): return false
            default:
                if let l = left.winRate, let r = right.winRate, l != r { return l > r }
                return left.model < right.model
            }
        }
        votes = broadcasts.count
        self.tieVotes = tieVotes
        self.allBadVotes = allBadVotes
    }

    /// The middle value (the mean of the two middle ones for an even count); nil when empty.
    public static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
