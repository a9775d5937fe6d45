/// The input box, held once in the ``AppState``: the editor (text and cursor), the mode, the
/// draft set aside while a one-off answer is typed, and one recall history per mode.
public struct InputState: Sendable {
    /// The text being typed, with the current mode's recall history.
    public var editor = LineEditor()
    /// What the text is for.
    public internal(set) var mode: InputMode = .prompt
    /// The draft, kept while another mode uses the editor.
    var savedDraft = ""
    /// The recall histories of the modes not in use (the one in use is ``editor``'s).
    var recall: [InputMode.Recall: [String]] = [:]
    /// `provider:model` names the model picker offers with Up/Down.
    public var modelSuggestions: [String] = []
    /// Which suggestion the picker shows, once Up/Down was pressed.
    var suggestionIndex: Int?
    /// Measures a character in terminal columns (the screen sets the terminal's rule); Up and
    /// Down keep the display column with it.
    public var columnWidth: @Sendable (Character) -> Int = { _ in 1 }

    /// Creates an empty input in prompt mode.
    public init() {}

    /// The recall history of `kind`, wherever it is kept.
    public func history(_ kind: InputMode.Recall) -> [String] {
        kind == mode.recall ? editor.history : recall[kind] ?? []
    }

    /// Replaces the recall history of `kind`.
    public mutating func setHistory(_ kind: InputMode.Recall, _ entries: [String]) {
        if kind == mode.recall { editor.setHistory(entries) } else { recall[kind] = entries }
    }

    /// Adds `entry` to the recall history of `kind` (not when blank or equal to the newest).
    mutating func remember(_ entry: String, in kind: InputMode.Recall) {
        var entries = history(kind)
        guard !entry.allSatisfy(\.isWhitespace), entries.last != entry else { return }
        entries.append(entry)
        if entries.count > editor.historyLimit { entries.removeFirst(entries.count - editor.historyLimit) }
        setHistory(kind, entries)
    }

    /// Switches to `mode`: the editor gets that mode's recall history; entering a one-off mode
    /// sets the draft aside and empties the editor, returning to the prompt brings it back.
    mutating func switchTo(_ newMode: InputMode) {
        guard newMode != mode else { return }
        recall[mode.recall] = editor.history
        if mode == .prompt { savedDraft = editor.text }
        mode = newMode
        editor.setHistory(recall.removeValue(forKey: newMode.recall) ?? [])
        editor.setText(newMode == .prompt ? savedDraft : "")
        if newMode == .prompt { savedDraft = "" }
        suggestionIndex = nil
    }
}
