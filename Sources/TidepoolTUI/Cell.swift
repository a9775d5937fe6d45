/// One terminal cell: a single grapheme cluster, its display width and its style.
///
/// A wide character (CJK, most emoji) occupies two cells: the first holds the text with
/// `width == 2`, the second is a *continuation* cell (`width == 0`, empty text) so that every
/// column of the grid still has exactly one `Cell` and diffs stay column-aligned.
public struct Cell: Hashable, Sendable {
    /// The grapheme cluster shown here; empty for a continuation cell.
    public var text: String
    /// Display columns: 1 for most text, 2 for a wide character, 0 for a continuation cell.
    public var width: UInt8
    /// How the cell looks.
    public var style: Style

    /// Creates a cell. `width` should come from `TextWidth`.
    public init(_ text: String, width: UInt8 = 1, style: Style = .plain) {
        self.text = text
        self.width = width
        self.style = style
    }

    /// A space in the default style: what an empty screen holds.
    public static let blank = Cell(" ")

    /// A space in the given style.
    public static func blank(_ style: Style) -> Cell { Cell(" ", width: 1, style: style) }

    /// The second half of a wide character, styled like its head.
    public static func continuation(_ style: Style) -> Cell { Cell("", width: 0, style: style) }

    /// True for the second column of a wide character.
    public var isContinuation: Bool { width == 0 }
}
