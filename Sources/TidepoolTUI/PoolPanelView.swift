import TidepoolChat
import TidepoolPool

/// The live side panel: one section per pool (origin, protocol, a gauge of its connections,
/// queue, requests, reuse, latency percentiles, a sparkline of recent totals), then the totals.
///
/// Every figure is counted by the pool; a measure without samples says "no data" rather than
/// showing zeros. When the height runs out, whole pool sections are kept and the rest become
/// "+N more".
public struct PoolPanelView: Widget, Sendable {
    /// The latest snapshot, nil before the first.
    public var stats: PoolManagerStats?
    /// Whether to draw the frame (false on tiny terminals).
    public var bordered: Bool
    /// The latest reading of each monitored server, by its pool's origin.
    public var servers: [Origin: ServerReading]

    /// Creates a panel view.
    public init(stats: PoolManagerStats?, bordered: Bool = true, servers: [Origin: ServerReading] = [:]) {
        self.stats = stats
        self.bordered = bordered
        self.servers = servers
    }

    /// One panel row.
    enum Row {
        case text(StyledLine)
        case gauge(Gauge)
        case sparkline(label: String, Sparkline)
    }

    /// Draws the panel into `area`.
    public func render(into screen: inout Screen, area: Rect, theme: Theme) {
        guard !area.isEmpty else { return }
        var inner = area
        if bordered && area.width >= 5 && area.height >= 3 {
            Block(title: "Pool").render(into: &screen, area: area, theme: theme)
            inner = Block().inner(area)
        } else {
            screen.fill(area, with: .blank(theme[.text]))
        }
        guard !inner.isEmpty else { return }
        guard let stats, !stats.pools.isEmpty else {
            screen.put("no data yet", x: inner.x, y: inner.y, style: theme[.dim], maxWidth: inner.width)
            return
        }
        let sections = stats.pools.map { pool in
            PoolPanelView.poolRows(pool, reading: pool.origin.flatMap { servers[$0] }, theme: theme)
        }
        let totals = PoolPanelView.totalRows(stats.total, theme: theme)
        var rows: [Row] = []
        var shown = 0
        for (index, section) in sections.enumerated() {
            let separator = rows.isEmpty ? 0 : 1
            let othersLeft = index < sections.count - 1
            let needed = separator + section.count + (othersLeft ? 1 : 0)
            guard rows.count + needed <= inner.height else { break }
            if separator == 1 { rows.append(.text(StyledLine())) }
            rows += section
            shown += 1
        }
        if shown == 0 {
            // Not even one whole pool fits: show what fits of the first.
            let room = inner.height - (sections.count > 1 ? 1 : 0)
            rows = Array(sections[0].prefix(max(1, room)))
            shown = 1
        }
        if shown < sections.count && rows.count < inner.height {
            rows.append(.text(StyledLine("+\(sections.count - shown) more", style: theme[.dim])))
        }
        if stats.pools.count > 1 && rows.count + 1 + totals.count <= inner.height {
            rows.append(.text(StyledLine()))
            rows += totals
        }
        for (offset, row) in rows.prefix(inner.height).enumerated() {
            let line = Rect(x: inner.x, y: inner.y + offset, width: inner.width, height: 1)
            switch row {
            case .text(let text): screen.put(text, x: line.x, y: line.y, maxWidth: line.width)
            case .gauge(let gauge): gauge.render(into: &screen, area: line, theme: theme)
            case .sparkline(let label, let sparkline):
                let used = screen.put(label, x: line.x, y: line.y, style: theme[.panelLabel], maxWidth: line.width)
                sparkline.render(into: &screen, area: line.inset(top: 0, left: used, bottom: 0, right: 0), theme: theme)
            }
        }
    }

    // MARK: Sections

