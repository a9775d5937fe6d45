import TidepoolChat

/// The chat screen's key bindings, in one table: ``bindings`` drives both ``action(for:in:)``
/// and the help overlay.
///
/// Choices, where keys compete:
/// - The draft editor keeps its Emacs keys (Ctrl-A/E/K/U/W/Y/D/H/F/N, Alt-B/F), so commands
///   that would collide live on Alt: close pane is Alt-W (Ctrl-W deletes a word), copy is
///   Alt-C (Ctrl-Y yanks), `$EDITOR` is Alt-E (Ctrl-E is end of line).
/// - Ctrl-B (broadcast) and Ctrl-P (panel) win over the editor's cursor-left and line-up; the
///   arrow keys still do those.
/// - Zoom is F11 or Alt-Z, not Ctrl-Z, which a shell may take to suspend the process.
/// - `?` opens help only on an empty draft (otherwise it is typed); End jumps to the newest
///   text only on an empty draft (otherwise it moves to the end of the line); Ctrl-End always.
/// - Votes live on Alt keys no editor or pane command uses: Alt-V (this pane's answer is
///   best), Alt-= (tie), Alt-X (all bad); in the comparison (F2) the bare keys 1-9, `=` and
///   `x` vote too, as nothing is typed there. The leaderboard is F3 or Alt-G.
/// - Ctrl-C quits like Ctrl-Q (asking first while something streams): the app reads keys in
///   raw mode, so Ctrl-C never arrives as a signal.
public enum KeyMap {
    /// What the decision depends on besides the key.
    public struct Context: Sendable, Equatable {
        /// The help overlay is open.
        public var helpVisible: Bool
        /// The comparison overlay is open.
        public var comparisonVisible: Bool
        /// The leaderboard overlay is open.
        public var leaderboardVisible: Bool
        /// "Still streaming: quit? y/n" is showing.
        public var confirmingQuit: Bool
        /// The draft in the editor is empty.
        public var draftIsEmpty: Bool
        /// Lines one Page Up/Down scrolls (about a pane's height).
        public var pageLines: Int

        /// Creates a context.
        public init(
            helpVisible: Bool = false, comparisonVisible: Bool = false, confirmingQuit: Bool = false,
            draftIsEmpty: Bool = true, pageLines: Int = 10, leaderboardVisible: Bool = false
        ) {
            self.helpVisible = helpVisible
            self.comparisonVisible = comparisonVisible
            self.leaderboardVisible = leaderboardVisible
            self.confirmingQuit = confirmingQuit
            self.draftIsEmpty = draftIsEmpty
            self.pageLines = pageLines
        }

        /// The context for an app state and the editor's draft.
        public init(state: AppState, draftIsEmpty: Bool, pageLines: Int = 10) {
            self.init(
                helpVisible: state.helpVisible, comparisonVisible: state.comparisonVisible,
                confirmingQuit: state.confirmingQuit, draftIsEmpty: draftIsEmpty, pageLines: pageLines,
                leaderboardVisible: state.leaderboard != nil)
        }
    }

    /// Lines one wheel notch scrolls.
    public static let wheelLines = 3

