/// Finds emphasis (`**bold**`, `*italic*`, `_italic_`) and code spans (`` `code` ``) in one
/// line of Markdown, for ``MarkdownRenderer``.
///
/// Generic over what the line is read as, so the rules are written once: Characters in
/// general, or UTF-8 bytes when the line is plain ASCII (then every character is one byte,
/// and reading bytes skips grapheme breaking and an array of Characters: the open line of
/// every streaming pane is parsed again each frame, and this was a third of its cost).
/// ``MarkdownRenderer/inline(_:base:)`` picks one; both give the same spans (tests hold them
/// to it).
struct InlineMarkdownParser<Unit: InlineMarkdownUnit> {
    let units: [Unit]
    let emphasis: (bold: Style, italic: Style, code: Style)

    /// The spans of `units[range]` on top of `base`.
    func spans(in range: Range<Int>, base: Style) -> [Span] {
        var spans: [Span] = []
        // Plain text is always one stretch of the source since the last span: unmatched
        // markers stay in it as written.
        var plainStart = range.lowerBound
        var i = range.lowerBound
        let end = range.upperBound
        func flush(upTo index: Int) {
            if index > plainStart { spans.append(Span(Unit.string(units[plainStart..<index]), style: base)) }
        }
        while i < end {
            let c = units[i]
            if c == .backtick {
                let ticks = run(of: .backtick, from: i, end: end)
                if let close = find(.backtick, count: ticks, from: i + ticks, end: end) {
                    flush(upTo: i)
                    var lower = i + ticks
                    var upper = close
                    if upper - lower > 2 && units[lower] == .space && units[upper - 1] == .space {
                        lower += 1
                        upper -= 1
                    }
                    spans.append(Span(Unit.string(units[lower..<upper]), style: base.patched(with: emphasis.code)))
                    i = close + ticks
                    plainStart = i
                    continue
                }
                i += ticks
                continue
            }
            if c == .star || c == .underscore {
                let count = min(run(of: c, from: i, end: end), 2)
                let opensWord = i + count < end && units[i + count] != .space
                let leftOK = c == .star || i == range.lowerBound || !units[i - 1].isLetterOrNumber
                if opensWord && leftOK,
                    let close = findClosing(c, count: count, from: i + count, end: end, underscore: c == .underscore)
                {
                    flush(upTo: i)
                    let style = base.patched(with: count == 2 ? emphasis.bold : emphasis.italic)
                    spans += self.spans(in: (i + count)..<close, base: style)
                    i = close + count
                    plainStart = i
                    continue
                }
                i += count
                continue
            }
            i += 1
        }
        flush(upTo: end)
        return spans
    }

    private func run(of unit: Unit, from start: Int, end: Int) -> Int {
        var n = 0
        while start + n < end && units[start + n] == unit { n += 1 }
        return n
    }

    /// Whether `count` copies of `unit` start at `index` (within `end`).
    private func matches(_ unit: Unit, count: Int, at index: Int, end: Int) -> Bool {
        guard index + count <= end else { return false }
        for k in 0..<count where units[index + k] != unit { return false }
        return true
    }

    /// A run of exactly `count` copies of `unit` (a longer run is a different delimiter).
    private func find(_ unit: Unit, count: Int, from start: Int, end: Int) -> Int? {
        var i = start
        while i + count <= end {
            if matches(unit, count: count, at: i, end: end) {
                let before = i > start && units[i - 1] == unit
                let after = i + count < end && units[i + count] == unit
                if !before && !after { return i }
                i += run(of: unit, from: i, end: end)
                continue
            }
            i += 1
        }
        return nil
    }

    /// A closing emphasis marker: not preceded by a space and, for `_`, not followed by a
    /// letter (so snake_case_names stay plain).
    private func findClosing(_ unit: Unit, count: Int, from start: Int, end: Int, underscore: Bool) -> Int? {
        var i = start + 1
        while i + count <= end {
            if units[i] == .backtick {
                // Skip code spans: emphasis markers inside code do not count.
                let ticks = run(of: .backtick, from: i, end: end)
                if let close = find(.backtick, count: ticks, from: i + ticks, end: end) {
                    i = close + ticks
                    continue
                }
            }
            if matches(unit, count: count, at: i, end: end) && units[i - 1] != .space {
                let next = i + count < end ? units[i + count] : .space
                if count == 1 && next == unit {
                    // `*a **b** c*`: a double marker inside a single one is nested bold.
                    i += 2
                    continue
                }
                if !underscore || !next.isLetterOrNumber { return i }
            }
            i += 1
        }
        return nil
    }
}

/// What ``InlineMarkdownParser`` reads a line as: a Character, or a byte of ASCII text.
protocol InlineMarkdownUnit: Equatable {
    static var backtick: Self { get }
    static var star: Self { get }
    static var underscore: Self { get }
    static var space: Self { get }
    /// A letter or digit: `_` next to one is part of a word, not emphasis.
    var isLetterOrNumber: Bool { get }
    static func string(_ units: ArraySlice<Self>) -> String
}

extension Character: InlineMarkdownUnit {
    static var backtick: Character { "`" }
    static var star: Character { "*" }
    static var underscore: Character { "_" }
    static var space: Character { " " }
    var isLetterOrNumber: Bool { isLetter || isNumber }
    static func string(_ units: ArraySlice<Character>) -> String { String(units) }
}

extension UInt8: InlineMarkdownUnit {
    static var backtick: UInt8 { UInt8(ascii: "`") }
    static var star: UInt8 { UInt8(ascii: "*") }
    static var underscore: UInt8 { UInt8(ascii: "_") }
    static var space: UInt8 { UInt8(ascii: " ") }
    /// ASCII only: the parser reads bytes only for ASCII text.
    var isLetterOrNumber: Bool {
        (self >= 0x30 && self <= 0x39) || (self >= 0x41 && self <= 0x5A) || (self >= 0x61 && self <= 0x7A)
    }
    static func string(_ units: ArraySlice<UInt8>) -> String { String(decoding: units, as: UTF8.self) }
}
