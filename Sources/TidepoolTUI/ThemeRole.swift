/// A named purpose a colour serves. Views ask the theme for a role, never for a colour, so a
/// theme file can restyle everything and `NO_COLOR` still reads well.
public enum ThemeRole: String, CaseIterable, Hashable, Sendable {
    /// Ordinary text and the screen background.
    case text
    /// Secondary text: timestamps, hints.
    case dim
    /// Pane and panel borders.
    case border
    /// The focused pane's border.
    case borderFocused
    /// Pane titles.
    case title
    /// The focused pane's title.
    case titleFocused
    /// The user's own messages.
    case user
    /// Model replies.
    case assistant
    /// A model's reasoning ("thinking") text.
    case reasoning
    /// Markdown **bold**.
    case bold
    /// Markdown *italics*.
    case italic
    /// Inline `code`.
    case code
    /// Fenced code blocks.
    case codeBlock
    /// Markdown headings.
    case heading
    /// `>` quotes.
    case quote
    /// Links and URLs.
    case link
    /// List bullets and numbers.
    case listMarker
    /// Errors.
    case error
    /// Warnings.
    case warning
    /// Success and healthy states.
    case ok
    /// Emphasis that is neither good nor bad (model names, counts).
    case accent
    /// Labels in the side panel.
    case panelLabel
    /// Values in the side panel.
    case panelValue
    /// The empty part of a bar.
    case bar
    /// The filled part of a bar (active use).
    case barFill
    /// Waiting work shown on a bar (queued requests).
    case barQueued
    /// Sparklines.
    case sparkline
    /// A highlighted item (search hit, selected pane).
    case highlight
    /// Something needing attention now (pool exhausted).
    case alert
    /// Selected text or list row.
    case selection
    /// The status line.
    case statusBar
    /// Key names inside the status line.
    case statusKey
    /// The input area.
    case input
    /// The input area's placeholder text.
    case inputPlaceholder
    /// Help text.
    case help
    /// Key names in help.
    case helpKey

    /// The attributes a role keeps in monochrome (`NO_COLOR`) mode, chosen so every role stays
    /// distinguishable with no colour at all; also added in 8-colour mode when a colour had to
    /// fall back to the terminal default.
    public var monochromeAttributes: TextAttributes {
        switch self {
        case .text, .assistant, .codeBlock, .ok, .sparkline, .input, .help: return []
        case .dim, .border, .panelLabel, .bar, .inputPlaceholder: return .dim
        case .borderFocused, .title, .user, .bold, .listMarker, .warning, .accent, .panelValue,
            .barFill, .helpKey:
            return .bold
        case .titleFocused: return [.bold, .underline]
        case .reasoning: return [.dim, .italic]
        case .italic, .quote: return .italic
        case .code, .link: return .underline
        case .heading: return [.bold, .underline]
        case .error, .alert: return [.bold, .reverse]
        case .barQueued: return [.bold, .underline]
        case .highlight, .selection, .statusBar: return .reverse
        case .statusKey: return [.bold, .reverse]
        }
    }
}
