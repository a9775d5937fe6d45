/// A rectangle of cells: where a widget may draw. Coordinates are zero-based columns (`x`) and
/// rows (`y`); a rectangle with no width or height is empty and drawing into it does nothing.
public struct Rect: Hashable, Sendable, CustomStringConvertible {
    /// Left column.
    public var x: Int
    /// Top row.
    public var y: Int
    /// Columns.
    public var width: Int
    /// Rows.
    public var height: Int

    /// Creates a rectangle; negative sizes are clamped to zero so arithmetic on tiny terminals
    /// never produces an impossible area.
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    /// The empty rectangle at the origin.
    public static let zero = Rect(x: 0, y: 0, width: 0, height: 0)

    /// True when nothing can be drawn inside.
    public var isEmpty: Bool { width == 0 || height == 0 }
    /// One past the last column.
    public var right: Int { x + width }
    /// One past the last row.
    public var bottom: Int { y + height }
    /// Cell count.
    public var area: Int { width * height }

    /// "WxH+X+Y", for test messages.
    public var description: String { "\(width)x\(height)+\(x)+\(y)" }

    /// The rectangle shrunk by `margin` on every side (a border is `inset(by: 1)`).
    public func inset(by margin: Int) -> Rect {
        inset(top: margin, left: margin, bottom: margin, right: margin)
    }

    /// The rectangle shrunk per side; never negative.
    public func inset(top: Int = 0, left: Int = 0, bottom: Int = 0, right: Int = 0) -> Rect {
        let w = max(0, width - left - right)
        let h = max(0, height - top - bottom)
        return Rect(x: x + min(left, width), y: y + min(top, height), width: w, height: h)
    }

    /// The overlap of two rectangles (empty if they do not touch).
    public func intersection(_ other: Rect) -> Rect {
        let x0 = max(x, other.x)
        let y0 = max(y, other.y)
        let x1 = min(right, other.right)
        let y1 = min(bottom, other.bottom)
        return Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }

    /// True when the cell at (px, py) lies inside.
    public func contains(x px: Int, y py: Int) -> Bool {
        px >= x && px < right && py >= y && py < bottom
    }

    /// How much of an axis a piece of a split asks for.
    public enum Constraint: Hashable, Sendable {
        /// Exactly this many cells (less if the space runs out).
        case length(Int)
        /// This percentage of the whole (0-100).
        case percentage(Int)
        /// A share of whatever the other constraints leave, by weight.
        case fill(Int)
    }

    /// Splits into columns left to right.
    public func splitColumns(_ constraints: [Constraint]) -> [Rect] {
        Rect.distribute(width, constraints).map { offset, size in
            Rect(x: x + offset, y: y, width: size, height: height)
        }
    }

    /// Splits into rows top to bottom.
    public func splitRows(_ constraints: [Constraint]) -> [Rect] {
        Rect.distribute(height, constraints).map { offset, size in
            Rect(x: x, y: y + offset, width: width, height: size)
        }
    }

    /// `count` columns of (almost) equal width; the leftover cells go to the first columns.
    public func equalColumns(_ count: Int) -> [Rect] {
        splitColumns(Array(repeating: .fill(1), count: max(0, count)))
    }

    /// `count` rows of (almost) equal height.
    public func equalRows(_ count: Int) -> [Rect] {
        splitRows(Array(repeating: .fill(1), count: max(0, count)))
    }

    /// Fixed sizes first (in order, until space runs out), then percentages, then fills share
    /// the remainder; rounding leftovers go to the earliest fills so the pieces always tile.
    static func distribute(_ total: Int, _ constraints: [Constraint]) -> [(Int, Int)] {
        var sizes = [Int](repeating: 0, count: constraints.count)
        var remaining = max(0, total)
        for (i, c) in constraints.enumerated() {
            switch c {
            case .length(let n):
                sizes[i] = min(max(0, n), remaining)
                remaining -= sizes[i]
            case .percentage(let p):
                sizes[i] = min(max(0, total * min(max(p, 0), 100) / 100), remaining)
                remaining -= sizes[i]
            case .fill:
                break
            }
        }
        let weights = constraints.map { c -> Int in
            if case .fill(let w) = c { return max(0, w) }
            return 0
        }
        let totalWeight = weights.reduce(0, +)
        if totalWeight > 0 {
            let pool = remaining
            var given = 0
            for i in sizes.indices where weights[i] > 0 {
                sizes[i] = pool * weights[i] / totalWeight
                given += sizes[i]
            }
            var leftover = pool - given
            for i in sizes.indices where weights[i] > 0 && leftover > 0 {
                sizes[i] += 1
                leftover -= 1
            }
        }
        var offset = 0
        return sizes.map { size in
            defer { offset += size }
            return (offset, size)
        }
    }
}
