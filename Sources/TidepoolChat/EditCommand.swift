/// One editing step of the input box, decoded from a key by the screen layer
/// (`LineEditor.command(for:)` in the TUI) and applied by ``ChatApp/update(_:_:)``.
public enum EditCommand: Sendable, Equatable {
    /// Insert text at the cursor (typed, pasted, or a newline); `\r\n` and `\r` become `\n`.
    case insert(String)
    /// Cursor one character left or right.
    case left, right
    /// Cursor to the start of the previous word, or past the end of the next one.
    case wordLeft, wordRight
    /// Cursor to the start or end of its line.
    case lineStart, lineEnd
    /// Cut to the end of the line (at its end: join the next line), or to its start.
    case killToLineEnd, killToLineStart
    /// Cut the word before the cursor.
    case killWordBefore
    /// Insert the last cut text.
    case yank
    /// Delete the character before or under the cursor.
    case deleteBackward, deleteForward
    /// Up or down a line; from the first or last line, recall the previous or next entry of
    /// the input mode's history.
    case up, down
}
