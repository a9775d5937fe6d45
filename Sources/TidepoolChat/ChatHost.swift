/// What only the screen can do for a ``ChatProgram``: the terminal's side of its effects.
/// Called on the thread that owns the program (the UI thread).
public protocol ChatHost: AnyObject {
    /// Put `text` on the system clipboard (OSC 52).
    func copyToClipboard(_ text: String)
    /// Hand the terminal to `$EDITOR` on `draft` and return what happened, as a message
    /// (`.draftEdited`).
    func runExternalEditor(draft: String) -> AppMessage
    /// Leave the app.
    func quit()
}
