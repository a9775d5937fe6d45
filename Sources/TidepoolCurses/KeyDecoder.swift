import TidepoolTUI

/// One unit of terminal input as the curses loop reads it.
public enum RawInput: Hashable, Sendable {
    /// A character from `wget_wch` (`OK`): a Unicode scalar, or a control byte.
    case character(UInt32)
    /// A key code from `wget_wch` (`KEY_CODE_YES`), with its `keyname` (e.g. "kLFT5") for the
    /// extended codes ncurses assigns to modified keys at run time.
    case keyCode(Int32, name: String?)
    /// A mouse wheel event already read with `getmouse` (-1 up, 1 down).
    case wheel(Int)
}

/// Turns raw input into `Key`s: curses key codes, and the escape sequences curses leaves to us
/// (Alt-letters as `ESC x`, bracketed paste `ESC [200~ ... ESC [201~`, modified keys the
/// terminfo entry lacks). Pure and I/O-free: tests feed it input in any split.
///
/// A lone ESC is ambiguous until more input arrives or time passes: `feed` keeps it pending,
/// and the loop calls `flush()` when input has been quiet for ~25 ms (see `hasPending`). Paste
/// content is never flushed by time, only by the end marker or `maximumPasteLength` (a paste
/// larger than that is delivered in pieces, so memory stays bounded). Owned by the UI thread.
public struct KeyDecoder: Sendable {
    /// Largest paste held before it is delivered in pieces.
    public var maximumPasteLength = 1 << 20

    private var pending: [UInt32] = []  // an escape sequence in progress
    private var pasting = false
    private var paste: [UInt32] = []

    /// Creates a decoder.
    public init() {}

    /// True when an incomplete escape sequence (or paste) is waiting for more input.
    public var hasPending: Bool { !pending.isEmpty || pasting }

    /// Decodes one input unit; returns the keys it completes (often none or one).
    public mutating func feed(_ input: RawInput) -> [Key] {
        switch input {
        case .wheel(let direction):
            return direction < 0 ? [.wheelUp] : direction > 0 ? [.wheelDown] : []
        case .keyCode(let code, let name):
            var keys = flush()
            if pasting {
                return keys
            }
            if let key = KeyDecoder.decodeKeyCode(code, name: name) { keys.append(key) }
            return keys
        case .character(let value):
            return feedCharacter(value)
        }
    }

    /// Decodes a sequence of inputs (for tests and for a drained read).
    public mutating func feed(_ inputs: [RawInput]) -> [Key] { inputs.flatMap { feed($0) } }

    /// Decodes bytes/scalars as if typed (for tests).
    public mutating func feed(text: String) -> [Key] {
        text.unicodeScalars.flatMap { feed(.character($0.value)) }
    }

    /// Gives up waiting: a pending lone ESC becomes `.escape`, a partial sequence becomes its
    /// characters (Alt-less). A paste in progress is not flushed.
    public mutating func flush() -> [Key] {
        guard !pending.isEmpty, !pasting else { return [] }
        let sequence = pending
        pending = []
        if sequence == [0x1B] { return [.escape] }
        // ESC followed by something we could not finish: report Escape then the rest as typed.
        var keys: [Key] = [.escape]
        for value in sequence.dropFirst() { keys += KeyDecoder.decodePlain(value) }
        return keys
    }

    // MARK: Characters and escape sequences

    private mutating func feedCharacter(_ value: UInt32) -> [Key] {
        if pasting { return feedPaste(value) }
        if pending.isEmpty {
            if value == 0x1B {
                pending = [value]
                return []
            }
            return KeyDecoder.decodePlain(value)
        }
        pending.append(value)
        return decodePending()
    }

