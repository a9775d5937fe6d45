/// An in-memory grid of cells: what views draw into and what the backend paints.
///
/// Drawing never fails and never writes outside the grid: coordinates are clipped, wide
/// characters that would straddle the clip edge are replaced by a space, and overwriting half
/// of a wide character blanks the other half so the grid never holds a broken pair.
public struct Screen: Hashable, Sendable {
    /// Columns.
    public private(set) var width: Int
    /// Rows.
    public private(set) var height: Int
    /// Row-major cells, `width * height` of them.
    public private(set) var cells: [Cell]

    /// A blank screen of the given size (negative sizes become zero).
    public init(width: Int, height: Int, fill: Cell = .blank) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.cells = Array(repeating: fill, count: self.width * self.height)
    }

    /// Makes this screen `width` x `height` cells of `fill`, keeping its storage when the cell
    /// count stays the same: the chat loop draws each frame into the one before last, so a
    /// frame allocates (and faults in) no new grid.
    public mutating func reset(width: Int, height: Int, fill: Cell = .blank) {
        let width = max(0, width)
        let height = max(0, height)
        guard width * height == cells.count else {
            self = Screen(width: width, height: height, fill: fill)
            return
        }
        self.width = width
        self.height = height
        cells.withUnsafeMutableBufferPointer { $0.update(repeating: fill) }
    }

    /// The whole screen as a rectangle.
    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// The cell at a position; a blank for positions outside the grid.
    public subscript(x: Int, y: Int) -> Cell {
        guard x >= 0, y >= 0, x < width, y < height else { return .blank }
        return cells[y * width + x]
    }

    /// Sets one cell, keeping wide pairs whole (see the type's documentation).
    public mutating func set(_ cell: Cell, x: Int, y: Int) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let index = y * width + x
        // Overwriting the tail of a wide char: its head loses its other half.
        if cells[index].isContinuation && !cell.isContinuation && x > 0 {
            cells[index - 1] = .blank(cells[index - 1].style)
        }
        // Overwriting a wide head: its tail becomes a blank unless the new cell is wide too.
        if cells[index].width == 2 && cell.width != 2 && x + 1 < width
            && cells[index + 1].isContinuation
        {
            cells[index + 1] = .blank(cells[index + 1].style)
        }
        cells[index] = cell
    }

    /// Writes text at (x, y) in one style, clipped to `maxWidth` columns (and the screen edge).
    /// Returns the number of columns used, so callers can place the next span after it.
    ///
    /// Control characters are skipped; a zero-width character joins the previous cell.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style, maxWidth: Int? = nil)
        -> Int
    {
        guard y >= 0, y < height else { return 0 }
        let limit = min(maxWidth ?? Int.max, width - x)
        guard limit > 0 else { return 0 }
        if let used = putPrintableASCII(text, x: x, y: y, style: style, limit: limit) { return used }
        var used = 0
        var lastIndex: Int? = nil
        for character in text {
            let w = TextWidth.width(of: character)
            if w == 0 {
                // Combining marks that escaped their cluster attach to the previous cell.
                if let i = lastIndex, let scalar = character.unicodeScalars.first,
                    !TextWidth.isControl(scalar.value)
                {
                    for scalar in character.unicodeScalars { cells[i].append(scalar) }
                }
                continue
            }
            if used + w > limit {
                if w == 2 && used < limit {
                    put(" ", x: x + used, y: y, style: style, maxWidth: 1)
                    used += 1
                }
                break
            }
            let column = x + used
            if column >= 0 {
                set(Cell(character, width: UInt8(w), style: style), x: column, y: y)
                if w == 2 { set(.continuation(style), x: column + 1, y: y) }
                lastIndex = y * width + column
            }
            used += w
        }
        return used
    }

    /// The common case of ``put(_:x:y:style:maxWidth:)`` (most of a frame): text that is all
    /// printable ASCII is one cell of width 1 per byte, so it is written without grapheme
    /// breaking or width look-ups. Nil, with nothing written, when `text` holds anything else.
    private mutating func putPrintableASCII(_ text: String, x: Int, y: Int, style: Style, limit: Int) -> Int? {
        // Swift's native strings are contiguous UTF-8; any other kind takes the general path.
        let used = text.utf8.withContiguousStorageIfAvailable { bytes -> Int? in
            for byte in bytes where byte < 0x20 || byte >= 0x7F { return nil }
            let count = min(bytes.count, limit)
            for offset in 0..<count where x + offset >= 0 {
                set(Cell(scalar: Unicode.Scalar(bytes[offset]), width: 1, style: style), x: x + offset, y: y)
            }
            return count
        }
        return used ?? nil
    }

    /// Writes a styled line at (x, y), clipped to `maxWidth`; returns the columns used.
    @discardableResult
    public mutating func put(_ line: StyledLine, x: Int, y: Int, maxWidth: Int? = nil) -> Int {
        let limit = min(maxWidth ?? Int.max, width - x)
        var used = 0
        for span in line.spans where used < limit {
            used += put(span.text, x: x + used, y: y, style: span.style, maxWidth: limit - used)
        }
        return used
    }

    /// Fills a rectangle (clipped to the screen) with one cell.
    public mutating func fill(_ area: Rect, with cell: Cell = .blank) {
        let clipped = area.intersection(bounds)
        guard !clipped.isEmpty else { return }
        for row in clipped.y..<clipped.bottom {
            guard cell.width == 1, clipped.width > 2 else {
                for column in clipped.x..<clipped.right { set(cell, x: column, y: row) }
                continue
            }
            // One column wide: only the row's two ends can split a wide pair outside the
            // area, so they go through `set` (the last first, as its head inside would have
            // left it when filled in order) and the cells between are assigned directly.
            set(cell, x: clipped.right - 1, y: row)
            set(cell, x: clipped.x, y: row)
            let start = row * width
            for column in (clipped.x + 1)..<(clipped.right - 1) { cells[start + column] = cell }
        }
    }

    /// Lays a style over every cell in a rectangle (keeps the text; see `Style.patched`).
    public mutating func applyStyle(_ style: Style, to area: Rect) {
        let clipped = area.intersection(bounds)
        guard !clipped.isEmpty else { return }
        for row in clipped.y..<clipped.bottom {
            for column in clipped.x..<clipped.right {
                cells[row * width + column].style = cells[row * width + column].style.patched(
                    with: style)
            }
        }
    }

    /// Line-drawing characters for a box.
    public struct BorderSet: Hashable, Sendable {
        /// Corner and edge glyphs.
        public var topLeft, topRight, bottomLeft, bottomRight, horizontal, vertical: Character

        /// Creates a border set.
        public init(
            topLeft: Character, topRight: Character, bottomLeft: Character,
            bottomRight: Character, horizontal: Character, vertical: Character
        ) {
            self.topLeft = topLeft
            self.topRight = topRight
            self.bottomLeft = bottomLeft
            self.bottomRight = bottomRight
            self.horizontal = horizontal
            self.vertical = vertical
        }

        /// ┌─┐ thin lines.
        public static let plain = BorderSet(
            topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘", horizontal: "─",
            vertical: "│")
        /// ╭─╮ rounded corners.
        public static let rounded = BorderSet(
            topLeft: "╭", topRight: "╮", bottomLeft: "╰", bottomRight: "╯", horizontal: "─",
            vertical: "│")
        /// ┏━┓ heavy lines: the focused pane stands out even in monochrome.
        public static let heavy = BorderSet(
            topLeft: "┏", topRight: "┓", bottomLeft: "┗", bottomRight: "┛", horizontal: "━",
            vertical: "┃")
        /// +-+ ASCII, for terminals without line drawing.
        public static let ascii = BorderSet(
            topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+", horizontal: "-",
            vertical: "|")
    }

    /// Draws a box on the edge of `area`. Areas narrower or shorter than 2 draw what fits.
    public mutating func drawBox(_ area: Rect, style: Style, border: BorderSet = .rounded) {
        let box = area.intersection(bounds)
        guard !box.isEmpty, box == area else {
            if !area.intersection(bounds).isEmpty { drawClippedBox(area, style: style, border) }
            return
        }
        drawClippedBox(area, style: style, border)
    }

    private mutating func drawClippedBox(_ area: Rect, style: Style, _ border: BorderSet) {
        guard !area.isEmpty else { return }
        let h = String(border.horizontal)
        let v = String(border.vertical)
        if TextWidth.width(of: border.horizontal) == 1 && TextWidth.width(of: border.vertical) == 1 {
            // Every border glyph in use is one column wide: set the edge cells directly, as
            // `put` would, without measuring the same glyph once per cell.
            let horizontal = Cell(h, width: 1, style: style)
            let vertical = Cell(v, width: 1, style: style)
            for column in area.x..<area.right {
                set(horizontal, x: column, y: area.y)
                if area.height > 1 { set(horizontal, x: column, y: area.bottom - 1) }
            }
            for row in area.y..<area.bottom {
                set(vertical, x: area.x, y: row)
                if area.width > 1 { set(vertical, x: area.right - 1, y: row) }
            }
        } else {
            drawEdges(area, style: style, h, v)
        }
        guard area.width > 1, area.height > 1 else { return }
        put(String(border.topLeft), x: area.x, y: area.y, style: style, maxWidth: 1)
        put(String(border.topRight), x: area.right - 1, y: area.y, style: style, maxWidth: 1)
        put(String(border.bottomLeft), x: area.x, y: area.bottom - 1, style: style, maxWidth: 1)
        put(
            String(border.bottomRight), x: area.right - 1, y: area.bottom - 1, style: style,
            maxWidth: 1)
    }

    /// The edges of a box whose glyphs are not all one column wide, cell by cell through `put`.
    private mutating func drawEdges(_ area: Rect, style: Style, _ h: String, _ v: String) {
        for column in area.x..<area.right {
            put(h, x: column, y: area.y, style: style, maxWidth: 1)
            if area.height > 1 { put(h, x: column, y: area.bottom - 1, style: style, maxWidth: 1) }
        }
        for row in area.y..<area.bottom {
            put(v, x: area.x, y: row, style: style, maxWidth: 1)
            if area.width > 1 { put(v, x: area.right - 1, y: row, style: style, maxWidth: 1) }
        }
    }

    /// Changes the size, keeping the top-left content that still fits.
    public mutating func resize(width newWidth: Int, height newHeight: Int) {
        var resized = Screen(width: newWidth, height: newHeight)
        for row in 0..<min(height, resized.height) {
            for column in 0..<min(width, resized.width) {
                resized.cells[row * resized.width + column] = cells[row * width + column]
            }
            // A wide head cut at the new right edge would lose its tail: blank it.
            let last = resized.width - 1
            if last >= 0, resized.cells[row * resized.width + last].width == 2 {
                resized.cells[row * resized.width + last] = .blank
            }
        }
        self = resized
    }

    // MARK: Diff

    /// A horizontal run of cells that changed, for the backend to paint in one go.
    public struct Run: Hashable, Sendable {
        /// Column of the first cell.
        public var x: Int
        /// Row.
        public var y: Int
        /// The new cells, left to right; continuation cells are included so the run covers its
        /// columns exactly, and a backend paints each wide head and skips its continuation.
        public var cells: [Cell]
    }

    /// The runs of cells that differ from `previous`. A screen of another size differs
    /// everywhere (the backend must repaint after a resize). Runs never start on a continuation
    /// cell, and a changed wide head always takes its continuation with it.
    public func diff(from previous: Screen) -> [Run] {
        let sameSize = previous.width == width && previous.height == height
        var runs: [Run] = []
        for row in 0..<height {
            var column = 0
            while column < width {
                let index = row * width + column
                if sameSize && cells[index] == previous.cells[index] {
                    column += 1
                    continue
                }
                var start = column
                if cells[index].isContinuation && start > 0 { start -= 1 }
                var end = column + 1
                while end < width {
                    let i = row * width + end
                    let changed = !sameSize || cells[i] != previous.cells[i]
                    if changed || cells[i].isContinuation {
                        end += 1
                    } else {
                        break
                    }
                }
                if let last = runs.last, last.y == row, last.x + last.cells.count > start {
                    // The backwards step overlapped the previous run: extend it instead.
                    let from = last.x + last.cells.count
                    runs[runs.count - 1].cells += cells[(row * width + from)..<(row * width + end)]
                } else {
                    runs.append(
                        Run(x: start, y: row, cells: Array(cells[(row * width + start)..<(row * width + end)])))
                }
                column = end
            }
        }
        return runs
    }

    // MARK: Text dumps (for tests and debugging)

    /// Each row as text (continuation cells omitted, so a wide char shows once).
    public var lines: [String] {
        (0..<height).map { row in
            var line = ""
            for column in 0..<width {
                let cell = cells[row * width + column]
                if !cell.isContinuation { line += cell.text }
            }
            return line
        }
    }

    /// Each row as one symbol per column picked by `symbol(style)`; continuation cells repeat
    /// their head's symbol. A style overlay in the manner of ratatui's buffer assertions.
    public func styleLines(_ symbol: (Style) -> Character) -> [String] {
        (0..<height).map { row in
            String((0..<width).map { symbol(cells[row * width + $0].style) })
        }
    }
}
