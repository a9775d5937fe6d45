import TidepoolChat
import TidepoolStore
import XCTest

/// The ranking maths against examples worked by hand (issue 13, "Vote and rank").
final class RankingTests: XCTestCase {
    func testAVoteBecomesPairwiseOutcomes() {
        let three = ["sim:a", "sim:b", "sim:c"]
        // N panes and one winner: N-1 wins, the losers are not compared among themselves.
        XCTAssertEqual(
            PairwiseOutcome.outcomes(participants: three, verdict: .best(provider: "sim", model: "b")),
            [PairwiseOutcome("sim:b", "sim:a", score: 1), PairwiseOutcome("sim:b", "sim:c", score: 1)])
        // A tie: every pair, half a win each.
        XCTAssertEqual(
            PairwiseOutcome.outcomes(participants: three, verdict: .tie),
            [PairwiseOutcome("sim:a", "sim:b", score: 0.5), PairwiseOutcome("sim:a", "sim:c", score: 0.5),
             PairwiseOutcome("sim:b", "sim:c", score: 0.5)])
        // All bad: stored, but no comparison.
        XCTAssertEqual(PairwiseOutcome.outcomes(participants: three, verdict: .allBad), [])
        // The same model in two panes counts once; a winner that did not take part gives nothing.
        XCTAssertEqual(PairwiseOutcome.outcomes(participants: ["sim:a", "sim:a", "sim:b"],
                                                verdict: .best(provider: "sim", model: "a")).count, 1)
        XCTAssertEqual(PairwiseOutcome.outcomes(participants: three, verdict: .best(provider: "sim", model: "z")), [])
    }

    func testWilsonIntervalMatchesTheWorkedExamples() {
        // 8 of 10, z = 1.96: centre (0.8 + 1.9208/10) / 1.38416 = 0.71674,
        // half 1.96 * sqrt(0.016 + 0.009604) / 1.38416 = 0.22658  ->  0.4902 ... 0.9433.
        let eight = WilsonInterval(successes: 8, trials: 10)
        XCTAssertEqual(eight.low, 0.4902, accuracy: 1e-4)
        XCTAssertEqual(eight.high, 0.9433, accuracy: 1e-4)
        // 3 of 3: centre 1.64027 / 2.28053 = 0.71925, half 0.28075  ->  0.4385 ... 1.
        let three = WilsonInterval(successes: 3, trials: 3)
        XCTAssertEqual(three.low, 0.4385, accuracy: 1e-4)
        XCTAssertEqual(three.high, 1, accuracy: 1e-9)
        // Ties count one half: 2 wins and a tie of 3 is 2.5 successes.
        let withTie = WilsonInterval(successes: 2.5, trials: 3)
        XCTAssertEqual(withTie.low, 0.3100, accuracy: 1e-4)
        XCTAssertEqual(withTie.high, 0.9823, accuracy: 1e-4)
        // Nothing known: the whole range.
        XCTAssertEqual(WilsonInterval(successes: 0, trials: 0), WilsonInterval(successes: 1, trials: 0))
        XCTAssertEqual(WilsonInterval(successes: 0, trials: 0).low, 0)
        XCTAssertEqual(WilsonInterval(successes: 0, trials: 0).high, 1)
    }

    func testBradleyTerryGivesAnUndefeatedModelAFiniteRating() throws {
        // A beat B once; each also tied once with the average model (strength 1). The fit
        // is symmetric, B = 1/A, and A = x solves x²/(x²+1) + x/(x+1) = 1.5 (its 1 win plus
        // half a virtual tie): x = 2.1304 (2.1304²/5.5386 = 0.81945, 2.1304/3.1304 = 0.68055).
        let fit = BradleyTerry(outcomes: [PairwiseOutcome("sim:a", "sim:b", score: 1)])
        let a = try XCTUnwrap(fit.strengths["sim:a"]), b = try XCTUnwrap(fit.strengths["sim:b"])
        XCTAssertEqual(a, 2.1304, accuracy: 1e-4)
        XCTAssertEqual(a * b, 1, accuracy: 1e-9)
        XCTAssertEqual(a * a / (a * a + 1) + a / (a + 1), 1.5, accuracy: 1e-9)
        // Elo-like: 1500 + 400 log10(2.1304) = 1631.4; B mirrors it at 1368.6.
        XCTAssertEqual(try XCTUnwrap(fit.rating(of: "sim:a")), 1631.38, accuracy: 0.01)
        XCTAssertEqual(try XCTUnwrap(fit.rating(of: "sim:b")), 1368.62, accuracy: 0.01)
        XCTAssertNil(fit.rating(of: "sim:never"))

        // Ties only: everybody is average.
        let tied = BradleyTerry(outcomes: [PairwiseOutcome("sim:a", "sim:b", score: 0.5)])
        XCTAssertEqual(try XCTUnwrap(tied.rating(of: "sim:a")), 1500, accuracy: 1e-6)
        XCTAssertEqual(try XCTUnwrap(tied.rating(of: "sim:b")), 1500, accuracy: 1e-6)
    }

