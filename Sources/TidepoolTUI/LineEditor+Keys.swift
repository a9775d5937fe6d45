import TidepoolChat

extension LineEditor {
    /// The editing step a key means, or nil for keys the editor does not use (Enter, Tab,
    /// F-keys...), which the app binds instead.
    public static func command(for key: Key) -> EditCommand? {
        switch key {
        case .character(let c): return .insert(String(c))
        case .paste(let text): return .insert(text)
        case .control("j"): return .insert("\n")
        case .arrow(.left, let m) where m.contains(.control) || m.contains(.alt): return .wordLeft
        case .arrow(.right, let m) where m.contains(.control) || m.contains(.alt): return .wordRight
        case .alt("b"): return .wordLeft
        case .alt("f"): return .wordRight
        case .arrow(.left, _), .control("b"): return .left
        case .arrow(.right, _), .control("f"): return .right
        case .home, .control("a"): return .lineStart
        case .end, .control("e"): return .lineEnd
        case .control("k"): return .killToLineEnd
        case .control("u"): return .killToLineStart
        case .control("w"), .alt("\u{7F}"): return .killWordBefore
        case .control("y"): return .yank
        case .backspace, .control("h"): return .deleteBackward
        case .delete, .control("d"): return .deleteForward
        case .arrow(.up, _), .control("p"): return .up
        case .arrow(.down, _), .control("n"): return .down
        default: return nil
        }
    }

    /// Applies a key, measuring characters as the terminal draws them; returns false when the
    /// editor does not use it (e.g. Enter, Tab, F-keys).
    @discardableResult
    public mutating func handle(_ key: Key) -> Bool {
        guard let command = Self.command(for: key) else { return false }
        apply(command, columnWidth: TextWidth.width(of:))
        return true
    }
}
