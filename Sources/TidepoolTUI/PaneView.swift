import TidepoolChat

/// One chat pane: a frame titled with the pane's number, `provider:model` and state, the
/// conversation word-wrapped to fit, and a footer with the last answer's figures.
///
/// Everything a model or server wrote passes through `TerminalSanitizer` before it becomes a
/// span. With a ``TranscriptCache`` a frame redoes only what changed (the open tail of a
/// streaming answer) and fetches only the visible rows; without one the transcript is
/// rendered afresh. `scrollBack` counts lines up from the bottom, 0 following the stream.
public struct PaneView: Widget {
    /// The pane to draw.
    public var pane: Pane
    /// Its 1-based position, shown in the title (Alt-N focuses it).
    public var number: Int
    /// Whether it has the keyboard focus (heavy frame).
    public var focused: Bool
    /// Draw without a frame: a header row instead (tiny terminals).
    public var compact: Bool
    /// Rendered turns kept between frames (nil renders everything afresh, as tests of the
    /// plain rendering do).
    public var cache: TranscriptCache?
    /// The area already holds nothing but blanks in the theme's text style (a new frame, drawn
    /// panes first): the pane skips clearing it, which is a whole grid's worth of cells.
    public var areaIsBlank = false

    /// The hint in a pane with no conversation yet.
    public static let emptyHint = "type a prompt below; Enter sends"

    /// Creates a pane view.
    public init(pane: Pane, number: Int, focused: Bool, compact: Bool = false, cache: TranscriptCache? = nil) {
        self.pane = pane
        self.number = number
        self.focused = focused
        self.compact = compact
        self.cache = cache
    }

    /// Draws the pane into `area`.
    public func render(into screen: inout Screen, area: Rect, theme: Theme) {
        guard !area.isEmpty else { return }
        let plain = compact || area.width < 5 || area.height < 3
        let header = PaneView.header(
            number: number, provider: TerminalSanitizer.sanitize(pane.provider), model: TerminalSanitizer.sanitize(pane.model),
            status: pane.status, width: area.width, bordered: !plain)
        let title = header.title
        var content: Rect
        if plain {
            if !areaIsBlank { screen.fill(area, with: .blank(theme[.text])) }
            var x = area.x
            let titleStyle = theme[focused ? .titleFocused : .title]
            x += screen.put(Block.truncate(title, to: area.width), x: x, y: area.y, style: titleStyle, maxWidth: area.width)
            let status = " " + header.status
            if !header.status.isEmpty, x + TextWidth.width(of: status) <= area.right {
                screen.put(status, x: x, y: area.y, style: theme[PaneView.statusRole(pane.status)])
            }
            content = area.inset(top: 1, left: 0, bottom: 0, right: 0)
        } else {
            Block(title: title, focused: focused, clearsInside: !areaIsBlank).render(into: &screen, area: area, theme: theme)
            drawStatus(header.status, into: &screen, area: area, titleWidth: TextWidth.width(of: title), theme: theme)
            content = Block().inner(area)
        }
        guard !content.isEmpty else { return }
        if content.height >= 3 {
            let footerRow = Rect(x: content.x, y: content.bottom - 1, width: content.width, height: 1)
            var footer = footerLine(theme: theme, width: footerRow.width)
            if footer.width > footerRow.width {
                footer = StyledLine(Block.truncate(footer.plainText, to: footerRow.width), style: theme[.dim])
            }
            screen.put(footer, x: footerRow.x, y: footerRow.y, maxWidth: footerRow.width)
            content = content.inset(top: 0, left: 0, bottom: 1, right: 0)
        }
        drawBody(into: &screen, area: content, theme: theme)
    }

    // MARK: Header

    /// The state word with a fixed symbol (no spinner: a redraw must not be needed to show
    /// life, and the symbol reads in monochrome).
    static func statusText(_ status: PaneStatus) -> String {
        switch status {
        case .idle: return "○ idle"
        case .queued: return "◌ queued"
        case .connecting: return "◔ connecting"
        case .streaming: return "● streaming"
        case .done: return "✓ done"
        case .error: return "✗ error"
        case .cancelled: return "■ cancelled"
        case .notRunning: return "✗ not running"
        }
    }