    func testBradleyTerryOnASmallTournament() throws {
        // Votes: {A,B,C} best A (A>B, A>C); {B,C} best B (B>C); {A,B} a tie.
        let outcomes = [
            PairwiseOutcome("A", "B", score: 1), PairwiseOutcome("A", "C", score: 1),
            PairwiseOutcome("B", "C", score: 1), PairwiseOutcome("A", "B", score: 0.5),
        ]
        let fit = BradleyTerry(outcomes: outcomes)
        let p = fit.strengths
        // The maximum of the likelihood with its prior: for each model, its wins (ties half,
        // plus the virtual half) equal its expected wins, sum over games of p_i / (p_i + p_j),
        // plus p_i / (p_i + 1) for the virtual game.
        let wins = ["A": 2.5 + 0.5, "B": 1.5 + 0.5, "C": 0.0 + 0.5]
        for model in ["A", "B", "C"] {
            var expected = p[model]! / (p[model]! + 1)
            for outcome in outcomes where outcome.first == model || outcome.second == model {
                let other = outcome.first == model ? outcome.second : outcome.first
                expected += p[model]! / (p[model]! + p[other]!)
            }
            XCTAssertEqual(expected, wins[model]!, accuracy: 1e-9, model)
        }
        // The same fit found independently (gradient ascent on the log-likelihood).
        XCTAssertEqual(p["A"]!, 2.67259, accuracy: 1e-5)
        XCTAssertEqual(p["B"]!, 1.23617, accuracy: 1e-5)
        XCTAssertEqual(p["C"]!, 0.28120, accuracy: 1e-5)
        XCTAssertEqual(try XCTUnwrap(fit.rating(of: "A")), 1670.77, accuracy: 0.01)
        XCTAssertEqual(try XCTUnwrap(fit.rating(of: "C")), 1279.61, accuracy: 0.01)
    }

    func testLeaderboardCountsRatesAndMedians() throws {
        func answer(_ model: String, ttft: Double?, rate: Double?, status: MessageStatus = .complete) -> VotedBroadcast.Answer {
            VotedBroadcast.Answer(provider: "sim", model: model, status: status,
                                  timings: MessageTimings(timeToFirstToken: ttft, total: 1, tokensPerSecond: rate))
        }
        func vote(_ id: Int64, _ verdict: VoteVerdict) -> StoredVote {
            StoredVote(id: id, promptID: id * 10, verdict: verdict, note: nil, createdAt: Date(timeIntervalSince1970: 0))
        }
        let broadcasts = [
            VotedBroadcast(sessionID: 1, vote: vote(1, .best(provider: "sim", model: "a")), answers: [
                answer("a", ttft: 0.1, rate: 50), answer("b", ttft: 0.4, rate: 20), answer("c", ttft: nil, rate: nil, status: .error),
            ]),
            VotedBroadcast(sessionID: 1, vote: vote(2, .tie), answers: [
                answer("a", ttft: 0.3, rate: 40), answer("b", ttft: 0.2, rate: 30),
            ]),
            VotedBroadcast(sessionID: 2, vote: vote(3, .allBad), answers: [
                answer("a", ttft: 0.2, rate: 60), answer("c", ttft: 0.9, rate: 10),
            ]),
        ]
        let board = Leaderboard(broadcasts: broadcasts)
        XCTAssertEqual(board.votes, 3)
        XCTAssertEqual(board.tieVotes, 1)
        XCTAssertEqual(board.allBadVotes, 1)
        XCTAssertEqual(board.rows.map(\.model), ["sim:a", "sim:b", "sim:c"])
        let a = board.rows[0], b = board.rows[1], c = board.rows[2]
        // a: beat b and c, tied b; b: lost to a, tied a; c: lost to a (the all-bad vote adds nothing).
        XCTAssertEqual([a.wins, a.losses, a.ties], [2, 0, 1])
        XCTAssertEqual([b.wins, b.losses, b.ties], [0, 1, 1])
        XCTAssertEqual([c.wins, c.losses, c.ties], [0, 1, 0])
        XCTAssertEqual(try XCTUnwrap(a.winRate), 2.5 / 3, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(b.winRate), 0.25, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(c.winRate), 0, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(a.interval).low, 0.3100, accuracy: 1e-4)
        XCTAssertEqual([a.broadcasts, b.broadcasts, c.broadcasts], [3, 2, 2])
        XCTAssertEqual([a.allBad, b.allBad, c.allBad], [1, 0, 1])
        XCTAssertGreaterThan(try XCTUnwrap(a.rating), try XCTUnwrap(b.rating))
        XCTAssertGreaterThan(try XCTUnwrap(b.rating), try XCTUnwrap(c.rating))
        // Medians over complete answers of the voted broadcasts (all-bad ones too): a's ttft
        // 0.1, 0.3, 0.2 -> 0.2; b's two values average; c's failed answer has none.
        XCTAssertEqual(try XCTUnwrap(a.medianTimeToFirstToken), 0.2, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(a.medianTokensPerSecond), 50, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(b.medianTimeToFirstToken), 0.3, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(c.medianTimeToFirstToken), 0.9, accuracy: 1e-12)

        let table = LeaderboardReport.table(board)
        XCTAssertTrue(table.hasPrefix("3 votes (1 tie, 1 all bad, not rated)"), table)
        XCTAssertTrue(table.contains("83% (31-98%)"), table)
        XCTAssertTrue(table.contains(LeaderboardReport.ratingNote), table)
        XCTAssertEqual(LeaderboardReport.table(Leaderboard(broadcasts: [])), LeaderboardReport.emptyText + "\n")
    }
}