    /// The rows of one pool, with its server's reading when it is monitored.
    static func poolRows(_ pool: PoolStats, reading: ServerReading? = nil, theme: Theme) -> [Row] {
        var rows: [Row] = []
        let name = pool.origin?.hostAndPort ?? pool.name
        var header = StyledLine(TerminalSanitizer.sanitize(name), style: theme[.accent])
        let version = pool.httpVersion == .unknown ? "HTTP/?" : pool.httpVersion.rawValue
        header.append(" " + version + " " + (pool.usesTLS ? "TLS" : "plain"), style: theme[.dim])
        if pool.isClosed { header.append(" closed", style: theme[.warning]) }
        rows.append(.text(header))
        rows.append(.gauge(Gauge(
            label: "conn", active: Double(pool.active), idle: Double(pool.idle), queued: Double(pool.queuedNow),
            limit: Double(pool.limits.maxConnections), labelled: true)))
        if let server = serverRows(pool, reading: reading, theme: theme) {
            rows += server
        } else {
            rows.append(.text(queueLine(pool, theme: theme)))
        }
        if let limit = autoSizeLine(pool, theme: theme) { rows.append(.text(limit)) }
        rows.append(.text(requestsLine(pool, theme: theme)))
        rows.append(.text(reuseLine(pool, theme: theme)))
        rows.append(.text(rateLine(pool, theme: theme)))
        if let errors = errorsLine(pool, theme: theme) { rows.append(.text(errors)) }
        rows += windowedLatencyRows(pool, theme: theme)
        rows.append(.sparkline(label: "recent ", Sparkline(values: pool.recentTotals)))
        return rows
    }

    /// `queued 2 max 5 exhausted ×3`: the pool's own queue (pools without a server reading).
    private static func queueLine(_ pool: PoolStats, theme: Theme) -> StyledLine {
        var queue = StyledLine()
        queue.append("queued ", style: theme[.panelLabel])
        queue.append("\(pool.queuedNow)", style: theme[pool.queuedNow > 0 ? .alert : .panelValue])
        queue.append(" max \(pool.maxQueued)", style: theme[.dim])
        if pool.queueExhaustionEvents > 0 {
            queue.append(" exhausted ×\(pool.queueExhaustionEvents)", style: theme[.warning])
        }
        return queue
    }

    /// The rows of the totals section.
    static func totalRows(_ total: PoolStats, theme: Theme) -> [Row] {
        var rows: [Row] = [.text(StyledLine("all pools", style: theme[.heading]))]
        var sockets = StyledLine()
        sockets.append("open ", style: theme[.panelLabel])
        sockets.append("\(total.open)", style: theme[.panelValue])
        sockets.append(" active ", style: theme[.panelLabel])
        sockets.append("\(total.active)", style: theme[.panelValue])
        sockets.append(" idle ", style: theme[.panelLabel])
        sockets.append("\(total.idle)", style: theme[.panelValue])
        rows.append(.text(sockets))
        rows.append(.text(requestsLine(total, theme: theme)))
        rows.append(.text(reuseLine(total, theme: theme)))
        rows.append(.text(rateLine(total, theme: theme)))
        var bytes = StyledLine()
        bytes.append("bytes ", style: theme[.panelLabel])
        bytes.append("in \(Figures.bytes(total.bytesIn)) out \(Figures.bytes(total.bytesOut))", style: theme[.panelValue])
        rows.append(.text(bytes))
        let errors = total.errors.values.reduce(0, +)
        if errors > 0 {
            let kinds = total.errors.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            rows.append(.text(StyledLine("errors " + TerminalSanitizer.sanitize(kinds), style: theme[.error])))
        }
        return rows
    }

    /// `requests 12: 11 ok, 1 failed`, monitoring polls left out (they are not the user's).
    private static func requestsLine(_ pool: PoolStats, theme: Theme) -> StyledLine {
        let started = pool.userRequestsStarted
        let finished = pool.userRequestsFinished
        let failed = pool.userRequestsFailed
        var line = StyledLine()
        line.append("requests ", style: theme[.panelLabel])
        line.append("\(started)", style: theme[.panelValue])
        line.append(": ", style: theme[.dim])
        line.append("\(finished)", style: theme[.panelValue])
        line.append(" ok", style: theme[.dim])
        if failed > 0 {
            line.append(", \(failed) failed", style: theme[.error])
        }
        return line
    }

    /// `reuse 57% new 3 tls 0`, monitoring polls left out of the share and the count.
    private static func reuseLine(_ pool: PoolStats, theme: Theme) -> StyledLine {
        let new = pool.userNewConnections
        let ratio = pool.userReuseRatio
        var line = StyledLine()
        line.append("reuse ", style: theme[.panelLabel])
        line.append(ratio.map(Figures.percent) ?? Figures.missing, style: theme[.panelValue])
        line.append(" new ", style: theme[.panelLabel])
        line.append("\(new)", style: theme[.panelValue])
        line.append(" tls ", style: theme[.panelLabel])
        line.append("\(pool.tlsHandshakes)", style: theme[.panelValue])
        return line
    }
}
