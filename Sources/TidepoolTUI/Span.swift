/// A run of text in one style: the unit markdown rendering, wrapping and widgets pass around.
public struct Span: Hashable, Sendable {
    /// The text; it should already be sanitised (see `TerminalSanitizer`) and contain no newline.
    public var text: String
    /// Its style.
    public var style: Style

    /// Creates a span.
    public init(_ text: String, style: Style = .plain) {
        self.text = text
        self.style = style
    }

    /// Display width in terminal columns.
    public var width: Int { TextWidth.width(of: text) }
}

/// One screen line made of styled spans.
public struct StyledLine: Hashable, Sendable {
    /// The spans, left to right.
    public var spans: [Span]

    /// Creates a line from spans.
    public init(_ spans: [Span] = []) { self.spans = spans }

    /// Creates a one-span line.
    public init(_ text: String, style: Style = .plain) { self.spans = [Span(text, style: style)] }

    /// Display width in terminal columns.
    public var width: Int { spans.reduce(0) { $0 + $1.width } }

    /// The text without styles (for tests, copying and searching).
    public var plainText: String { spans.map(\.text).joined() }

    /// Appends a span, merging it into the last one when the style is the same so lines stay
    /// short however they were built.
    public mutating func append(_ span: Span) {
        guard !span.text.isEmpty else { return }
        if let last = spans.last, last.style == span.style {
            spans[spans.count - 1].text += span.text
        } else {
            spans.append(span)
        }
    }

    /// Appends text in a style.
    public mutating func append(_ text: String, style: Style) { append(Span(text, style: style)) }
}
