/// Makes untrusted text (model output, server error bodies) safe to put on the screen.
///
/// A model can emit `ESC ] 0 ; title BEL` (retitle the window), `ESC [ 2 J` (clear the screen),
/// OSC 52 (write the clipboard) or C1 bytes that some terminals obey. None of that may reach
/// the terminal, so text is filtered before it becomes cells:
/// - Escape sequences are **dropped whole**: CSI (`ESC [` ... final byte, or 8-bit U+009B),
///   OSC/DCS/SOS/PM/APC strings (`ESC ]`, `ESC P`, `ESC X`, `ESC ^`, `ESC _`, or their C1
///   forms) up to BEL or ST (`ESC \` or U+009C), and two-character escapes (`ESC c`, `ESC 7`).
///   Their bytes carry nothing a reader needs, and showing them would only litter the text.
/// - Other C0 controls are **shown** as Unicode Control Pictures (BEL becomes `␇`, NUL `␀`,
///   DEL `␡`) so a reader can see that something was there; `\n` is kept, `\t` becomes
///   `tabWidth` spaces, `\r\n` becomes `\n` and a lone `\r` is dropped (it would overwrite).
/// - Other C1 controls (U+0080-U+009F) are dropped.
/// - Bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069) are dropped: they
///   can make text display in an order other than the one it has ("Trojan Source").
///
/// Streaming: escape sequences may be split across chunks, so the sanitiser keeps its parser
/// state between `sanitize` calls. The state is bounded: a sequence longer than
/// `maximumSequenceLength` is abandoned (its bytes so far are dropped and the parser returns to
/// text), so a hostile stream cannot make it buffer without limit. Not thread-safe: one per
/// stream.
public struct TerminalSanitizer: Sendable {
    enum State: Sendable {
        case text
        case escape
        case csi
        case controlString  // OSC, DCS, SOS, PM, APC: ends at BEL or ST
        case controlStringEscape  // saw ESC inside a control string
        case escapeIntermediate  // ESC followed by 0x20-0x2F (charset designations etc.)
    }

    private var state: State = .text
    private var sequenceLength = 0
    private var pendingCarriageReturn = false

    /// Spaces a tab becomes. Tab stops cannot be honoured once text is re-wrapped, so tabs
    /// expand to a fixed width.
    public let tabWidth: Int
    /// The longest escape sequence tracked before it is abandoned.
    public let maximumSequenceLength: Int

    /// Creates a sanitiser for one stream.
    public init(tabWidth: Int = 4, maximumSequenceLength: Int = 4096) {
        self.tabWidth = max(0, tabWidth)
        self.maximumSequenceLength = max(16, maximumSequenceLength)
    }

    /// Sanitises a whole string at once.
    public static func sanitize(_ text: String) -> String {
        var sanitizer = TerminalSanitizer()
        return sanitizer.sanitize(text) + sanitizer.finish()
    }

    /// True while the parser is inside an escape sequence begun in an earlier chunk.
    public var isInsideSequence: Bool {
        switch state {
        case .text: return false
        default: return true
        }
    }

    /// Sanitises the next chunk of a stream; state carries over to the next call.
    public mutating func sanitize(_ chunk: String) -> String {
        var output = String.UnicodeScalarView()
        output.reserveCapacity(chunk.unicodeScalars.count)
        for scalar in chunk.unicodeScalars { feed(scalar, into: &output) }
        return String(output)
    }

    /// Ends the stream: an unfinished escape sequence is dropped, a trailing `\r` too.
    public mutating func finish() -> String {
        state = .text
        sequenceLength = 0
        pendingCarriageReturn = false
        return ""
    }

    private mutating func feed(_ scalar: Unicode.Scalar, into output: inout String.UnicodeScalarView) {
        let value = scalar.value
        switch state {
        case .text:
            if pendingCarriageReturn {
                pendingCarriageReturn = false
                if value == 0x0A {
                    output.append(scalar)
                    return
                }
            }
            feedText(scalar, into: &output)
        case .escape:
            sequenceLength += 1
            switch value {
            case 0x5B: state = .csi  // [
            case 0x5D, 0x50, 0x58, 0x5E, 0x5F: state = .controlString  // ] P X ^ _
            case 0x20...0x2F: state = .escapeIntermediate
            case 0x1B: state = .escape  // ESC ESC: start again
            default:
                // A two-character escape (ESC c, ESC 7, ESC M, ...) or garbage: drop both.
                // A control character here aborts the sequence and is handled as text.
                state = .text
                if value < 0x20 || value == 0x7F { feedText(scalar, into: &output) }
            }
        case .csi:
            sequenceLength += 1
            if value >= 0x40 && value <= 0x7E {
                state = .text
            } else if value == 0x1B {
                state = .escape  // a new sequence interrupts this one
                sequenceLength = 0
            } else if value < 0x20 || value > 0x7E {
                // Not part of any valid CSI: abandon it, keep the character as text.
                state = .text
                feedText(scalar, into: &output)
            }
        case .escapeIntermediate:
            sequenceLength += 1
            if value >= 0x30 && value <= 0x7E {
                state = .text
            } else if !(value >= 0x20 && value <= 0x2F) {
                state = .text
                feedText(scalar, into: &output)
            }
        case .controlString:
            sequenceLength += 1
            if value == 0x07 || value == 0x9C {
                state = .text
            } else if value == 0x1B {
                state = .controlStringEscape
            }
        case .controlStringEscape:
            sequenceLength += 1
            if value == 0x5C {
                state = .text  // ESC \ = ST
            } else if value == 0x1B {
                state = .controlStringEscape
            } else {
                state = .controlString
            }
        }
        if state != .text && sequenceLength > maximumSequenceLength {
            state = .text
            sequenceLength = 0
        }
    }

    private mutating func feedText(_ scalar: Unicode.Scalar, into output: inout String.UnicodeScalarView) {
        let value = scalar.value
        switch value {
        case 0x0A:
            output.append(scalar)
        case 0x09:
            for _ in 0..<tabWidth { output.append(" ") }
        case 0x0D:
            pendingCarriageReturn = true
        case 0x1B:
            state = .escape
            sequenceLength = 1
        case 0x9B:
            state = .csi
            sequenceLength = 1
        case 0x90, 0x98, 0x9D, 0x9E, 0x9F:
            state = .controlString
            sequenceLength = 1
        case 0x00..<0x20:
            output.append(Unicode.Scalar(0x2400 + value)!)
        case 0x7F:
            output.append("\u{2421}")
        case 0x80...0x9F, 0x202A...0x202E, 0x2066...0x2069:
            break
        default:
            output.append(scalar)
        }
    }
}
