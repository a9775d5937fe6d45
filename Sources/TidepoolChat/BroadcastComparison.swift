import TidepoolProviders

/// The answers of one broadcast ranked side by side: who answered first, fastest, shortest.
public struct BroadcastComparison: Sendable, Equatable {
    /// One pane's figures for the broadcast.
    public struct Entry: Sendable, Equatable {
        /// `provider:model`.
        public var label: String
        /// Where the answer is.
        public var status: PaneStatus
        /// Time to first token, seconds.
        public var timeToFirstToken: Double?
        /// Tokens per second.
        public var tokensPerSecond: Double?
        /// Whole answer, seconds.
        public var total: Double?
        /// Answer tokens.
        public var outputTokens: Int?
    }

    /// One entry per pane that took part, in pane order.
    public var entries: [Entry]

    /// Collects the answers tagged with `group` from `panes`.
    public init(group: Int, panes: [Pane]) {
        entries = panes.compactMap { pane in
            guard let answer = pane.turns.last(where: { $0.role == .assistant && $0.broadcastGroup == group }) else {
                return nil
            }
            return Entry(
                label: pane.label, status: answer.status, timeToFirstToken: answer.timings?.timeToFirstToken,
                tokensPerSecond: answer.timings?.tokensPerSecond, total: answer.status == .done ? answer.timings?.total : nil,
                outputTokens: answer.outputTokens)
        }
    }

    /// Entry indices ordered best first by `key` (lower is better unless `higherIsBetter`);
    /// entries without the figure come last.
    public func ranking(by key: (Entry) -> Double?, higherIsBetter: Bool = false) -> [Int] {
        entries.indices.sorted { left, right in
            switch (key(entries[left]), key(entries[right])) {
            case let (l?, r?): return higherIsBetter ? l > r : l < r
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return left < right
            }
        }
    }
}
