/// A decoded key press (or paste, wheel, resize): what the app's update function receives.
/// Backend-independent, so editing and key bindings are tested without a terminal.
public enum Key: Hashable, Sendable {
    /// A printable character.
    case character(Character)
    /// Enter / Return.
    case enter
    /// Tab.
    case tab
    /// Shift-Tab.
    case backTab
    /// Backspace.
    case backspace
    /// Delete (forward).
    case delete
    /// Insert.
    case insert
    /// A lone Escape.
    case escape
    /// Control plus a letter (lowercase), e.g. `.control("j")` for Ctrl-J.
    case control(Character)
    /// Alt (Meta) plus a character, e.g. `.alt("b")`.
    case alt(Character)
    /// An arrow key with modifiers.
    case arrow(Direction, KeyModifiers)
    /// Home, with modifiers.
    case home(KeyModifiers)
    /// End, with modifiers.
    case end(KeyModifiers)
    /// Page Up.
    case pageUp
    /// Page Down.
    case pageDown
    /// A function key F1...F24.
    case function(Int)
    /// Bracketed paste: the pasted text, verbatim (not sanitised: it is the user's own text,
    /// but controls are still filtered before display).
    case paste(String)
    /// Mouse wheel up.
    case wheelUp
    /// Mouse wheel down.
    case wheelDown
    /// The terminal changed size.
    case resize

    /// Arrow directions.
    public enum Direction: Hashable, Sendable {
        /// Up.
        case up
        /// Down.
        case down
        /// Left.
        case left
        /// Right.
        case right
    }
}

/// Modifier keys held with a special key.
public struct KeyModifiers: OptionSet, Hashable, Sendable {
    /// The raw bits.
    public let rawValue: UInt8
    /// Creates modifiers from raw bits.
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// Shift.
    public static let shift = KeyModifiers(rawValue: 1)
    /// Alt / Meta.
    public static let alt = KeyModifiers(rawValue: 2)
    /// Control.
    public static let control = KeyModifiers(rawValue: 4)

    /// From the xterm modifier parameter (`ESC [ 1 ; m X`): m - 1 is a bit set of shift (1),
    /// alt (2), control (4).
    public init(xtermParameter m: Int) {
        let bits = max(0, m - 1)
        var value: KeyModifiers = []
        if bits & 1 != 0 { value.insert(.shift) }
        if bits & 2 != 0 { value.insert(.alt) }
        if bits & 4 != 0 { value.insert(.control) }
        self = value
    }
}
