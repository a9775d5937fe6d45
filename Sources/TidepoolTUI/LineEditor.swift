/// The input area's editing model: a multi-line draft, a cursor, history. Pure: it receives
/// `Key`s and is rendered into a rectangle, so every binding is unit-tested.
///
/// Enter is the caller's (send, or newline with a modifier); `handle` returns false for keys it
/// does not use, so the app can bind them. Up/Down move between lines of the draft and recall
/// history only from the first/last line; the unsent draft is kept while browsing history and
/// comes back when the user moves past the newest entry. Not thread-safe: the UI thread owns it.
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
    private var scrollTop = 0
    private var scrollLeft = 0

    /// Creates an empty editor, optionally with history (oldest first).
    public init(history: [String] = []) { self.history = history }

    /// The draft as a string.
    public var text: String { String(characters) }

    /// True when the draft is empty.
    public var isEmpty: Bool { characters.isEmpty }

    /// Lines in the draft (for `ChatLayout`'s `draftLines`).
    public var lineCount: Int { characters.reduce(1) { $1 == "\n" ? $0 + 1 : $0 } }

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

    /// Applies a key; returns false when the editor does not use it (e.g. Enter, Tab, F-keys).
    @discardableResult
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .character(let c):
            insert(String(c))
            return true
        case .paste(let text):
            insert(text)
            return true
        case .control("j"):
            insert("\n")
            return true
        case .arrow(.left, let m) where m.contains(.control) || m.contains(.alt): moveWordLeft()
        case .arrow(.right, let m) where m.contains(.control) || m.contains(.alt): moveWordRight()
        case .alt("b"): moveWordLeft()
        case .alt("f"): moveWordRight()
        case .arrow(.left, _), .control("b"): cursor = max(0, cursor - 1)
        case .arrow(.right, _), .control("f"): cursor = min(characters.count, cursor + 1)
        case .home, .control("a"): cursor = lineStart(cursor)
        case .end, .control("e"): cursor = lineEnd(cursor)
        case .control("k"):
            let end = lineEnd(cursor)
            // At the end of a line, Ctrl-K joins the next line (as in Emacs and readline).
            let stop = end == cursor && end < characters.count ? end + 1 : end
            kill(cursor..<stop)
        case .control("u"):
            let start = lineStart(cursor)
            kill(start..<cursor)
            cursor = start
        case .control("w"), .alt("\u{7F}"):
            let start = wordStart(before: cursor)
            kill(start..<cursor)
            cursor = start
        case .control("y"):
            insert(String(killBuffer))
            return true
        case .backspace, .control("h"):
            guard cursor > 0 else { return true }
            characters.remove(at: cursor - 1)
            cursor -= 1
        case .delete, .control("d"):
            guard cursor < characters.count else { return true }
            characters.remove(at: cursor)
        case .arrow(.up, _), .control("p"):
            moveVertically(-1)
            return true
        case .arrow(.down, _), .control("n"):
            moveVertically(1)
            return true
        default:
            return false
        }
        // Any key but Up/Down (which return above) forgets the column vertical moves keep.
        preferredColumn = nil
        return true
    }

    // MARK: Rendering

    /// Where the terminal cursor should be after `render`, in screen coordinates.
    public private(set) var cursorPosition: (x: Int, y: Int) = (0, 0)

    /// Draws the draft into `area` (no border: wrap it in a `Block`), scrolling so the cursor
    /// stays visible; shows `placeholder` when empty. Long lines scroll horizontally rather
    /// than wrap, so the cursor maps to one cell. Updates `cursorPosition`.
    public mutating func render(into screen: inout Screen, area: Rect, theme: Theme, placeholder: String = "") {
        guard !area.isEmpty else {
            cursorPosition = (area.x, area.y)
            return
        }
        screen.fill(area, with: .blank(theme[.input]))
        if characters.isEmpty {
            screen.put(placeholder, x: area.x, y: area.y, style: theme[.inputPlaceholder], maxWidth: area.width)
            cursorPosition = (area.x, area.y)
            return
        }
        let lines = splitLines()
        let (cursorLine, cursorIndexInLine) = position(of: cursor)
        if cursorLine < scrollTop { scrollTop = cursorLine }
        if cursorLine >= scrollTop + area.height { scrollTop = cursorLine - area.height + 1 }
        scrollTop = max(0, min(scrollTop, max(0, lines.count - area.height)))
        let cursorColumn = TextWidth.width(of: String(lines[cursorLine].prefix(cursorIndexInLine)))
        // Keep the cursor inside, leaving its own cell free at the right edge.
        if cursorColumn < scrollLeft { scrollLeft = cursorColumn }
        if cursorColumn >= scrollLeft + area.width { scrollLeft = cursorColumn - area.width + 1 }
        for row in 0..<area.height where scrollTop + row < lines.count {
            var skipped = 0
            var x = area.x
            for character in lines[scrollTop + row] {
                let w = TextWidth.width(of: character)
                if skipped < scrollLeft {
                    skipped += w
                    // A wide char cut by the left edge shows as a space.
                    if skipped > scrollLeft { x += skipped - scrollLeft }
                    continue
                }
                if x + w > area.right { break }
                screen.put(String(character), x: x, y: area.y + row, style: theme[.input], maxWidth: area.right - x)
                x += w
            }
        }
        cursorPosition = (area.x + cursorColumn - scrollLeft, area.y + cursorLine - scrollTop)
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

    private mutating func moveVertically(_ delta: Int) {
        let start = lineStart(cursor)
        let column = preferredColumn ?? TextWidth.width(of: String(characters[start..<cursor]))
        if delta < 0 {
            guard start > 0 else {
                recallHistory(-1)
                return
            }
            let previousStart = lineStart(start - 1)
            cursor = index(atColumn: column, from: previousStart)
        } else {
            let end = lineEnd(cursor)
            guard end < characters.count else {
                recallHistory(1)
                return
            }
            cursor = index(atColumn: column, from: end + 1)
        }
        preferredColumn = column
    }

    private func index(atColumn column: Int, from start: Int) -> Int {
        var i = start
        var used = 0
        while i < characters.count && characters[i] != "\n" {
            let w = TextWidth.width(of: characters[i])
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
