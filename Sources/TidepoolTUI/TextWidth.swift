/// Display width of text in terminal columns, computed in pure Swift.
///
/// libc's `wcwidth` depends on the process locale and the C library's Unicode version, so the
/// same string could measure differently on two machines; the screen grid must agree with what
/// the terminal draws, so the rules live here:
/// - C0/C1 controls and DEL: 0 (they should have been removed by `TerminalSanitizer`).
/// - Combining marks (Mn, Me), format characters (Cf: ZWJ, ZWSP, bidi marks), variation
///   selectors and Hangul medial/final jamo on their own: 0.
/// - East Asian Wide and Fullwidth (CJK ideographs, Hangul syllables, kana, fullwidth forms):
///   2.
/// - Emoji shown as pictures: scalars with Emoji_Presentation, anything followed by VS16
///   (U+FE0F), flag pairs, keycaps, ZWJ sequences: 2. VS15 (U+FE0E) asks for text: 1.
/// - Everything else (including East Asian Ambiguous): 1.
public enum TextWidth {
    /// Columns taken by a whole string (the sum over its grapheme clusters).
    public static func width(of string: String) -> Int {
        // No walk over grapheme clusters (headers, status lines and borders are measured
        // every frame).
        if isPrintableASCII(string) { return string.utf8.count }
        var total = 0
        for character in string { total += width(of: character) }
        return total
    }

    /// Whether `string` is all printable ASCII (0x20...0x7E): then every byte is a grapheme
    /// cluster one column wide, and text can be measured, cut and wrapped by its bytes.
    public static func isPrintableASCII(_ string: String) -> Bool {
        string.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    /// Columns taken by one grapheme cluster: 0, 1 or 2.
    public static func width(of character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        let value = first.value
        // Fast path: printable ASCII is by far the most common input.
        if value >= 0x20 && value < 0x7F { return scalars.count == 1 ? 1 : clusterWidth(scalars) }
        if isControl(value) { return 0 }
        if scalars.count > 1 { return clusterWidth(scalars) }
        return scalarWidth(first)
    }

    /// A multi-scalar cluster: presentation selectors, flags and ZWJ sequences decide.
    private static func clusterWidth(_ scalars: Character.UnicodeScalarView) -> Int {
        let first = scalars.first!
        var hasEmojiSelector = false
        var hasTextSelector = false
        var hasJoiner = false
        var hasKeycap = false
        for scalar in scalars.dropFirst() {
            switch scalar.value {
            case 0xFE0F: hasEmojiSelector = true
            case 0xFE0E: hasTextSelector = true
            case 0x200D: hasJoiner = true
            case 0x20E3: hasKeycap = true
            default: break
            }
        }
        let base = scalarWidth(first)
        if base == 2 && !hasTextSelector { return 2 }
        if isRegionalIndicator(first.value) { return 2 }
        if hasTextSelector { return isWide(first.value) ? 2 : 1 }
        if hasEmojiSelector || hasKeycap { return 2 }
        if hasJoiner && first.properties.isEmoji && first.value > 0xFF { return 2 }
        // A base letter with combining marks: the base decides (a lone mark base gives 0, but a
        // cluster that starts with a mark still occupies at least the space it is drawn in).
        return max(base, 1)
    }

    /// Width of a single scalar standing alone.
    static func scalarWidth(_ scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x7F { return value < 0x20 ? 0 : 1 }
        if isControl(value) { return 0 }
        if isZeroWidth(scalar) { return 0 }
        if isWide(value) { return 2 }
        if value >= 0x2300 && scalar.properties.isEmojiPresentation { return 2 }
        return 1
    }

    static func isControl(_ value: UInt32) -> Bool {
        value < 0x20 || (value >= 0x7F && value < 0xA0)
    }

    static func isRegionalIndicator(_ value: UInt32) -> Bool { value >= 0x1F1E6 && value <= 0x1F1FF }

    static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value == 0x00AD { return false }  // soft hyphen is drawn by most terminals
        if value >= 0x1160 && value <= 0x11FF { return true }  // Hangul medial/final jamo
        if value >= 0xFE00 && value <= 0xFE0F { return true }  // variation selectors
        if value >= 0xE0100 && value <= 0xE01EF { return true }  // variation selectors supplement
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return true
        default: return false
        }
    }

    /// East Asian Wide (W) and Fullwidth (F) blocks, as (first, last) scalar values, sorted.
    /// Emoji blocks are handled by the Emoji_Presentation property instead.
    static let wideRanges: [(UInt32, UInt32)] = [
        (0x1100, 0x115F),  // Hangul Jamo initial consonants
        (0x2329, 0x232A),  // angle brackets
        (0x2E80, 0x2FDF),  // CJK radicals, Kangxi radicals
        (0x2FF0, 0x303E),  // ideographic description, CJK symbols and punctuation
        (0x3041, 0x33FF),  // Hiragana, Katakana, Bopomofo, Hangul compat jamo, Kanbun, CJK compat
        (0x3400, 0x4DBF),  // CJK Unified Ideographs Extension A
        (0x4E00, 0x9FFF),  // CJK Unified Ideographs
        (0xA000, 0xA4CF),  // Yi syllables and radicals
        (0xA960, 0xA97F),  // Hangul Jamo Extended-A
        (0xAC00, 0xD7A3),  // Hangul syllables
        (0xF900, 0xFAFF),  // CJK compatibility ideographs
        (0xFE10, 0xFE19),  // vertical forms
        (0xFE30, 0xFE6F),  // CJK compatibility forms, small form variants
        (0xFF00, 0xFF60),  // fullwidth ASCII variants
        (0xFFE0, 0xFFE6),  // fullwidth signs
        (0x16FE0, 0x16FE4),  // ideographic symbols
        (0x17000, 0x18CFF),  // Tangut, Khitan
        (0x1B000, 0x1B2FF),  // Kana supplement/extended, Nushu
        (0x1F200, 0x1F2FF),  // enclosed ideographic supplement
        (0x20000, 0x2FFFD),  // CJK Extensions B-F, compatibility supplement
        (0x30000, 0x3FFFD),  // CJK Extension G and later
    ]

    static func isWide(_ value: UInt32) -> Bool {
        guard value >= 0x1100 else { return false }
        var low = 0
        var high = wideRanges.count - 1
        while low <= high {
            let mid = (low + high) / 2
            let (start, end) = wideRanges[mid]
            if value < start {
                high = mid - 1
            } else if value > end {
                low = mid + 1
            } else {
                return true
            }
        }
        return false
    }
}
