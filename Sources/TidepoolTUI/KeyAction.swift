import TidepoolChat

/// What a key press means, as decided by ``KeyMap``. Most keys become an ``AppMessage`` for
/// `ChatApp.update`; the rest need the caller, because they touch the draft or open something
/// outside the pure update (a picker, `$EDITOR`, the theme catalogue).
public enum KeyAction: Sendable {
    /// Apply this message with `ChatApp.update`.
    case message(AppMessage)
    /// Give the key to `LineEditor.handle` (typing, cursor movement, history recall).
    case edit
    /// Enter: take `editor.submit()` and, when it is not blank, send `.submit(text)`.
    case submit
    /// Ask the user for `provider:model`, then send `.openPane` or `.changeModel`.
    case openModelPicker(ModelPickerPurpose)
    /// Ask for a system prompt, then send `.setSystemPrompt(_, allPanes:)`.
    case editSystemPrompt(allPanes: Bool)
    /// Ask for words to search the stored conversations for, then show the sessions found.
    case searchHistory
    /// Ask for a new title of the stored session.
    case renameSession
    /// Edit the draft in `$EDITOR`, then put the result back in the editor.
    case openExternalEditor
    /// Switch to the next theme in the catalogue (`ThemeCatalog.next(after:)`), then send
    /// `.setTheme(name)`.
    case nextTheme
    /// The key means nothing here (e.g. typing while the help overlay is open).
    case ignore

    /// Why the model picker opens.
    public typealias ModelPickerPurpose = InputMode.ModelPickerPurpose
}
