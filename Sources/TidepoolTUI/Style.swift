/// A terminal colour as a cell asks for it. The backend decides how to show it: a 256-colour
/// index on a 256-colour terminal, the nearest of the 8 basic colours otherwise.
public enum TerminalColor: Hashable, Sendable {
    /// The terminal's own foreground or background: always readable, whatever the user's scheme.
    case `default`
    /// One of the 8 basic ANSI colours, 0 (black) to 7 (white); every colour terminal has them.
    case ansi(UInt8)
    /// An xterm-256 palette index (16-231 the 6x6x6 cube, 232-255 the grey ramp).
    case indexed(UInt8)

    /// ANSI black, index 0.
    public static let black = TerminalColor.ansi(0)
    /// ANSI red, index 1.
    public static let red = TerminalColor.ansi(1)
    /// ANSI green, index 2.
    public static let green = TerminalColor.ansi(2)
    /// ANSI yellow, index 3.
    public static let yellow = TerminalColor.ansi(3)
    /// ANSI blue, index 4.
    public static let blue = TerminalColor.ansi(4)
    /// ANSI magenta, index 5.
    public static let magenta = TerminalColor.ansi(5)
    /// ANSI cyan, index 6.
    public static let cyan = TerminalColor.ansi(6)
    /// ANSI white, index 7.
    public static let white = TerminalColor.ansi(7)
}

/// Text attributes that every terminal (and `NO_COLOR` mode) can show without colour.
public struct TextAttributes: OptionSet, Hashable, Sendable {
    /// The raw bit set.
    public let rawValue: UInt8
    /// Creates attributes from raw bits.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Bold (or bright) text.
    public static let bold = TextAttributes(rawValue: 1 << 0)
    /// Dim (faint) text.
    public static let dim = TextAttributes(rawValue: 1 << 1)
    /// Italic text (shown as-is where the terminal lacks italics).
    public static let italic = TextAttributes(rawValue: 1 << 2)
    /// Underlined text.
    public static let underline = TextAttributes(rawValue: 1 << 3)
    /// Swapped foreground and background: the one highlight that works in monochrome.
    public static let reverse = TextAttributes(rawValue: 1 << 4)
}

/// How one cell looks: colours plus attributes. A value type so screens can be compared cell by
/// cell when the backend computes what changed.
public struct Style: Hashable, Sendable {
    /// Foreground (text) colour.
    public var foreground: TerminalColor
    /// Background colour.
    public var background: TerminalColor
    /// Bold, dim, italic, underline, reverse.
    public var attributes: TextAttributes

    /// Creates a style; every part defaults to "the terminal's own".
    public init(
        foreground: TerminalColor = .default, background: TerminalColor = .default,
        attributes: TextAttributes = []
    ) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    /// The terminal's default colours with no attributes.
    public static let plain = Style()

    /// This style with `other` laid on top: `other`'s non-default colours win and attributes
    /// add up. Used to put an emphasis (bold, code) over a base role (quote, heading).
    public func patched(with other: Style) -> Style {
        Style(
            foreground: other.foreground == .default ? foreground : other.foreground,
            background: other.background == .default ? background : other.background,
            attributes: attributes.union(other.attributes))
    }

    /// This style with extra attributes.
    public func adding(_ extra: TextAttributes) -> Style {
        var copy = self
        copy.attributes.formUnion(extra)
        return copy
    }
}
