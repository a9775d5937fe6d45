import TidepoolChat
import TidepoolPool
import TidepoolProviders

/// The parts of the panel that make it read like a monitor: the server's own numbers under its
/// pool, the last minute's percentiles beside the since-start ones, rates and errors by kind.
/// Every row fits the panel's 32-column interior.
extension PoolPanelView {
    /// The queue line of a monitored pool and the server's rows: `queued here 2 · at server 5`,
    /// `server slots 4/4 busy · kv 63%`, `models 2 · VRAM 4.1 GB of 4.1 GB`; "server no data"
    /// when the server told nothing. Nil for a pool with no reading (a hosted API): its plain
    /// queue line stays.
    static func serverRows(_ pool: PoolStats, reading: ServerReading?, theme: Theme) -> [Row]? {
        guard let reading else { return nil }
        let snapshot = reading.snapshot
        var rows: [Row] = []
        var queue = StyledLine()
        queue.append("queued here ", style: theme[.panelLabel])
        queue.append("\(pool.queuedNow)", style: theme[pool.queuedNow > 0 ? .alert : .panelValue])
        if let waiting = snapshot.requestsWaiting {
            queue.append(" · ", style: theme[.dim])
            queue.append("at server ", style: theme[.panelLabel])
            queue.append("\(waiting)", style: theme[waiting > 0 ? .alert : .panelValue])
        }
        if pool.queueExhaustionEvents > 0 {
            queue.append(" ×\(pool.queueExhaustionEvents)", style: theme[.warning])
        }
        rows.append(.text(queue))

        var server = StyledLine()
        server.append("server ", style: theme[.panelLabel])
        var parts: [(String, ThemeRole)] = []
        if let busy = snapshot.slotsBusy ?? (snapshot.slotsTotal != nil ? snapshot.requestsRunning : nil),
           let total = snapshot.slotsTotal {
            parts.append(("slots \(busy)/\(total) busy", busy >= total ? .warning : .panelValue))
        } else if let running = snapshot.requestsRunning {
            parts.append(("running \(running)", .panelValue))
        }
        if let kv = snapshot.kvCacheUsage { parts.append(("kv " + Figures.percent(kv), kv > 0.9 ? .warning : .panelValue)) }
        if parts.isEmpty, let rate = snapshot.generationTokensPerSecond {
            parts.append((Figures.rate(rate) + " tok/s", .panelValue))
        }
        if parts.isEmpty && snapshot.models == nil {
            server.append("no data", style: theme[.dim])
        }
        for (index, part) in parts.enumerated() {
            if index > 0 { server.append(" · ", style: theme[.dim]) }
            server.append(part.0, style: theme[part.1])
        }
        if !parts.isEmpty || snapshot.models == nil { rows.append(.text(server)) }
        if let models = snapshot.models { rows.append(.text(modelsLine(models, theme: theme))) }
        return rows
    }

    /// `models 2 · VRAM 3.0 GB of 4.1 GB`: loaded models and how much of them sits in GPU memory
    /// (less than all of it means part runs on the CPU, which is slow).
    static func modelsLine(_ models: [ServerSnapshot.Model], theme: Theme) -> StyledLine {
        let loaded = models.filter(\.loaded)
        var line = StyledLine()
        line.append("models ", style: theme[.panelLabel])
        line.append("\(loaded.count)", style: theme[.panelValue])
        let sizes = loaded.compactMap(\.sizeBytes)
        let vram = loaded.compactMap(\.vramBytes)
        if !vram.isEmpty {
            let inVRAM = vram.reduce(0) { $0.addingReportingOverflow($1).partialValue }
            let total = sizes.reduce(0) { $0.addingReportingOverflow($1).partialValue }
            line.append(" · ", style: theme[.dim])
            line.append("VRAM ", style: theme[.panelLabel])
            let partial = total > 0 && inVRAM < total
            line.append(Figures.bytes(inVRAM) + (total > 0 ? " of " + Figures.bytes(total) : ""),
                        style: theme[partial ? .warning : .panelValue])
        }
        return line
    }

    /// `60s: 0.8 req/s 42.0 tokens/s`: rates over the last minute, monitoring requests left
    /// out. ("tokens/s", not the panes' "tok/s": one word per meaning on the screen.)
    static func rateLine(_ pool: PoolStats, theme: Theme) -> StyledLine {
        var line = StyledLine()
        line.append("60s: ", style: theme[.panelLabel])
        line.append(Figures.rate(pool.recent.requestsPerSecond), style: theme[.panelValue])
        line.append(" req/s ", style: theme[.dim])
        line.append(Figures.rate(pool.recent.tokensPerSecond), style: theme[.panelValue])
        line.append(" tokens/s", style: theme[.dim])
        return line
    }

    /// `errors timeout_queue 2, http 1`, or nil without errors.
    static func errorsLine(_ pool: PoolStats, theme: Theme) -> StyledLine? {
        guard pool.errors.values.reduce(0, +) > 0 else { return nil }
        let kinds = pool.errors.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        return StyledLine("errors " + TerminalSanitizer.sanitize(kinds), style: theme[.error])
    }

    /// Column widths of the latency table: label, then three values.
    private static let latencyLabelWidth = 9
    private static let latencyValueWidth = 7

    /// The latency table: p50 and p95 over the last minute, then p50 since start, so "now"
    /// and "overall" sit side by side. A measure with no sample in either says "no data".
    static func windowedLatencyRows(_ pool: PoolStats, theme: Theme) -> [Row] {
        var header = StyledLine()
        header.append(padded("last 60s", latencyLabelWidth), style: theme[.panelLabel])
        header.append(padded("p50", latencyValueWidth) + padded("p95", latencyValueWidth) + "p50 all",
                      style: theme[.dim])
        var rows: [Row] = [.text(header)]
        let measures: [(String, LatencyMeasure)] = [
            ("connect", .connect), ("1st byte", .firstByte), ("ttft", .timeToFirstToken), ("total", .total),
        ]
        for (label, measure) in measures {
            let window = pool.recent.latency(measure)
            let all = pool.latency(measure)
            var line = StyledLine()
            line.append(padded(label, latencyLabelWidth), style: theme[.panelLabel])
            if window.count <= 0 && all.count <= 0 {
                line.append("no data", style: theme[.dim])
            } else {
                let p50 = window.count > 0 ? Figures.latency(window.p50) : Figures.missing
                let p95 = window.count > 0 ? Figures.latency(window.p95) : Figures.missing
                line.append(padded(p50, latencyValueWidth) + padded(p95, latencyValueWidth),
                            style: theme[window.count > 0 ? .panelValue : .dim])
                line.append(all.count > 0 ? Figures.latency(all.p50) : Figures.missing, style: theme[.dim])
            }
            rows.append(.text(line))
        }
        return rows
    }

    private static func padded(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(1, width - TextWidth.width(of: text)))
    }
}
