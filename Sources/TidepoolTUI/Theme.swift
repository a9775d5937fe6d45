/// A colour scheme: a `Style` for every `ThemeRole`, resolved for the terminal's colour mode.
///
/// Each role has a full (256-colour) style and an 8-colour style; monochrome keeps only the
/// role's `monochromeAttributes` plus attributes the theme set itself. Views read
/// `theme[.heading]` and never think about colour depth.
public struct Theme: Hashable, Sendable {
    /// A role's style at each colour depth.
    public struct Entry: Hashable, Sendable {
        /// The style on a 256-colour terminal.
        public var full: Style
        /// The style on an 8-colour terminal.
        public var basic: Style

        /// Creates an entry.
        public init(full: Style, basic: Style) {
            self.full = full
            self.basic = basic
        }
    }

    /// The theme's name (its file name without `.toml`).
    public var name: String
    /// The colour depth styles are resolved for.
    public var mode: ColorMode
    /// Every role's entry.
    public private(set) var entries: [ThemeRole: Entry]

    /// Creates a theme; roles missing from `entries` get a colourless style with their
    /// monochrome attributes, so a partial theme is still complete.
    public init(name: String, mode: ColorMode = .xterm256, entries: [ThemeRole: Entry]) {
        self.name = name
        self.mode = mode
        var complete = entries
        for role in ThemeRole.allCases where complete[role] == nil {
            let style = Style(attributes: role.monochromeAttributes)
            complete[role] = Entry(full: style, basic: style)
        }
        // A theme that paints its own background (`text.bg`) gives it to every role that sets
        // none, so spans never punch terminal-default holes into the theme's background.
        let base = complete[.text]!
        for role in ThemeRole.allCases where role != .text {
            if complete[role]!.full.background == .default {
                complete[role]!.full.background = base.full.background
            }
            if complete[role]!.basic.background == .default {
                complete[role]!.basic.background = base.basic.background
            }
        }
        self.entries = complete
    }

    /// The style for a role at the current colour mode.
    public subscript(role: ThemeRole) -> Style {
        let entry = entries[role]!
        switch mode {
        case .xterm256: return entry.full
        case .ansi8: return entry.basic
        case .monochrome:
            return Style(attributes: entry.full.attributes.union(role.monochromeAttributes))
        }
    }

    /// The same theme resolved for another colour mode.
    public func with(mode newMode: ColorMode) -> Theme {
        var copy = self
        copy.mode = newMode
        return copy
    }

    /// The built-in default theme (`tidepool-dark`), parsed from text compiled into the binary
    /// so Tidepool works without its `themes/` directory.
    public static let `default`: Theme = {
        do {
            return try ThemeLoader.parse(Theme.defaultThemeText, source: "built-in tidepool-dark")
        } catch {
            // The embedded text is tested; this is only a last resort that stays readable.
            return Theme(name: "tidepool-dark", entries: [:])
        }
    }()

    /// A colourless theme for `NO_COLOR`.
    public static let monochrome = Theme(name: "monochrome", mode: .monochrome, entries: [:])
}
