import TidepoolProviders
import TidepoolStore

extension AppState {
    /// The state of a stored session, for `--resume`: one pane per pane open when the session
    /// was left (``StoredSession/openPanes``: ids 1, 2, ... in that order, as
    /// ``HistoryRecorder/init(store:title:resuming:checkpointInterval:sendDeadline:lockRetryLimit:)``
    /// expects), with its current model, holding its prompts and answers (also those from
    /// before a model change), so the conversation carries on where it stopped. Closed panes,
    /// including one that only ever failed, are not reopened.
    ///
    /// A broadcast prompt appears in each pane that answered it, and its answers share one
    /// broadcast group again. An answer that was still streaming when tidepool stopped comes
    /// back as an error saying so; like failed answers, it is not sent to the model again.
    public init(resuming session: StoredSession, theme: String = "tidepool-dark", systemPrompt: String? = nil) {
        let stored = session.openPanes
        var panes: [Pane] = []
        for (index, pane) in stored.enumerated() {
            var restored = Pane(id: index + 1, provider: pane.provider, model: pane.model)
            restored.systemPrompt = pane.systemPrompt
            panes.append(restored)
        }
        self.init(panes: panes, broadcast: false, theme: theme, systemPrompt: systemPrompt)
        let paneIndex = session.openPaneIndexByPaneID
        let answered = session.answersByPrompt
        var groups: [Int64: Int] = [:]
        for message in session.messages {
            switch message.role {
            case .system:
                continue
            case .user:
                let group = message.broadcastGroup.map { stored in
                    if let known = groups[stored] { return known }
                    let id = makeID()
                    groups[stored] = id
                    storedBroadcastPrompts[id] = stored
                    return id
                }
                let targets: [Int]
                if let paneID = message.paneID {
                    targets = paneIndex[paneID].map { [$0] } ?? []
                } else {
                    let answers = answered[message.id] ?? []
                    let answering = Set(answers.compactMap { $0.paneID.flatMap { paneIndex[$0] } })
                    // Answered only by panes closed since: shown nowhere, like those answers.
                    targets = answers.isEmpty ? Array(self.panes.indices) : answering.sorted()
                }
                for index in targets {
                    self.panes[index].turns.append(Turn(id: makeID(), role: .user, text: message.text, broadcastGroup: group))
                }
                if promptHistory.last != message.text { promptHistory.append(message.text) }
                if let group { lastBroadcast = group }
            case .assistant:
                guard let index = message.paneID.flatMap({ paneIndex[$0] }) else { continue }
                var turn = Turn(id: makeID(), role: .assistant, text: message.text,
                                status: Self.paneStatus(message.status),
                                broadcastGroup: message.broadcastGroup.flatMap { groups[$0] })
                turn.reasoning = message.reasoning ?? ""
                if let provider = message.provider, let model = message.model { turn.modelLabel = "\(provider):\(model)" }
                turn.inputTokens = message.usage.inputTokens
                turn.outputTokens = message.usage.outputTokens
                turn.error = message.status == .streaming
                    ? "interrupted: tidepool stopped while this answer was streaming" : message.errorText
                if message.timings != MessageTimings() {
                    turn.timings = ChatTimings(
                        timeToFirstToken: message.timings.timeToFirstToken, total: message.timings.total ?? 0,
                        tokensPerSecond: message.timings.tokensPerSecond, outputTokens: message.usage.outputTokens)
                }
                self.panes[index].turns.append(turn)
                self.panes[index].status = turn.status
            }
        }
        for vote in session.votes {
            guard let group = groups[vote.promptID] else { continue }
            votes[group] = BroadcastVote(group: group, verdict: vote.verdict, note: vote.note, storedPromptID: vote.promptID)
        }
    }

    static func paneStatus(_ status: MessageStatus) -> PaneStatus {
        switch status {
        case .complete: .done
        case .error, .streaming: .error
        case .cancelled: .cancelled
        }
    }
}
