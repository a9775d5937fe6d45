/// Wraps styled text to a width in terminal columns.
///
/// Words break at spaces; CJK and other wide characters may break anywhere (between any two of
/// them); a word wider than the line is hard-broken; a wide character never straddles the right
/// edge. Styles are kept. One pass over the characters, so re-wrapping a whole streamed message
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
        var first = StyledLine()
        for span in firstPrefix { first.append(span) }
        var rest = StyledLine()
        for span in continuationPrefix { rest.append(span) }
        // A prefix that leaves no room for text is dropped rather than looping forever.
        if first.width >= width { first = StyledLine() }
        if rest.width >= width { rest = StyledLine() }
        var builder = Builder(width: max(1, width), firstPrefix: first, continuationPrefix: rest)

        var word: [(Character, Style, Int)] = []
        var wordWidth = 0
        func flushWord() {
            if !word.isEmpty { builder.addWord(word, width: wordWidth) }
            word.removeAll(keepingCapacity: true)
            wordWidth = 0
        }
        for span in spans {
            for character in span.text {
                let w = TextWidth.width(of: character)
                if character == " " {
                    flushWord()
                    builder.addSpace(span.style)
                } else if w == 2 {
                    flushWord()
                    builder.addWord([(character, span.style, 2)], width: 2)
                } else {
                    word.append((character, span.style, w))
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

        mutating func addWord(_ word: [(Character, Style, Int)], width wordWidth: Int) {
            let spaceWidth = pendingSpaces.count
            if used + spaceWidth + wordWidth > width && lineHasText {
                newLine()
            }
            if used + pendingSpaces.count + wordWidth <= width {
                for style in pendingSpaces { current.append(" ", style: style) }
                used += pendingSpaces.count
                pendingSpaces.removeAll()
                for (character, style, _) in word { current.append(String(character), style: style) }
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
            for (character, style, w) in word {
                if used + w > width && (lineHasText || used > continuationPrefix.width) { newLine() }
                current.append(String(character), style: style)
                used += w
                lineHasText = true
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