    static func statusRole(_ status: PaneStatus) -> ThemeRole {
        switch status {
        case .idle: return .dim
        case .queued: return .warning
        case .connecting, .streaming: return .accent
        case .done: return .ok
        case .error, .notRunning: return .error
        case .cancelled: return .warning
        }
    }

    /// The state at the right of the top border, where it does not cover the title.
    private func drawStatus(_ status: String, into screen: inout Screen, area: Rect, titleWidth: Int, theme: Theme) {
        guard !status.isEmpty else { return }
        let text = " " + status + " "
        let width = TextWidth.width(of: text)
        let x = area.right - 2 - width
        let titleEnd = area.x + 1 + min(titleWidth, area.width - 4) + 2
        guard x > titleEnd else { return }
        screen.put(text, x: x, y: area.y, style: theme[PaneView.statusRole(pane.status)], maxWidth: width)
    }

    // MARK: Footer

    /// The last answer's figures, or "—" before there are any, in `width` columns (nil: all
    /// of them).
    ///
    /// When they do not all fit, the least useful field goes first, whole, never a figure cut
    /// in half. Least useful is what the screen already tells or the user already knows:
    /// 1. the prompt's tokens (`in 8 / out 120 tok` becomes `120 tok`): the user wrote the
    ///    prompt, and in a broadcast it is the same for every pane;
    /// 2. the answer's tokens: its length is on screen above the footer;
    /// 3. the total time: about time to first token plus tokens over rate;
    /// 4. tokens per second, and time to first token last: the two figures panes are compared
    ///    on (the pool panel's percentiles are the same two).
    func footerLine(theme: Theme, width: Int? = nil) -> StyledLine {
        var fields = footerFields()
        let separator = " · "
        func text() -> String { fields.isEmpty ? Figures.missing : fields.map(\.text).joined(separator: separator) }
        if let width {
            while fields.count > 1, TextWidth.width(of: text()) > width {
                // Shorten the token field to the answer's count before dropping anything.
                if let index = fields.firstIndex(where: { $0.short != nil }) {
                    fields[index] = (fields[index].short!, nil, fields[index].rank)
                    continue
                }
                let least = fields.indices.max { fields[$0].rank < fields[$1].rank }!
                fields.remove(at: least)
            }
        }
        return StyledLine(text(), style: theme[.dim])
    }

    /// The footer's fields in reading order: text, a shorter form (tokens without the
    /// prompt's), and the rank in which they are dropped (highest first).
    private func footerFields() -> [(text: String, short: String?, rank: Int)] {
        guard let answer = pane.lastAnswer else { return [] }
        var fields: [(text: String, short: String?, rank: Int)] = []
        let timings = answer.timings
        if let ttft = timings?.timeToFirstToken, ttft.isFinite, ttft >= 0 {
            fields.append(("ttft " + Figures.seconds(ttft), nil, 0))
        }
        if let rate = timings?.tokensPerSecond, rate.isFinite, rate >= 0 {
            fields.append((Figures.rate(rate) + " tok/s", nil, 1))
        }
        let output = answer.outputTokens ?? timings?.outputTokens
        switch (answer.inputTokens, output) {
        case let (input?, output?): fields.append(("in \(input) / out \(output) tok", "\(output) tok", 3))
        case let (nil, output?): fields.append(("\(output) tok", nil, 3))
        case let (input?, nil): fields.append(("in \(input) tok", nil, 4))
        case (nil, nil): break
        }
        if answer.status == .done, let total = timings?.total, total.isFinite, total > 0 {
            fields.append((Figures.seconds(total), nil, 2))
        }
        return fields
    }

    // MARK: Body

