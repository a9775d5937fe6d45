/// The input area's editing model: a multi-line draft, a cursor, and the recall history of the
/// input mode in use. Pure: it receives ``EditCommand``s (the TUI decodes keys into them and
/// draws the editor), so every binding is unit-tested. It lives in the app state, below the
/// screen layer, so ``ChatApp/update(_:_:)`` owns the draft like everything else.
///
/// Up/Down move between lines of the draft and recall history only from the first/last line;
/// the unsent draft is kept while browsing history and comes back when the user moves past the
/// newest entry. Not thread-safe: the UI thread owns it.
public struct LineEditor: Sendable {
    /// The draft, as characters (grapheme clusters) so the cursor never splits one.
    public private(set) var characters: [Character] = []
    /// Cursor position: an index into `characters` (0...count).
    public private(set) var cursor: Int = 0
    /// Sent entries, oldest first.
    public private(set) var history: [String] = []
    /// How many entries to keep.
    public var historyLimit = 500

    private var historyIndex: Int? = nil
    private var savedDraft: [Character] = []
    private var killBuffer: [Character] = []
    private var preferredColumn: Int? = nil

    /// The input view's scroll position and where it put the cursor, kept here between frames;
    /// only the view (`LineEditor.render` in the TUI) writes them.
    public var scrollTop = 0
    public var scrollLeft = 0
    public var cursorPosition: (x: Int, y: Int) = (0, 0)

    /// Creates an empty editor, optionally with history (oldest first).
    public init(history: [String] = []) { self.history = history }

    /// The draft as a string.
    public var text: String { String(characters) }

    /// True when the draft is empty.
    public var isEmpty: Bool { characters.isEmpty }

    /// Lines in the draft (for `ChatLayout`'s `draftLines`).
    public var lineCount: Int { characters.reduce(1) { $1 == "\n" ? $0 + 1 : $0 } }

    /// Replaces the recall history (switching input modes: each mode has its own); any
    /// browsing in the old one ends.
    public mutating func setHistory(_ entries: [String]) {
        history = entries
        historyIndex = nil
        savedDraft = []
    }

    /// Returns the draft and clears it without recording it (the caller records it where it
    /// belongs).
    public mutating func take() -> String {
        let taken = text
        characters = []
        cursor = 0
        historyIndex = nil
        savedDraft = []
        preferredColumn = nil
        return taken
    }

    /// Replaces the draft; the cursor goes to the end.
    public mutating func setText(_ text: String) {
        characters = Array(LineEditor.normalizeNewlines(text))
        cursor = characters.count
        preferredColumn = nil
    }

    /// Returns the draft and clears it, recording it in history (not if blank or equal to the
    /// newest entry).
    public mutating func submit() -> String {
        let sent = text
        if !sent.allSatisfy(\.isWhitespace) && history.last != sent {
            history.append(sent)
            if history.count > historyLimit { history.removeFirst(history.count - historyLimit) }
        }
        characters = []
        cursor = 0
        historyIndex = nil
        savedDraft = []
        preferredColumn = nil
        return sent
    }

    /// Inserts text at the cursor (`\r\n` and `\r` become `\n`).
    public mutating func insert(_ text: String) {
        let new = Array(LineEditor.normalizeNewlines(text))
        characters.insert(contentsOf: new, at: cursor)
        cursor += new.count
        preferredColumn = nil
    }

    /// Applies one editing step; `columnWidth` measures a character in terminal columns
    /// (Up/Down keep the display column).
    public mutating func apply(_ command: EditCommand, columnWidth: (Character) -> Int) {
        switch command {
        case .insert(let text):
            insert(text)
            return
        case .wordLeft: moveWordLeft()
        case .wordRight: moveWordRight()
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(characters.count, cursor + 1)
        case .lineStart: cursor = lineStart(cursor)
        case .lineEnd: cursor = lineEnd(cursor)
        case .killToLineEnd:
            let end = lineEnd(cursor)
            // At the end of a line, Ctrl-K joins the next line (as in Emacs and readline).
            let stop = end == cursor && end < characters.count ? end + 1 : end
            kill(cursor..<stop)
        case .killToLineStart:
            let start = lineStart(cursor)
            kill(start..<cursor)
            cursor = start
        case .killWordBefore:
            let start = wordStart(before: cursor)
            kill(start..<cursor)
            cursor = start
        case .yank:
            insert(String(killBuffer))
            return
        case .deleteBackward:
            guard cursor > 0 else { return }
            characters.remove(at: cursor - 1)
            cursor -= 1
        case .deleteForward:
            guard cursor < characters.count else { return }
            characters.remove(at: cursor)
        case .up:
            moveVertically(-1, columnWidth: columnWidth)
            return
        case .down:
            moveVertically(1, columnWidth: columnWidth)
            return
        }
        // Any step but Up/Down (which return above) forgets the column vertical moves keep.
        preferredColumn = nil
    }

