/// What the input box is collecting: a prompt (the draft), or a one-off answer with the draft
/// set aside until it is given or cancelled.
public enum InputMode: Sendable, Equatable {
    /// A prompt for the focused pane, or every pane with broadcast.
    case prompt
    /// `provider:model` for a new pane or for the focused pane.
    case model(ModelPickerPurpose)
    /// A system prompt for the focused pane or every pane (empty clears it).
    case systemPrompt(allPanes: Bool)
    /// Words to search the stored conversations for.
    case historySearch
    /// A new title for the stored session.
    case sessionTitle
    /// An optional note on the vote just cast on broadcast `group`.
    case voteNote(group: Int)

    /// Why the model picker opens.
    public enum ModelPickerPurpose: Sendable, Equatable {
        /// Open a new pane on the chosen model.
        case newPane
        /// Switch the focused pane to the chosen model.
        case changeModel
    }

    /// Which recall history Up/Down walk in this mode: prompts, model names, system prompts,
    /// searches and titles each have their own, so Up in the prompt never brings back a title.
    public enum Recall: Hashable, Sendable {
        case prompt, model, systemPrompt, search, title, note
    }

    /// This mode's recall history.
    public var recall: Recall {
        switch self {
        case .prompt: .prompt
        case .model: .model
        case .systemPrompt: .systemPrompt
        case .historySearch: .search
        case .sessionTitle: .title
        case .voteNote: .note
        }
    }
}
