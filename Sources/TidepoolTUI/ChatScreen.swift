import TidepoolChat

/// The whole chat frame for one state: panes, pool panel, input, status line, and the help or
/// comparison overlay on top. A pure function of its arguments, safe at any terminal size
/// (down to 0x0): areas that do not fit are left out, never drawn out of bounds.
public enum ChatScreen {
    /// The side panel's preferred width.
    public static let panelWidth = 34

    /// Renders a frame.
    /// - Parameters:
    ///   - state: what to show.
    ///   - editor: the draft (copied: rendering only adjusts its scroll position).
    ///   - theme: the resolved theme.
    ///   - width, height: the terminal size.
    /// - Returns: the cells, and where the terminal cursor belongs (nil: hide it, e.g. while
    ///   an overlay is open or the input has no room).
    public static func render(
        state: AppState, editor: LineEditor, theme: Theme, width: Int, height: Int, cache: TranscriptCache? = nil
    ) -> (screen: Screen, cursor: (x: Int, y: Int)?) {
        var editor = editor
        return render(state: state, editor: &editor, theme: theme, width: width, height: height, cache: cache)
    }

    /// Renders a frame, keeping the editor's scroll position for the next one.
    ///   - cache: rendered turns kept between frames (the chat loop passes one; nil renders
    ///     every turn afresh).
    ///   - canvas: a screen no longer shown to draw into (its storage is reused; nil after
    ///     the call), e.g. the frame before last; nil allocates a new one.
    public static func render(
        state: AppState, editor: inout LineEditor, theme: Theme, width: Int, height: Int, cache: TranscriptCache? = nil,
        canvas: inout Screen?
    ) -> (screen: Screen, cursor: (x: Int, y: Int)?) {
        // Moved out, not copied: the storage stays uniquely referenced, so `reset` reuses it.
        var screen = Screen(width: 0, height: 0)
        if canvas != nil { swap(&screen, &canvas!) }
        canvas = nil
        screen.reset(width: width, height: height, fill: .blank(theme[.text]))
        let cursor = draw(state: state, editor: &editor, theme: theme, width: width, height: height, cache: cache,
                          into: &screen)
        return (screen, cursor)
    }

    /// Renders a frame, keeping the editor's scroll position for the next one.
    public static func render(
        state: AppState, editor: inout LineEditor, theme: Theme, width: Int, height: Int, cache: TranscriptCache? = nil
    ) -> (screen: Screen, cursor: (x: Int, y: Int)?) {
        var screen = Screen(width: width, height: height, fill: .blank(theme[.text]))
        let cursor = draw(state: state, editor: &editor, theme: theme, width: width, height: height, cache: cache,
                          into: &screen)
        return (screen, cursor)
    }

    /// Draws everything into `screen` (blank, of the terminal's size); returns the cursor.
    private static func draw(
        state: AppState, editor: inout LineEditor, theme: Theme, width: Int, height: Int, cache: TranscriptCache?,
        into screen: inout Screen
    ) -> (x: Int, y: Int)? {
        defer { cache?.endFrame() }
        let layout = self.layout(state: state, editor: editor, width: width, height: height)

        for (index, rect) in layout.panes.enumerated() {
            guard let rect, state.panes.indices.contains(index) else { continue }
            var pane = PaneView(pane: state.panes[index], number: index + 1, focused: index == state.focused,
                                compact: layout.compact, cache: cache)
            // Panes come first, onto the blank frame, and never overlap.
            pane.areaIsBlank = true
            pane.render(into: &screen, area: rect, theme: theme)
        }
        if state.panes.isEmpty {
            let main = Rect(x: 0, y: 0, width: width - (layout.panel?.width ?? 0), height: layout.input.y)
            for (row, line) in WordWrapper.wrap("no panes: Alt-N opens one", style: theme[.dim], width: max(1, main.width))
                .prefix(main.height).enumerated()
            {
                screen.put(line, x: main.x, y: main.y + row, maxWidth: main.width)
            }
        }
        if let panel = layout.panel {
            PoolPanelView(stats: state.pool, bordered: !layout.compact, servers: state.servers).render(into: &screen, area: panel, theme: theme)
        }
        if let infoBar = layout.infoBar {
            InfoBarView(stats: state.pool, showsPool: layout.panelCollapsed, hiddenPanes: layout.hiddenPanes)
                .render(into: &screen, area: infoBar, theme: theme)
        }
        var cursor = InputView(state: state, compact: layout.compact)
            .render(into: &screen, area: layout.input, theme: theme, editor: &editor)
        StatusBarView(state: state).render(into: &screen, area: layout.status, theme: theme)

        if state.helpVisible {
            HelpOverlay().render(into: &screen, area: screen.bounds, theme: theme)
            cursor = nil
        } else if let board = state.leaderboard {
            LeaderboardView(board: board).render(into: &screen, area: screen.bounds, theme: theme)
            cursor = nil
        } else if state.comparisonVisible {
            ComparisonView(state: state).render(into: &screen, area: screen.bounds, theme: theme)
            cursor = nil
        } else if let found = state.historyHits {
            HistoryHitsOverlay(query: found.query, hits: found.hits).render(into: &screen, area: screen.bounds, theme: theme)
            cursor = nil
        }
        return cursor
    }

    /// The layout a frame uses (exposed so the caller can size Page Up/Down to a pane).
    public static func layout(state: AppState, editor: LineEditor, width: Int, height: Int) -> ChatLayout {
        ChatLayout(
            width: width, height: height, paneCount: state.panes.count, showPanel: state.panelVisible,
            panelWidth: panelWidth, draftLines: editor.lineCount,
            zoomedPane: state.zoomed && state.panes.indices.contains(state.focused) ? state.focused : nil)
    }
}
