/// One row of the key table: the keys, their names as the help shows them, and what they do.
/// ``KeyMap/bindings`` is the single list both the key handling and the help overlay read, so
/// the two cannot disagree.
public struct KeyBinding: Sendable {
    /// The keys that trigger the action (empty for bindings described only, such as typing).
    public var keys: [Key]
    /// The keys as a person reads them: "Alt-W", "F1 / ?".
    public var names: String
    /// What happens, in a few words.
    public var summary: String
    /// The action the keys map to in the ordinary context (no overlay, no question pending).
    public var action: KeyAction
    /// True when the mapping depends on the context (e.g. `?` only helps on an empty draft),
    /// so ``KeyMap/action(for:in:)`` may answer something else.
    public var isConditional: Bool
    /// The short form the status bar shows, for the few bindings it lists.
    public var hint: (key: String, action: String)?

    /// Creates a binding.
    public init(keys: [Key], names: String, summary: String, action: KeyAction, isConditional: Bool = false,
                hint: (key: String, action: String)? = nil) {
        self.hint = hint
        self.keys = keys
        self.names = names
        self.summary = summary
        self.action = action
        self.isConditional = isConditional
    }
}
