/// How many colours the terminal can show, which decides how a theme resolves its roles.
public enum ColorMode: String, Hashable, Sendable {
    /// xterm-256 palette.
    case xterm256
    /// The 8 basic ANSI colours.
    case ansi8
    /// No colour at all: attributes only (`NO_COLOR`, or a terminal without colour).
    case monochrome

    /// Picks the mode from the environment and the terminal's colour count.
    ///
    /// `NO_COLOR` set to any non-empty value wins (https://no-color.org), whatever the terminal
    /// supports.
    public static func detect(environment: [String: String], terminalColors: Int) -> ColorMode {
        if let value = environment["NO_COLOR"], !value.isEmpty { return .monochrome }
        if terminalColors >= 256 { return .xterm256 }
        if terminalColors >= 8 { return .ansi8 }
        return .monochrome
    }
}
