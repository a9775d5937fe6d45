import Foundation

/// `tidepool compare`'s progress: which models finished since the last look, and the line
/// that says so, so a person at a terminal sees each model as it finishes instead of nothing
/// until the slowest one is done. The command prints these lines only to a terminal
/// (standard error); piped output gets the table and answers alone.
public struct CompareProgress: Sendable {
    /// Panes already reported, by id.
    private var reported: Set<Int> = []

    /// Creates a progress with nothing reported.
    public init() {}

    /// The answers of `panes` that ended (done, failed or cancelled) and were not reported
    /// yet, in pane order; each is reported once.
    public mutating func newlyFinished(in panes: [Pane]) -> [BroadcastComparison.Entry] {
        panes.compactMap { pane in
            guard !reported.contains(pane.id), let answer = pane.lastAnswer, !answer.status.isBusy,
                  !pane.status.isBusy
            else { return nil }
            reported.insert(pane.id)
            return BroadcastComparison.Entry(pane: pane, answer: answer)
        }
    }

    /// How many models were reported so far.
    public var finishedCount: Int { reported.count }

    /// `[1/3] sim:sim-fast done in 1.30 s (ttft 0.21 s, 41.5 tok/s, 120 tokens)`, or the
    /// failure with its reason.
    public static func line(_ entry: BroadcastComparison.Entry, finished: Int, of total: Int) -> String {
        let counter = "[\(finished)/\(total)] \(entry.label)"
        switch entry.status {
        case .done:
            var figures: [String] = []
            if let ttft = entry.timeToFirstToken, ttft.isFinite { figures.append("ttft " + seconds(ttft)) }
            if let rate = entry.tokensPerSecond, rate.isFinite { figures.append(String(format: "%.1f tok/s", rate)) }
            if let tokens = entry.outputTokens { figures.append("\(tokens) tokens") }
            let total = entry.total.flatMap { $0.isFinite ? " in " + seconds($0) : nil } ?? ""
            return counter + " done" + total + (figures.isEmpty ? "" : " (" + figures.joined(separator: ", ") + ")")
        case .cancelled:
            return counter + " cancelled"
        default:
            return counter + " failed: " + (entry.error ?? "no answer")
        }
    }

    private static func seconds(_ value: Double) -> String {
        String(format: "%.2f s", value)
    }
}
