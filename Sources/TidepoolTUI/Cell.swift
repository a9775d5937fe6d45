/// One terminal cell: a single grapheme cluster, its display width and its style.
///
/// A wide character (CJK, most emoji) occupies two cells: the first holds the text with
/// `width == 2`, the second is a *continuation* cell (`width == 0`, empty text) so that every
/// column of the grid still has exactly one `Cell` and diffs stay column-aligned.
///
/// The cluster's code points are stored in the cell itself, not as a `String`: a frame assigns,
/// clears and compares every cell of the grid (10,000 at 200x50), and a `String` in each cell
/// made each of those a reference-counted copy or a call into the string library. Without it a
/// cell is plain data, copied and compared as bytes. A cell keeps at most
/// ``maximumScalars`` code points, what a curses cell holds (`CCHARW_MAX`): a longer cluster (a
/// long emoji ZWJ sequence, a pile of combining marks) is cut there, as the terminal would show it.
public struct Cell: Hashable, Sendable {
    /// How many code points a cell keeps.
    public static let maximumScalars = 5

    /// The cluster's code points, unused ones 0 (a continuation cell has none).
    private var scalars: (UInt32, UInt32, UInt32, UInt32, UInt32)
    /// Display columns: 1 for most text, 2 for a wide character, 0 for a continuation cell.
    public var width: UInt8
    /// How the cell looks.
    public var style: Style

    /// Creates a cell. `width` should come from `TextWidth`.
    public init(_ text: String, width: UInt8 = 1, style: Style = .plain) {
        scalars = (0, 0, 0, 0, 0)
        self.width = width
        self.style = style
        self.text = text
    }

    /// A cell holding one code point (nearly every cell), without going through a `String`.
    public init(scalar: Unicode.Scalar, width: UInt8 = 1, style: Style = .plain) {
        scalars = (scalar.value, 0, 0, 0, 0)
        self.width = width
        self.style = style
    }

    /// The grapheme cluster shown here; empty for a continuation cell.
    public var text: String {
        get {
            var result = String.UnicodeScalarView()
            withScalars { values in
                for value in values { if let scalar = Unicode.Scalar(value) { result.append(scalar) } }
            }
            return String(result)
        }
        set {
            scalars = (0, 0, 0, 0, 0)
            for scalar in newValue.unicodeScalars.prefix(Self.maximumScalars) { append(scalar) }
        }
    }

    /// A cell holding `character` (its first ``maximumScalars`` code points).
    public init(_ character: Character, width: UInt8 = 1, style: Style = .plain) {
        scalars = (0, 0, 0, 0, 0)
        self.width = width
        self.style = style
        for scalar in character.unicodeScalars.prefix(Self.maximumScalars) { append(scalar) }
    }

    /// The cell's only code point, or nil when it has several or none (a continuation cell).
    public var singleScalar: UInt32? {
        scalars.0 != 0 && scalars.1 == 0 ? scalars.0 : nil
    }

    /// Calls `body` with the cell's code points (none for a continuation cell).
    public func withScalars<Result>(_ body: (ArraySlice<UInt32>) -> Result) -> Result {
        let all = [scalars.0, scalars.1, scalars.2, scalars.3, scalars.4]
        return body(all.prefix { $0 != 0 })
    }

    /// Adds `scalar` to the cluster (a combining mark that arrived on its own), if there is room.
    mutating func append(_ scalar: Unicode.Scalar) {
        if scalars.0 == 0 { scalars.0 = scalar.value }
        else if scalars.1 == 0 { scalars.1 = scalar.value }
        else if scalars.2 == 0 { scalars.2 = scalar.value }
        else if scalars.3 == 0 { scalars.3 = scalar.value }
        else if scalars.4 == 0 { scalars.4 = scalar.value }
    }

    public static func == (lhs: Cell, rhs: Cell) -> Bool {
        lhs.scalars.0 == rhs.scalars.0 && lhs.scalars.1 == rhs.scalars.1 && lhs.scalars.2 == rhs.scalars.2
            && lhs.scalars.3 == rhs.scalars.3 && lhs.scalars.4 == rhs.scalars.4 && lhs.width == rhs.width
            && lhs.style == rhs.style
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(scalars.0)
        hasher.combine(scalars.1)
        hasher.combine(scalars.2)
        hasher.combine(scalars.3)
        hasher.combine(scalars.4)
        hasher.combine(width)
        hasher.combine(style)
    }

    /// A space in the default style: what an empty screen holds.
    public static let blank = Cell(scalar: " ")

    /// A space in the given style.
    public static func blank(_ style: Style) -> Cell { Cell(scalar: " ", width: 1, style: style) }

    /// The second half of a wide character, styled like its head.
    public static func continuation(_ style: Style) -> Cell { Cell("", width: 0, style: style) }

    /// True for the second column of a wide character.
    public var isContinuation: Bool { width == 0 }
}