    private func drawBody(into screen: inout Screen, area: Rect, theme: Theme) {
        guard !area.isEmpty else { return }
        if pane.turns.isEmpty {
            for (row, line) in PaneView.emptyLines(pane, width: area.width, theme: theme).prefix(area.height).enumerated() {
                screen.put(line, x: area.x, y: area.y + row, maxWidth: area.width)
            }
            return
        }
        if let cache {
            // Only the rows in the window are fetched and painted; the rest stay in the cache.
            let transcript = cache.transcript(of: pane, width: area.width, theme: theme)
            let window = PaneView.window(lineCount: transcript.count, height: area.height, scrollBack: pane.scrollBack)
            for (row, line) in transcript.lines(in: window.lines).enumerated() {
                screen.put(line, x: area.x, y: area.y + row, maxWidth: area.width)
            }
            drawBelowMarker(window.below, into: &screen, area: area, theme: theme)
            return
        }
        let lines = transcript(width: area.width, theme: theme)
        let window = PaneView.window(lineCount: lines.count, height: area.height, scrollBack: pane.scrollBack)
        for (row, index) in window.lines.enumerated() {
            screen.put(lines[index], x: area.x, y: area.y + row, maxWidth: area.width)
        }
        drawBelowMarker(window.below, into: &screen, area: area, theme: theme)
    }

    /// What an empty pane says: how to start its server when it is not running (the hint of
    /// its preset), then how to send.
    static func emptyLines(_ pane: Pane, width: Int, theme: Theme) -> [StyledLine] {
        let hint = WordWrapper.wrap(PaneView.emptyHint, style: theme[.dim], width: width)
        guard pane.status == .notRunning else { return hint }
        let style = theme[.error]
        let reason = "not running" + (pane.serverHint.map { ": " + TerminalSanitizer.sanitize($0) } ?? "")
        return WordWrapper.wrap([Span(reason, style: style)], width: width,
                                firstPrefix: [Span("✗ ", style: style)], continuationPrefix: [Span("  ", style: style)])
            + [StyledLine()] + hint
    }

    private func drawBelowMarker(_ below: Int, into screen: inout Screen, area: Rect, theme: Theme) {
        if below > 0 {
            let marker = "↓ \(below) more"
            screen.fill(Rect(x: area.x, y: area.bottom - 1, width: area.width, height: 1), with: .blank(theme[.text]))
            let w = min(TextWidth.width(of: marker), area.width)
            screen.put(marker, x: area.right - w, y: area.bottom - 1, style: theme[.highlight], maxWidth: w)
        }
    }

    /// Which transcript lines show in `height` rows when scrolled `scrollBack` lines up, and
    /// how many lines are hidden below (then the last row holds the "↓ N more" marker).
    /// Scrolling further than the top stops at the top.
    static func window(lineCount: Int, height: Int, scrollBack: Int) -> (lines: Range<Int>, below: Int) {
        guard height > 0, lineCount > 0 else { return (0..<0, 0) }
        if scrollBack <= 0 || lineCount <= height {
            let start = max(0, lineCount - height)
            return (start..<lineCount, 0)
        }
        let rows = max(1, height - 1)
        let back = min(scrollBack, max(0, lineCount - rows))
        let end = lineCount - back
        let start = max(0, end - rows)
        return back > 0 ? (start..<end, back) : (max(0, lineCount - height)..<lineCount, 0)
    }

    /// Every turn as wrapped, styled lines, with a blank line between turns.
    func transcript(width: Int, theme: Theme) -> [StyledLine] {
        let width = max(1, width)
        var lines: [StyledLine] = []
        let markdown = MarkdownRenderer(theme: theme, baseRole: .assistant)
        for (index, turn) in pane.turns.enumerated() {
            if index > 0 { lines.append(StyledLine()) }
            var turnLines: [StyledLine]
            switch turn.role {
            case .user:
                turnLines = PaneView.userLines(TerminalSanitizer.sanitize(turn.text), width: width, theme: theme)
                turnLines += PaneView.attachmentLines(turn, width: width, theme: theme)
            case .assistant:
                turnLines = answerLines(turn, width: width, theme: theme, markdown: markdown)
            }
            lines += turn.superseded ? PaneView.superseded(turnLines, role: turn.role, width: width, theme: theme) : turnLines
        }
        return lines
    }

