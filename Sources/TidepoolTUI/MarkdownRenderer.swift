/// Turns (possibly incomplete, still streaming) markdown into wrapped, styled lines.
///
/// A streaming message is rendered line by line (``renderLine(_:fence:width:)``): complete
/// lines once, the open last line again on each update. Incomplete input is always tolerated: an unclosed ``` fence renders everything
/// after it as code, an unclosed `**` shows its asterisks until the closing pair arrives.
///
/// Choices:
/// - Each source line is its own output line (chat replies use newlines deliberately; joining
///   soft breaks would make lines jump while streaming).
/// - Code blocks are never reflowed: a line too long for the width is hard-wrapped and each
///   continuation starts with the marker `↪`, so nothing is hidden and indentation stays.
/// - Supported: `#` headings, `**bold**`/`__bold__`, `*italic*`/`_italic_`, `` `code` ``, fenced
///   code blocks (``` and ~~~), `-`/`*`/`+` bullets and `1.`/`1)` numbered lists with hanging
///   indent, `>` quotes (nested), and `---` rules. Anything else is plain text.
public struct MarkdownRenderer: Sendable {
    /// The theme whose roles style the output.
    public var theme: Theme
    /// The base style of ordinary text (e.g. `theme[.assistant]`).
    public var baseRole: ThemeRole

    /// Creates a renderer.
    public init(theme: Theme, baseRole: ThemeRole = .assistant) {
        self.theme = theme
        self.baseRole = baseRole
    }

    /// An open code fence: its character and how many of them opened it.
    public struct Fence: Sendable, Equatable {
        var marker: Character
        var length: Int
    }