    /// Every binding, in the order the help lists them.
    public static let bindings: [KeyBinding] = [
        KeyBinding(keys: [.enter], names: "Enter", summary: "send the prompt", action: .submit,
                   hint: (key: "Enter", action: "send")),
        KeyBinding(keys: [.control("j")], names: "Ctrl-J", summary: "new line", action: .edit,
                   hint: (key: "Ctrl-J", action: "newline")),
        KeyBinding(keys: [.arrow(.up, []), .arrow(.down, [])], names: "Up/Down", summary: "earlier prompts", action: .edit),
        KeyBinding(keys: [.tab], names: "Tab", summary: "next pane", action: .message(.focusNext),
                   hint: (key: "Tab", action: "next pane")),
        KeyBinding(keys: [.backTab], names: "Shift-Tab", summary: "previous pane", action: .message(.focusPrevious)),
        KeyBinding(
            keys: (1...9).map { .alt(Character(String($0))) }, names: "Alt-1..9", summary: "focus pane N",
            action: .message(.focus(0)), isConditional: true),
        KeyBinding(keys: [.control("b")], names: "Ctrl-B", summary: "broadcast on/off", action: .message(.toggleBroadcast),
                   hint: (key: "Ctrl-B", action: "broadcast")),
        KeyBinding(keys: [.control("p")], names: "Ctrl-P", summary: "pool panel on/off", action: .message(.togglePanel)),
        KeyBinding(keys: [.function(11), .alt("z")], names: "F11/Alt-Z", summary: "zoom the pane", action: .message(.toggleZoom)),
        KeyBinding(keys: [.escape], names: "Esc", summary: "stop answer/close", action: .message(.cancelFocused), isConditional: true),
        KeyBinding(keys: [.control("x")], names: "Ctrl-X", summary: "stop every answer", action: .message(.cancelAll)),
        KeyBinding(keys: [.control("r")], names: "Ctrl-R", summary: "retry last prompt", action: .message(.retryLast)),
        KeyBinding(keys: [.control("l")], names: "Ctrl-L", summary: "clear the pane", action: .message(.clearFocused)),
        KeyBinding(keys: [.alt("w")], names: "Alt-W", summary: "close the pane", action: .message(.closeFocused)),
        KeyBinding(keys: [.alt("n")], names: "Alt-N", summary: "new pane", action: .openModelPicker(.newPane)),
        KeyBinding(keys: [.alt("m")], names: "Alt-M", summary: "change model", action: .openModelPicker(.changeModel)),
        KeyBinding(keys: [.alt("s")], names: "Alt-S", summary: "system prompt", action: .editSystemPrompt(allPanes: false)),
        KeyBinding(keys: [.alt("a"), .alt("S")], names: "Alt-A/Alt-Shift-S", summary: "system prompt (all)", action: .editSystemPrompt(allPanes: true)),
        KeyBinding(keys: [.alt("c")], names: "Alt-C", summary: "copy last answer", action: .message(.copyLastAnswer)),
        KeyBinding(keys: [.alt("e")], names: "Alt-E", summary: "prompt in $EDITOR", action: .openExternalEditor),
        KeyBinding(keys: [.alt("h")], names: "Alt-H", summary: "search history", action: .searchHistory),
        KeyBinding(keys: [.alt("t")], names: "Alt-T", summary: "rename session", action: .renameSession),
        KeyBinding(keys: [.control("t")], names: "Ctrl-T", summary: "next theme", action: .nextTheme),
        KeyBinding(keys: [.function(2), .alt("k")], names: "F2/Alt-K", summary: "compare broadcast", action: .message(.toggleComparison)),
        KeyBinding(keys: [.alt("v"), .alt("="), .alt("x")], names: "Alt-V/=/X", summary: "vote best/tie/bad",
                   action: .message(.vote(.bestFocused)), isConditional: true),
        KeyBinding(keys: [.function(3), .alt("g")], names: "F3/Alt-G", summary: "model leaderboard", action: .message(.toggleLeaderboard)),
        KeyBinding(keys: [.alt("l")], names: "Alt-L", summary: "lock pane scrolling", action: .message(.toggleScrollLock)),
        KeyBinding(keys: [.alt("r")], names: "Alt-R", summary: "fold reasoning", action: .message(.toggleReasoning)),
        KeyBinding(keys: [.pageUp], names: "PgUp", summary: "scroll up a page", action: .message(.scroll(lines: 10)), isConditional: true),
        KeyBinding(keys: [.pageDown], names: "PgDn", summary: "scroll down a page", action: .message(.scroll(lines: -10)), isConditional: true),
        KeyBinding(keys: [.wheelUp, .wheelDown], names: "Wheel", summary: "scroll 3 lines", action: .message(.scroll(lines: 3)), isConditional: true),
        KeyBinding(keys: [.end([.control]), .end([])], names: "Ctrl-End/End", summary: "jump to newest", action: .message(.scrollToBottom), isConditional: true),
        KeyBinding(keys: [.function(1), .character("?")], names: "F1/?", summary: "this help", action: .message(.toggleHelp), isConditional: true,
                   hint: (key: "F1", action: "help")),
        KeyBinding(keys: [.control("q"), .control("c")], names: "Ctrl-Q/Ctrl-C", summary: "quit", action: .message(.requestQuit),
                   hint: (key: "Ctrl-Q", action: "quit")),
    ]

    /// Unconditional bindings by key, built once from ``bindings``.
    private static let table: [Key: KeyAction] = {
        var table: [Key: KeyAction] = [:]
        for binding in bindings where !binding.isConditional {
            for key in binding.keys { table[key] = binding.action }
        }
        return table
    }()

    /// What `key` means in `context`.
    public static func action(for key: Key, in context: Context) -> KeyAction {
        if context.confirmingQuit {
            switch key {
            case .character("y"), .character("Y"): return .message(.confirmQuit)
            case .resize: return .ignore
            default: return .message(.dismissQuit)
            }
        }
        if context.helpVisible {
            switch key {
            case .escape, .function(1), .character("?"): return .message(.toggleHelp)
            case .control("q"), .control("c"): return .message(.requestQuit)
            default: return .ignore
            }
        }
        if context.leaderboardVisible {
            switch key {
            case .escape, .function(3), .alt("g"): return .message(.toggleLeaderboard)
            case .control("q"), .control("c"): return .message(.requestQuit)
            default: return .ignore
            }
        }
        if context.comparisonVisible {
            switch key {
            case .escape, .function(2), .alt("k"): return .message(.toggleComparison)
            case .control("q"), .control("c"): return .message(.requestQuit)
            case .character(let c) where ("1"..."9").contains(c):
                return .message(.vote(.best(paneNumber: Int(String(c))!)))
            case .character("="), .alt("="): return .message(.vote(.tie))
            case .character("x"), .character("X"), .alt("x"): return .message(.vote(.allBad))
            case .alt("v"): return .message(.vote(.bestFocused))
            default: return .ignore
            }
        }
        switch key {
        case .escape: return .message(.cancelFocused)
        case .alt(let c) where ("1"..."9").contains(c):
            return .message(.focus(Int(String(c))! - 1))
        case .alt("v"): return .message(.vote(.bestFocused))
        case .alt("="): return .message(.vote(.tie))
        case .alt("x"): return .message(.vote(.allBad))
        case .pageUp: return .message(.scroll(lines: max(1, context.pageLines)))
        case .pageDown: return .message(.scroll(lines: -max(1, context.pageLines)))
        case .wheelUp: return .message(.scroll(lines: wheelLines))
        case .wheelDown: return .message(.scroll(lines: -wheelLines))
        case .end(let modifiers) where modifiers.contains(.control): return .message(.scrollToBottom)
        case .end where context.draftIsEmpty: return .message(.scrollToBottom)
        case .function(1): return .message(.toggleHelp)
        case .character("?") where context.draftIsEmpty: return .message(.toggleHelp)
        case .resize: return .ignore
        default: break
        }
        if let action = table[key] { return action }
        switch key {
        case .character, .paste, .backspace, .delete, .arrow, .home, .end, .control, .alt: return .edit
        default: return .ignore
        }
    }
}