    /// The note above a prompt replaced by a resend.
    static let supersededNote = "replaced by the resend below; no longer sent as context"

    /// A superseded turn (replaced by a resend): every line in the dim style, a prompt with a
    /// note saying why, so the earlier exchange stays readable but clearly out of play.
    static func superseded(_ lines: [StyledLine], role: Turn.Role, width: Int, theme: Theme) -> [StyledLine] {
        let dim = theme[.dim]
        var result: [StyledLine] = []
        if role == .user { result += WordWrapper.wrap("↺ " + supersededNote, style: dim, width: width) }
        for line in lines {
            result.append(StyledLine(line.spans.map { Span($0.text, style: dim) }))
        }
        return result
    }

    /// One dim line per file a prompt attached with `@path`: its name and size.
    static func attachmentLines(_ turn: Turn, width: Int, theme: Theme) -> [StyledLine] {
        turn.attachments.flatMap { attachment in
            WordWrapper.wrap(
                "  + " + TerminalSanitizer.sanitize(attachment.name) + " (" + Figures.bytes(attachment.byteCount) + ")",
                style: theme[.dim], width: width)
        }
    }



    static func userLines(_ text: String, width: Int, theme: Theme) -> [StyledLine] {
        let style = theme[.user]
        var lines: [StyledLine] = []
        for (index, paragraph) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            lines += WordWrapper.wrap(
                [Span(String(paragraph), style: style)], width: width,
                firstPrefix: [Span(index == 0 ? "› " : "  ", style: style)],
                continuationPrefix: [Span("  ", style: style)])
        }
        return lines
    }

    private func answerLines(_ turn: Turn, width: Int, theme: Theme, markdown: MarkdownRenderer) -> [StyledLine] {
        var lines: [StyledLine] = []
        let reasoning = TerminalSanitizer.sanitize(turn.reasoning)
        if reasoning.contains(where: { !$0.isWhitespace }) {
            let style = theme[.reasoning]
            if pane.reasoningFolded {
                let words = reasoning.split(whereSeparator: { $0 == " " || $0 == "\n" }).count
                lines += WordWrapper.wrap([Span("▸ reasoning (\(words) words, folded)", style: style)], width: width)
            } else {
                lines += WordWrapper.wrap([Span("▾ reasoning", style: style)], width: width)
                lines += WordWrapper.wrap(reasoning, style: style, width: width)
            }
        }
        let text = TerminalSanitizer.sanitize(turn.text)
        if !text.isEmpty { lines += markdown.render(text, width: width) }
        lines += PaneView.statusLines(turn, nothingYet: text.isEmpty && reasoning.isEmpty, width: width, theme: theme)
        return lines
    }

    /// What follows an answer's text: a waiting hint while nothing came yet, the error, a
    /// cancellation or token-limit note.
    static func statusLines(_ turn: Turn, nothingYet: Bool, width: Int, theme: Theme) -> [StyledLine] {
        var lines: [StyledLine] = []
        switch turn.status {
        case .queued, .connecting:
            if nothingYet {
                let waiting = turn.status == .queued ? "waiting for a free connection…" : "waiting for the first token…"
                lines += WordWrapper.wrap(waiting, style: theme[.dim], width: width)
            }
        case .error:
            let message = TerminalSanitizer.sanitize(turn.error ?? "the request failed")
            for (index, paragraph) in message.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                lines += WordWrapper.wrap(
                    [Span(String(paragraph), style: theme[.error])], width: width,
                    firstPrefix: [Span(index == 0 ? "✗ " : "  ", style: theme[.error])],
                    continuationPrefix: [Span("  ", style: theme[.error])])
            }
        case .cancelled:
            lines.append(StyledLine("(cancelled)", style: theme[.warning]))
        case .done where turn.finishReason == "length":
            lines += WordWrapper.wrap("(stopped at the token limit)", style: theme[.dim], width: width)
        default:
            break
        }
        return lines
    }
}