    private mutating func decodePending() -> [Key] {
        let p = pending
        if p.count == 2 {
            switch p[1] {
            case 0x5B, 0x4F: return []  // ESC [ or ESC O: a sequence follows
            case 0x1B:
                pending = [0x1B]
                return [.escape]
            default:
                pending = []
                // Alt + key: ESC then the key's own byte.
                if let s = Unicode.Scalar(p[1]) {
                    if p[1] == 0x7F || p[1] == 0x08 { return [.alt("\u{7F}")] }
                    if p[1] == 0x0D { return [.enter] }
                    if p[1] < 0x20 { return [.escape] + KeyDecoder.decodePlain(p[1]) }
                    return [.alt(Character(s))]
                }
                return [.escape]
            }
        }
        // ESC O x (SS3): arrows/Home/End/F1-F4 in application mode.
        if p[1] == 0x4F {
            pending = []
            return KeyDecoder.decodeFinal(p[2], parameters: [], tilde: false).map { [$0] } ?? []
        }
        // ESC [ params final
        let last = p[p.count - 1]
        if last >= 0x40 && last <= 0x7E {
            pending = []
            let body = String(String.UnicodeScalarView(p[2..<(p.count - 1)].compactMap(Unicode.Scalar.init)))
            if body.hasPrefix("<") { return KeyDecoder.decodeSGRMouse(body, final: last) }
            let parameters = body.split(separator: ";").map { Int($0) ?? 1 }
            if last == 0x7E && parameters.first == 200 {
                pasting = true
                paste = []
                return []
            }
            return KeyDecoder.decodeFinal(last, parameters: parameters, tilde: last == 0x7E).map { [$0] } ?? []
        }
        if p.count > 32 || !(last >= 0x20 && last <= 0x3F) {
            // Not a CSI after all (or garbage): drop it rather than grow.
            pending = []
            return []
        }
        return []
    }

    private static let pasteEnd: [UInt32] = [0x1B, 0x5B, 0x32, 0x30, 0x31, 0x7E]  // ESC [201~

    private mutating func feedPaste(_ value: UInt32) -> [Key] {
        paste.append(value)
        if paste.count >= 6 && Array(paste.suffix(6)) == KeyDecoder.pasteEnd {
            paste.removeLast(6)
            pasting = false
            return [.paste(KeyDecoder.string(paste))].filter { $0 != .paste("") }
        }
        if paste.count >= maximumPasteLength {
            // Keep a possible partial end marker for the next piece.
            let keep = 5
            let piece = Array(paste.dropLast(keep))
            paste = Array(paste.suffix(keep))
            return [.paste(KeyDecoder.string(piece))]
        }
        return []
    }

    private static func string(_ values: [UInt32]) -> String {
        var view = String.UnicodeScalarView()
        for v in values { if let s = Unicode.Scalar(v) { view.append(s) } }
        return String(view)
    }

    /// A single character with no escape prefix.
    static func decodePlain(_ value: UInt32) -> [Key] {
        switch value {
        case 0x0D: return [.enter]
        case 0x09: return [.tab]
        case 0x7F, 0x08: return [.backspace]
        case 0x1B: return [.escape]
        case 0x00: return [.control(" ")]
        case 0x01...0x1A:
            return [.control(Character(Unicode.Scalar(value + 0x60)!))]  // 0x0A is Ctrl-J
        case 0x1C...0x1F: return []
        default:
            guard let scalar = Unicode.Scalar(value) else { return [] }
            return [.character(Character(scalar))]
        }
    }

    /// CSI/SS3 final byte (and `~` numbers) to a key; parameters[1] is the xterm modifier.
    static func decodeFinal(_ final: UInt32, parameters: [Int], tilde: Bool) -> Key? {
        let modifiers = KeyModifiers(xtermParameter: parameters.count > 1 ? parameters[1] : 1)
        if tilde {
            switch parameters.first ?? 0 {
            case 1, 7: return .home(modifiers)
            case 4, 8: return .end(modifiers)
            case 2: return .insert
            case 3: return .delete
            case 5: return .pageUp
            case 6: return .pageDown
            case 11...15: return .function(parameters[0] - 10)
            case 17...21: return .function(parameters[0] - 11)
            case 23, 24: return .function(parameters[0] - 12)
            default: return nil
            }
        }
        switch final {
        case 0x41: return .arrow(.up, modifiers)  // A
        case 0x42: return .arrow(.down, modifiers)  // B
        case 0x43: return .arrow(.right, modifiers)  // C
        case 0x44: return .arrow(.left, modifiers)  // D
        case 0x48: return .home(modifiers)  // H
        case 0x46: return .end(modifiers)  // F
        case 0x5A: return .backTab  // Z
        case 0x50...0x53: return .function(Int(final - 0x50) + 1)  // P Q R S: F1-F4
        default: return nil
        }
    }