    /// The draft's lines (without their newlines), for drawing.
    public var lines: [ArraySlice<Character>] { splitLines() }

    /// The cursor's line and its index within that line.
    public var cursorLineAndIndex: (line: Int, index: Int) {
        let (line, index) = position(of: cursor)
        return (line, index)
    }

    // MARK: Internals

    static func normalizeNewlines(_ text: String) -> String {
        // "\r\n" is one Character in Swift, so it is matched as such.
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text {
            if c == "\r\n" || c == "\r" { out.append("\n") } else { out.append(c) }
        }
        return out
    }

    private mutating func kill(_ range: Range<Int>) {
        guard !range.isEmpty else { return }
        killBuffer = Array(characters[range])
        characters.removeSubrange(range)
        cursor = min(cursor, characters.count)
        if cursor > range.lowerBound && cursor <= range.upperBound { cursor = range.lowerBound }
    }

    private func lineStart(_ index: Int) -> Int {
        var i = index
        while i > 0 && characters[i - 1] != "\n" { i -= 1 }
        return i
    }

    private func lineEnd(_ index: Int) -> Int {
        var i = index
        while i < characters.count && characters[i] != "\n" { i += 1 }
        return i
    }

    private static func isWordCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }

    private func wordStart(before index: Int) -> Int {
        var i = index
        while i > 0 && !LineEditor.isWordCharacter(characters[i - 1]) { i -= 1 }
        while i > 0 && LineEditor.isWordCharacter(characters[i - 1]) { i -= 1 }
        return i
    }

    private mutating func moveWordLeft() { cursor = wordStart(before: cursor) }

    private mutating func moveWordRight() {
        var i = cursor
        while i < characters.count && !LineEditor.isWordCharacter(characters[i]) { i += 1 }
        while i < characters.count && LineEditor.isWordCharacter(characters[i]) { i += 1 }
        cursor = i
    }

    private func splitLines() -> [ArraySlice<Character>] {
        characters.split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// (line number, index within the line) of a character index.
    private func position(of index: Int) -> (Int, Int) {
        var line = 0
        var start = 0
        for i in 0..<index where characters[i] == "\n" {
            line += 1
            start = i + 1
        }
        return (line, index - start)
    }

    private mutating func moveVertically(_ delta: Int, columnWidth: (Character) -> Int) {
        let start = lineStart(cursor)
        let column = preferredColumn ?? characters[start..<cursor].reduce(0) { $0 + columnWidth($1) }
        if delta < 0 {
            guard start > 0 else {
                recallHistory(-1)
                return
            }
            let previousStart = lineStart(start - 1)
            cursor = index(atColumn: column, from: previousStart, columnWidth: columnWidth)
        } else {
            let end = lineEnd(cursor)
            guard end < characters.count else {
                recallHistory(1)
                return
            }
            cursor = index(atColumn: column, from: end + 1, columnWidth: columnWidth)
        }
        preferredColumn = column
    }

    private func index(atColumn column: Int, from start: Int, columnWidth: (Character) -> Int) -> Int {
        var i = start
        var used = 0
        while i < characters.count && characters[i] != "\n" {
            let w = columnWidth(characters[i])
            if used + w > column { break }
            used += w
            i += 1
        }
        return i
    }

    private mutating func recallHistory(_ direction: Int) {
        preferredColumn = nil
        if direction < 0 {
            guard !history.isEmpty else { return }
            let next: Int
            if let current = historyIndex {
                guard current > 0 else { return }
                next = current - 1
            } else {
                savedDraft = characters
                next = history.count - 1
            }
            historyIndex = next
            characters = Array(history[next])
            // Going up lands on the entry's last line, so Up keeps walking back through it.
            cursor = characters.count
        } else {
            guard let current = historyIndex else { return }
            if current + 1 < history.count {
                historyIndex = current + 1
                characters = Array(history[current + 1])
                // Going down lands at the end of the entry's first line.
                cursor = lineEnd(0)
            } else {
                historyIndex = nil
                characters = savedDraft
                savedDraft = []
                cursor = characters.count
            }
        }
    }
}
