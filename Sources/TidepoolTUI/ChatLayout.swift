/// Where everything goes on the chat screen, for a terminal size. Pure arithmetic, so every
/// size can be tested, including the tiny ones that must not crash.
///
/// - Panes sit side by side, up to 4 columns (fewer if each would be narrower than
///   `minimumPaneWidth`), then wrap into rows; the last row's panes share its width.
/// - The side panel (if requested) takes `panelWidth` columns on the right on terminals at
///   least `panelCollapseWidth` wide. Narrower, it collapses to the one-line `infoBar` under
///   the panes (a 32-column panel beside 3-line panes helps nobody on 80 columns).
/// - When not every pane fits (too few rows for them), the `infoBar` also carries how many
///   are hidden (`hiddenPanes`), so a pane never disappears without notice.
/// - The input area is at the bottom, growing with the draft (1...`maximumInputLines` lines plus
///   its border), the status line below it.
/// - `compact` is set when the terminal is too small for borders (under 30x10): views should
///   then draw without frames, and the input is one unbordered line.
/// - A zoomed pane takes the whole pane area; the others are hidden (nil).
public struct ChatLayout: Hashable, Sendable {
    /// One rectangle per pane, in pane order; nil for a pane not shown (zoom, or no room).
    public var panes: [Rect?]
    /// The side panel, or nil when hidden.
    public var panel: Rect?
    /// The input area (including its border unless `compact`).
    public var input: Rect
    /// The status line (one row), possibly empty on a tiny terminal.
    public var status: Rect
    /// True when borders should be left out.
    public var compact: Bool
    /// One row under the panes: the pool panel's summary when the panel is collapsed, and the
    /// count of hidden panes; nil when neither is needed or there is no room.
    public var infoBar: Rect?
    /// Whether the `infoBar` stands for the collapsed side panel.
    public var panelCollapsed = false
    /// Panes that got no rectangle for lack of room (not counting those a zoom hides).
    public var hiddenPanes = 0

    /// Narrowest terminal that gets the side panel; below it the panel collapses to a line.
    public static let panelCollapseWidth = 120

    /// Narrowest pane worth showing side by side.
    public static let minimumPaneWidth = 24
    /// Input lines shown before the draft scrolls.
    public static let maximumInputLines = 8

    /// Computes the layout.
    /// - Parameters:
    ///   - width, height: the terminal size.
    ///   - paneCount: number of chat panes (0 is allowed: the area is then unused).
    ///   - showPanel: whether the user wants the side panel.
    ///   - panelWidth: the panel's preferred width.
    ///   - draftLines: lines in the input draft (the input grows with it).
    ///   - zoomedPane: index of a zoomed pane, if any.
    public init(
        width: Int, height: Int, paneCount: Int, showPanel: Bool = true, panelWidth: Int = 34,
        draftLines: Int = 1, zoomedPane: Int? = nil
    ) {
        let width = max(0, width)
        let height = max(0, height)
        let paneCount = max(0, paneCount)
        compact = width < 30 || height < 10
        let screen = Rect(x: 0, y: 0, width: width, height: height)

        // Status line, then the input above it.
        let statusHeight = height >= 3 ? 1 : 0
        status = Rect(x: 0, y: height - statusHeight, width: width, height: statusHeight)
        let wantedLines = min(max(1, draftLines), ChatLayout.maximumInputLines)
        let available = height - statusHeight
        var inputHeight: Int
        if compact {
            inputHeight = min(min(wantedLines, 2), max(0, available - 1))
            if available == 1 { inputHeight = 1 }
        } else {
            // Never more than a third of the rows, so the conversation stays visible.
            inputHeight = min(wantedLines + 2, max(3, available / 3))
        }
        inputHeight = max(0, min(inputHeight, available))
        input = Rect(x: 0, y: available - inputHeight, width: width, height: inputHeight)

        var main = screen.inset(bottom: statusHeight + inputHeight)
        panel = nil
        infoBar = nil
        let panelCols = min(max(20, panelWidth), width / 2)
        if showPanel && !compact && width < ChatLayout.panelCollapseWidth && main.height >= 4 {
            infoBar = Rect(x: main.x, y: main.bottom - 1, width: main.width, height: 1)
            panelCollapsed = true
            main = main.inset(bottom: 1)
        } else if showPanel && !compact && width - panelCols >= ChatLayout.minimumPaneWidth && main.height >= 3 {
            let parts = main.splitColumns([.fill(1), .length(panelCols)])
            main = parts[0]
            panel = parts[1]
        }

        panes = Array(repeating: nil, count: paneCount)
        guard paneCount > 0, !main.isEmpty else { return }
        if let zoomed = zoomedPane, zoomed >= 0, zoomed < paneCount {
            panes[zoomed] = main
            return
        }
        panes = ChatLayout.place(paneCount: paneCount, in: main, compact: compact)
        hiddenPanes = panes.filter { $0 == nil }.count
        if hiddenPanes > 0 && infoBar == nil && main.height >= 2 {
            // Room for the notice comes from the panes' rows (the panel keeps its height).
            infoBar = Rect(x: main.x, y: main.bottom - 1, width: main.width, height: 1)
            panes = ChatLayout.place(paneCount: paneCount, in: main.inset(bottom: 1), compact: compact)
            hiddenPanes = panes.filter { $0 == nil }.count
        }
    }

    /// Panes in rows of up to four columns inside `main`; nil for those with no room.
    private static func place(paneCount: Int, in main: Rect, compact: Bool) -> [Rect?] {
        var panes = [Rect?](repeating: nil, count: paneCount)
        guard paneCount > 0, !main.isEmpty else { return panes }
        let maxColumns = max(1, min(4, main.width / ChatLayout.minimumPaneWidth))
        let columns = min(paneCount, maxColumns)
        var rows = (paneCount + columns - 1) / columns
        // Each pane needs a row of text at least (3 rows with a border); show fewer rows of
        // panes rather than panes with no room, the rest stay hidden (nil).
        let minimumHeight = compact ? 1 : 3
        rows = min(rows, max(1, main.height / minimumHeight))
        let rowRects = main.equalRows(rows)
        var index = 0
        for (r, rowRect) in rowRects.enumerated() {
            let remaining = paneCount - index
            let inThisRow = r == rows - 1 ? min(remaining, columns) : min(columns, remaining)
            for rect in rowRect.equalColumns(inThisRow) where index < paneCount {
                panes[index] = rect.isEmpty ? nil : rect
                index += 1
            }
        }
        return panes
    }
}