    /// SGR mouse report `ESC [ < b ; x ; y M`: only the wheel is used.
    static func decodeSGRMouse(_ body: String, final: UInt32) -> [Key] {
        let fields = body.dropFirst().split(separator: ";").compactMap { Int($0) }
        guard final == 0x4D, let button = fields.first else { return [] }
        switch button & ~(4 | 8 | 16) {
        case 64: return [.wheelUp]
        case 65: return [.wheelDown]
        default: return []
        }
    }

    // MARK: Curses key codes

    /// Maps a curses key code (with its keyname for run-time extended codes) to a key.
    static func decodeKeyCode(_ code: Int32, name: String?) -> Key? {
        switch code {
        case CursesKeyCode.up: return .arrow(.up, [])
        case CursesKeyCode.down: return .arrow(.down, [])
        case CursesKeyCode.left: return .arrow(.left, [])
        case CursesKeyCode.right: return .arrow(.right, [])
        case CursesKeyCode.shiftLeft: return .arrow(.left, .shift)
        case CursesKeyCode.shiftRight: return .arrow(.right, .shift)
        case CursesKeyCode.home: return .home([])
        case CursesKeyCode.end: return .end([])
        case CursesKeyCode.pageUp: return .pageUp
        case CursesKeyCode.pageDown: return .pageDown
        case CursesKeyCode.backspace: return .backspace
        case CursesKeyCode.delete: return .delete
        case CursesKeyCode.insert: return .insert
        case CursesKeyCode.enter: return .enter
        case CursesKeyCode.backTab: return .backTab
        case CursesKeyCode.resize: return .resize
        case CursesKeyCode.f0 + 1...CursesKeyCode.f0 + 24: return .function(Int(code - CursesKeyCode.f0))
        default: break
        }
        // ncurses names modified keys it learned from terminfo: kUP5 = Ctrl-Up, kLFT3 = Alt-Left,
        // kHOM5, kEND5, kDC5 ... The digit is the xterm modifier parameter.
        guard let name, name.hasPrefix("k"), let digit = name.last?.wholeNumberValue else { return nil }
        let modifiers = KeyModifiers(xtermParameter: digit)
        switch String(name.dropFirst().dropLast()) {
        case "UP": return .arrow(.up, modifiers)
        case "DN": return .arrow(.down, modifiers)
        case "LFT": return .arrow(.left, modifiers)
        case "RIT": return .arrow(.right, modifiers)
        case "HOM": return .home(modifiers)
        case "END": return .end(modifiers)
        case "DC": return .delete
        default: return nil
        }
    }
}

/// ncurses key code values (from `curses.h`; stable across ncurses 5 and 6), kept here so the
/// decoder needs no curses import and stays testable.
enum CursesKeyCode {
    static let down: Int32 = 0o402
    static let up: Int32 = 0o403
    static let left: Int32 = 0o404
    static let right: Int32 = 0o405
    static let home: Int32 = 0o406
    static let backspace: Int32 = 0o407
    static let f0: Int32 = 0o410
    static let delete: Int32 = 0o512
    static let insert: Int32 = 0o513
    static let pageDown: Int32 = 0o522
    static let pageUp: Int32 = 0o523
    static let enter: Int32 = 0o527
    static let backTab: Int32 = 0o541
    static let end: Int32 = 0o550
    static let shiftLeft: Int32 = 0o611
    static let shiftRight: Int32 = 0o622
    static let mouse: Int32 = 0o631
    static let resize: Int32 = 0o632
}