    /// Renders markdown to lines no wider than `width` columns.
    public func render(_ markdown: String, width: Int) -> [StyledLine] {
        var output: [StyledLine] = []
        var fence: Fence? = nil
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            output += renderLine(line, fence: &fence, width: width)
        }
        return output
    }

    /// Renders one source line (no `\n` inside). The only state one line passes to the next
    /// is whether a code fence is open, so a caller that keeps `fence` can render a growing
    /// text line by line, once each, and get exactly what ``render(_:width:)`` gives.
    public func renderLine(_ line: Substring, fence: inout Fence?, width: Int) -> [StyledLine] {
        let width = max(1, width)
        if let open = fence {
            if isFence(line, closing: open) {
                fence = nil
                return []
            }
            return codeLines(String(line), width: width)
        }
        if let opened = fenceOpening(line) {
            fence = opened
            return []
        }
        return renderBlockLine(line, width: width)
    }

    // MARK: Blocks

    private func renderBlockLine(_ line: Substring, width: Int) -> [StyledLine] {
        let base = theme[baseRole]
        let indentCount = line.prefix(while: { $0 == " " }).count
        let trimmed = line.dropFirst(indentCount)
        if trimmed.isEmpty { return [StyledLine()] }

        // Horizontal rule (only a line starting with one of its characters is looked at
        // whole: the open line of a streaming answer is rendered again every frame).
        if let c = trimmed.first, c == "-" || c == "*" || c == "_" {
            var marks = 0
            var isRule = true
            // Stops at the first other character: a list item ("- text") is not read whole.
            for character in trimmed where character != " " {
                guard character == c else {
                    isRule = false
                    break
                }
                marks += 1
            }
            if isRule && marks >= 3 {
                return [StyledLine(String(repeating: "─", count: width), style: theme[.dim])]
            }
        }
        // Heading.
        if trimmed.hasPrefix("#") {
            let level = trimmed.prefix(while: { $0 == "#" }).count
            let rest = trimmed.dropFirst(level)
            if level <= 6, rest.isEmpty || rest.hasPrefix(" ") {
                let style = theme[.heading]
                let text = rest.trimmingSpaces()
                return WordWrapper.wrap(inline(text, base: style), width: width)
            }
        }
        // Quote (nesting by counting '>').
        if trimmed.hasPrefix(">") {
            var depth = 0
            var rest = trimmed
            while rest.hasPrefix(">") {
                depth += 1
                rest = rest.dropFirst()
                if rest.hasPrefix(" ") { rest = rest.dropFirst() }
            }
            let style = theme[.quote]
            let bar = [Span(String(repeating: "│ ", count: depth), style: theme[.quote])]
            return WordWrapper.wrap(
                inline(rest, base: style), width: width, firstPrefix: bar, continuationPrefix: bar)
        }
        // Lists: bullet or number, with a hanging indent under the item's text.
        let nesting = String(repeating: " ", count: min(indentCount, 16))
        if let first = trimmed.first, "-*+".contains(first), trimmed.dropFirst().hasPrefix(" ") {
            let marker = [Span(nesting, style: base), Span("• ", style: theme[.listMarker])]
            let hang = [Span(nesting + "  ", style: base)]
            return WordWrapper.wrap(
                inline(trimmed.dropFirst(2), base: base), width: width, firstPrefix: marker,
                continuationPrefix: hang)
        }
        let digits = trimmed.prefix(while: { $0.isASCII && $0.isNumber })
        if !digits.isEmpty, digits.count <= 9 {
            let after = trimmed.dropFirst(digits.count)
            if let punct = after.first, punct == "." || punct == ")", after.dropFirst().hasPrefix(" ") {
                let label = "\(digits)\(punct) "
                let marker = [Span(nesting, style: base), Span(label, style: theme[.listMarker])]
                let hang = [Span(nesting + String(repeating: " ", count: label.count), style: base)]
                return WordWrapper.wrap(
                    inline(after.dropFirst(2), base: base), width: width, firstPrefix: marker,
                    continuationPrefix: hang)
            }
        }
        // Paragraph line: keep the author's indentation on the first line.
        return WordWrapper.wrap(inline(line, base: base), width: width)
    }

    private func fenceOpening(_ line: Substring) -> Fence? {
        let trimmed = line.drop(while: { $0 == " " })
        guard line.count - trimmed.count <= 3, let marker = trimmed.first, marker == "`" || marker == "~"
        else { return nil }
        let length = trimmed.prefix(while: { $0 == marker }).count
        guard length >= 3 else { return nil }
        // A backtick fence's info string may not contain backticks (that is inline code).
        if marker == "`" && trimmed.dropFirst(length).contains("`") { return nil }
        return Fence(marker: marker, length: length)
    }

    private func isFence(_ line: Substring, closing open: Fence) -> Bool {
        let trimmed = line.drop(while: { $0 == " " })
        let run = trimmed.prefix(while: { $0 == open.marker }).count
        return run >= open.length && trimmed.dropFirst(run).allSatisfy { $0 == " " }
    }

    /// One line of a code block: indented two columns, hard-wrapped with `↪` on continuations.
    private func codeLines(_ text: String, width: Int) -> [StyledLine] {
        let style = theme[.codeBlock]
        let indent = width > 4 ? "  " : ""
        var lines: [StyledLine] = []
        var current = StyledLine(indent, style: style)
        var used = indent.count
        for character in text {
            let w = TextWidth.width(of: character)
            if used + w > width && used > indent.count {
                lines.append(current)
                let marker = width > 4 ? "↪ " : ""
                current = StyledLine(marker, style: theme[.dim].patched(with: Style(background: style.background)))
                used = marker.count
            }
            current.append(String(character), style: style)
            used += w
        }
        lines.append(current)
        return lines
    }

    // MARK: Inline

    /// Parses emphasis and code spans in one line into spans on top of `base`.
    func inline(_ text: Substring, base: Style) -> [Span] {
        let utf8 = text.utf8
        // Markers are ASCII, and no byte of a longer UTF-8 sequence is: a line without a
        // marker byte (most lines) is one plain span.
        let markers: (UInt8, UInt8, UInt8) = (.backtick, .star, .underscore)
        guard utf8.contains(where: { $0 == markers.0 || $0 == markers.1 || $0 == markers.2 }) else {
            return text.isEmpty ? [] : [Span(String(text), style: base)]
        }
        let emphasis = (bold: theme[.bold], italic: theme[.italic], code: theme[.code])
        if utf8.allSatisfy({ $0 < 0x80 }) {
            let bytes = Array(utf8)
            return InlineMarkdownParser(units: bytes, emphasis: emphasis).spans(in: 0..<bytes.count, base: base)
        }
        let characters = Array(text)
        return InlineMarkdownParser(units: characters, emphasis: emphasis).spans(in: 0..<characters.count, base: base)
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        var s = self.drop(while: { $0 == " " })
        while s.last == " " { s = s.dropLast() }
        // A closing run of '#' is decoration only when a space separates it ("# Title ##"),
        // so "# Learn C#" keeps its '#'.
        let hashes = s.reversed().prefix(while: { $0 == "#" }).count
        if hashes > 0 && (hashes == s.count || s.dropLast(hashes).last == " ") {
            s = s.dropLast(hashes)
            while s.last == " " { s = s.dropLast() }
        }
        return s
    }
}
