import TidepoolPool

/// The one row under the panes on a small terminal (``ChatLayout/infoBar``): the pool panel
/// folded into a line when the terminal is too narrow for it, and, at the right, how many
/// panes did not fit and how to see them. The hidden-panes notice wins the room: a pane that
/// vanished without a word is worse than a shorter pool summary.
public struct InfoBarView: Widget, Sendable {
    /// The latest pool snapshot, nil before the first.
    public var stats: PoolManagerStats?
    /// Whether the row stands for the collapsed side panel (else only the notice is drawn).
    public var showsPool: Bool
    /// Panes that got no room.
    public var hiddenPanes: Int

    /// Creates the row.
    public init(stats: PoolManagerStats?, showsPool: Bool, hiddenPanes: Int) {
        self.stats = stats
        self.showsPool = showsPool
        self.hiddenPanes = hiddenPanes
    }

    /// The hidden-panes notice, or nil when every pane is shown.
    public static func hiddenNotice(_ count: Int) -> String? {
        guard count > 0 else { return nil }
        return count == 1
            ? "1 pane hidden: Tab focuses it, F11 zooms"
            : "\(count) panes hidden: Tab focuses them, F11 zooms"
    }

    /// The pool's figures in one line, most telling first, as many as fit in `width` (the
    /// user's requests: monitoring polls left out, as in the side panel):
    /// `Pool 127.0.0.1:8765 · conn 2/8 · queued 0 · req 12 ok 12 · reuse 83% · ttft p50 210 ms · Ctrl-P`.
    public static func summary(_ stats: PoolManagerStats?, width: Int) -> String {
        guard let stats, !stats.pools.isEmpty else { return "Pool: no data yet" }
        let total = stats.total
        let name = stats.pools.count == 1
            ? TerminalSanitizer.sanitize(stats.pools[0].origin?.hostAndPort ?? stats.pools[0].name)
            : "\(stats.pools.count) pools"
        let limit = stats.pools.reduce(0) { $0 + $1.limits.maxConnections }
        var fields = ["Pool \(name)", "conn \(total.open)/\(limit) (\(total.active) active)", "queued \(total.queuedNow)"]
        var requests = "req \(total.userRequestsStarted) ok \(total.userRequestsFinished)"
        if total.userRequestsFailed > 0 { requests += " failed \(total.userRequestsFailed)" }
        fields.append(requests)
        fields.append("reuse " + (total.userReuseRatio.map(Figures.percent) ?? Figures.missing))
        let ttft = total.latency(.timeToFirstToken)
        if ttft.count > 0 { fields.append("ttft p50 " + Figures.latency(ttft.p50)) }
        fields.append("Ctrl-P hides")
        var text = fields.removeFirst()
        for field in fields {
            let next = text + " · " + field
            guard TextWidth.width(of: next) <= width else { break }
            text = next
        }
        return text
    }

    /// Draws on the first row of `area`.
    public func render(into screen: inout Screen, area: Rect, theme: Theme) {
        guard !area.isEmpty else { return }
        let row = Rect(x: area.x, y: area.y, width: area.width, height: 1)
        screen.fill(row, with: .blank(theme[.text]))
        var right = 0
        if let notice = InfoBarView.hiddenNotice(hiddenPanes) {
            let text = Block.truncate(notice, to: area.width)
            right = TextWidth.width(of: text)
            screen.put(text, x: area.right - right, y: area.y, style: theme[.warning], maxWidth: right)
        }
        guard showsPool else { return }
        let room = area.width - right - (right > 0 ? 2 : 0)
        guard room > 4 else { return }
        let text = Block.truncate(InfoBarView.summary(stats, width: room), to: room)
        screen.put(text, x: area.x, y: area.y, style: theme[.panelLabel], maxWidth: room)
    }
}
