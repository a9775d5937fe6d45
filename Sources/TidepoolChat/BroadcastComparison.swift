import TidepoolProviders

/// The answers of one broadcast ranked side by side: who answered first, fastest, shortest.
public struct BroadcastComparison: Sendable, Equatable {
    /// One pane's answer and figures: a row of the F2 comparison and of `tidepool compare`.
    public struct Entry: Sendable, Equatable {
        /// `provider:model` of the model that wrote the answer (the pane's model when there is
        /// no answer yet): a pane switched to another model since keeps its old results' label.
        public var label: String
        /// The pane's number on the screen (1 is the leftmost), 0 when unknown.
        public var paneNumber: Int
        /// The pane's id (what a vote from the comparison names).
        public var paneID: Int
        /// Where the answer is.
        public var status: PaneStatus
        /// Time to first token, seconds.
        public var timeToFirstToken: Double?
        /// Tokens per second.
        public var tokensPerSecond: Double?
        /// Whole answer, seconds (only once the answer is done).
        public var total: Double?
        /// Answer tokens.
        public var outputTokens: Int?
        /// Prompt tokens.
        public var inputTokens: Int?
        /// The answer's text and reasoning.
        public var text: String
        public var reasoning: String
        /// Why the answer failed, if it did.
        public var error: String?
        /// Every timing of the request (the compare report prints the total even of a failed one).
        public var timings: ChatTimings?

        /// The entry for `answer` in `pane`, the `number`-th pane on the screen (the pane's
        /// status when there is no answer yet).
        public init(pane: Pane, answer: Turn?, number: Int = 0) {
            label = answer?.modelLabel ?? pane.label
            paneNumber = number
            paneID = pane.id
            status = answer?.status ?? pane.status
            timeToFirstToken = answer?.timings?.timeToFirstToken
            tokensPerSecond = answer?.timings?.tokensPerSecond
            total = answer?.status == .done ? answer?.timings?.total : nil
            outputTokens = answer?.outputTokens ?? answer?.timings?.outputTokens
            inputTokens = answer?.inputTokens
            text = answer?.text ?? ""
            reasoning = answer?.reasoning ?? ""
            error = answer?.error
            timings = answer?.timings
        }
    }

    /// One entry per pane that took part, in pane order.
    public var entries: [Entry]

    /// Collects the answers tagged with `group` from `panes`.
    public init(group: Int, panes: [Pane]) {
        entries = panes.enumerated().compactMap { index, pane in
            guard let answer = pane.turns.last(where: { $0.role == .assistant && $0.broadcastGroup == group }) else {
                return nil
            }
            return Entry(pane: pane, answer: answer, number: index + 1)
        }
    }

    /// One entry per pane for its last answer (`tidepool compare`, where a single model has
    /// no broadcast group).
    public init(lastAnswersOf panes: [Pane]) {
        entries = panes.enumerated().map { Entry(pane: $1, answer: $1.lastAnswer, number: $0 + 1) }
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
