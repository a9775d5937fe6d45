/// Wraps styled text to a width in terminal columns.
///
/// Words break at spaces; CJK and other wide characters may break anywhere (between any two of
/// them); a word wider than the line is hard-broken; a wide character never straddles the right
/// edge. Styles are kept. One pass over the text, so re-wrapping a whole streamed message
/// on every update stays linear.
public enum WordWrapper {
    /// Wraps one logical line (no `\n` inside; split paragraphs first).
    ///
    /// - Parameters:
    ///   - spans: the text to wrap.
    ///   - width: the total line width, prefixes included.
    ///   - firstPrefix: drawn before the first line (a bullet, a quote bar).
    ///   - continuationPrefix: drawn before every later line (a hanging indent).
    /// - Returns: at least one line (an empty input gives one line holding only the prefix).
    public static func wrap(
        _ spans: [Span], width: Int, firstPrefix: [Span] = [], continuationPrefix: [Span] = []
    ) -> [StyledLine] {
        wrap(spans, width: width, firstPrefix: firstPrefix, continuationPrefix: continuationPrefix,
             takingASCIIWordsWhole: true)
    }

    /// ``wrap(_:width:firstPrefix:continuationPrefix:)``; `takingASCIIWordsWhole: false` walks
    /// every span character by character (tests compare the two ways: they must agree).
    static func wrap(
        _ spans: [Span], width: Int, firstPrefix: [Span], continuationPrefix: [Span], takingASCIIWordsWhole: Bool
    ) -> [StyledLine] {
        var first = StyledLine()
        for span in firstPrefix { first.append(span) }
        var rest = StyledLine()
        for span in continuationPrefix { rest.append(span) }
        // A prefix that leaves no room for text is dropped rather than looping forever.
        if first.width >= width { first = StyledLine() }
        if rest.width >= width { rest = StyledLine() }
        var builder = Builder(width: max(1, width), firstPrefix: first, continuationPrefix: rest)

        var word: [Piece] = []
        var wordWidth = 0
        func flushWord() {
            if !word.isEmpty { builder.addWord(word, width: wordWidth) }
            word.removeAll(keepingCapacity: true)
            wordWidth = 0
        }
        for span in spans {
            let utf8 = span.text.utf8
            if takingASCIIWordsWhole && TextWidth.isPrintableASCII(span.text) {
                // Nearly all text: a column a byte, so a word between two spaces is taken
                // whole, without walking its characters.
                var index = utf8.startIndex
                while index < utf8.endIndex {
                    if utf8[index] == 0x20 {
                        flushWord()
                        builder.addSpace(span.style)
                        index = utf8.index(after: index)
                        continue
                    }
                    let end = utf8[index...].firstIndex(of: 0x20) ?? utf8.endIndex
                    let columns = utf8.distance(from: index, to: end)
                    word.append(Piece(text: span.text[index..<end], style: span.style, width: columns))
                    wordWidth += columns
                    index = end
                }
                continue
            }
            for character in span.text {
                let w = TextWidth.width(of: character)
                if character == " " {
                    flushWord()
                    builder.addSpace(span.style)
                } else if w == 2 {
                    flushWord()
                    builder.addWord([Piece(text: Substring(String(character)), style: span.style, width: 2)], width: 2)
                } else {
                    word.append(Piece(text: Substring(String(character)), style: span.style, width: w))
                    wordWidth += w
                }
            }
        }
        flushWord()
        return builder.finish()
    }

    /// Wraps text that may contain newlines, each paragraph on its own.
    public static func wrap(_ text: String, style: Style, width: Int) -> [StyledLine] {
        text.split(separator: "\n", omittingEmptySubsequences: false).flatMap {
            wrap([Span(String($0), style: style)], width: width)
        }
    }

    /// Part of a word in one style: a whole run of ASCII, or one character.
    private struct Piece {
        var text: Substring
        var style: Style
        var width: Int
    }

    private struct Builder {
        let width: Int
        let firstPrefix: StyledLine
        let continuationPrefix: StyledLine
        var lines: [StyledLine] = []
        var current: StyledLine
        var used: Int
        var pendingSpaces: [Style] = []
        var lineHasText = false

        init(width: Int, firstPrefix: StyledLine, continuationPrefix: StyledLine) {
            self.width = width
            self.firstPrefix = firstPrefix
            self.continuationPrefix = continuationPrefix
            self.current = firstPrefix
            self.used = firstPrefix.width
        }

        mutating func newLine() {
            lines.append(current)
            current = continuationPrefix
            used = continuationPrefix.width
            pendingSpaces.removeAll()
            lineHasText = false
        }

        mutating func addSpace(_ style: Style) {
            // Leading spaces of the first line are kept (indentation the author meant); spaces
            // at a wrap point are dropped.
            if !lineHasText && !lines.isEmpty { return }
            pendingSpaces.append(style)
        }

        mutating func addWord(_ word: [Piece], width wordWidth: Int) {
            let spaceWidth = pendingSpaces.count
            if used + spaceWidth + wordWidth > width && lineHasText {
                newLine()
            }
            if used + pendingSpaces.count + wordWidth <= width {
                for style in pendingSpaces { current.append(" ", style: style) }
                used += pendingSpaces.count
                pendingSpaces.removeAll()
                for piece in word { current.append(String(piece.text), style: piece.style) }
                used += wordWidth
                lineHasText = true
                return
            }
            // Too long for any line: hard-break it character by character.
            for style in pendingSpaces where used < width {
                current.append(" ", style: style)
                used += 1
            }
            pendingSpaces.removeAll()
            for piece in word {
                for character in piece.text {
                    let w = TextWidth.width(of: character)
                    if used + w > width && (lineHasText || used > continuationPrefix.width) { newLine() }
                    current.append(String(character), style: piece.style)
                    used += w
                    lineHasText = true
                }
            }
        }

        mutating func finish() -> [StyledLine] {
            if !lineHasText {
                for style in pendingSpaces where used < width {
                    current.append(" ", style: style)
                    used += 1
                }
            }
            lines.append(current)
            return lines
        }
    }
}
