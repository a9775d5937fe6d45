import TidepoolChat

/// Rendered turns kept from one frame to the next, so a frame costs what changed instead of
/// the whole conversation.
///
/// A finished turn is sanitised, parsed as Markdown and wrapped once per width and theme (the
/// reasoning fold only picks which of its lines show). A streaming answer is sanitised as it
/// grows (the sanitiser keeps its state between chunks); its complete source lines are
/// rendered once each and only the open last line is redone per frame. The result equals
/// ``PaneView/transcript(width:theme:)`` line for line (tests hold it to that).
///
/// Memory stays bounded by what is on screen: a frame's ``endFrame()`` drops the turns no
/// pane drew since the previous one (closed panes, cleared or retried turns). A theme change
/// empties the cache (styles are baked into the lines).
///
/// Owned by the UI thread: not thread-safe.
public final class TranscriptCache {
    struct Key: Hashable {
        var pane: Int
        var turn: Int
    }

    private var entries: [Key: TurnLayout] = [:]
    private var theme: Theme?
    private var frame = 0
    private var touched = 0

    /// How many times a turn's text was laid out from its start (a new turn, a new width or
    /// theme): tests use it to tell a cache hit from a miss.
    public private(set) var fullLayouts = 0
    /// How many times the open last line of a turn's text or reasoning was rendered: tests use
    /// it to check that a turn that did not grow is not rendered again.
    public private(set) var openLineLayouts = 0

    /// Creates an empty cache.
    public init() {}

    /// How many turns are cached.
    public var count: Int { entries.count }

    /// Forgets the turns not drawn since the last call; called once per frame.
    public func endFrame() {
        if touched < entries.count { entries = entries.filter { $0.value.frame == frame } }
        frame &+= 1
        touched = 0
    }

    /// Uses `theme` from now on, dropping everything rendered with another one.
    func use(_ theme: Theme) {
        if self.theme != theme {
            entries.removeAll()
            self.theme = theme
        }
    }

    /// The transcript of `pane` at `width`, as segments of lines (not copied into one array).
    func transcript(of pane: Pane, width: Int, theme: Theme) -> Transcript {
        use(theme)
        let width = max(1, width)
        var transcript = Transcript()
        transcript.reserve(segments: pane.turns.count * 4)
        let markdown = MarkdownRenderer(theme: theme, baseRole: .assistant)
        for (index, turn) in pane.turns.enumerated() {
            if index > 0 { transcript.append(Self.separator) }
            let key = Key(pane: pane.id, turn: turn.id)
            let layout: TurnLayout
            if let cached = entries[key], cached.role == turn.role {
                layout = cached
            } else {
                layout = TurnLayout(role: turn.role)
                entries[key] = layout
            }
            if layout.frame != frame {
                layout.frame = frame
                touched += 1
            }
            if layout.update(turn, width: width, theme: theme, markdown: markdown) { fullLayouts += 1 }
            openLineLayouts += layout.appendSegments(of: turn, folded: pane.reasoningFolded, width: width, theme: theme,
                                                     markdown: markdown, to: &transcript)
        }
        return transcript
    }

    /// The blank line between two turns (one array for all of them, not one per turn and frame).
    private static let separator = [StyledLine()]

    /// The transcript as one array (tests compare it with a fresh render).
    public func lines(of pane: Pane, width: Int, theme: Theme) -> [StyledLine] {
        let transcript = self.transcript(of: pane, width: width, theme: theme)
        return Array(transcript.lines(in: 0..<transcript.count))
    }
}

/// A pane's transcript as a list of line arrays shared with the cache: counting and picking
/// the visible rows costs O(turns), not O(lines).
struct Transcript {
    private(set) var segments: [[StyledLine]] = []
    private(set) var count = 0

    mutating func reserve(segments: Int) {
        self.segments.reserveCapacity(segments)
    }

    mutating func append(_ lines: [StyledLine]) {
        guard !lines.isEmpty else { return }
        segments.append(lines)
        count += lines.count
    }

    /// The lines in `range` (indices into the whole transcript).
    func lines(in range: Range<Int>) -> [StyledLine] {
        var result: [StyledLine] = []
        result.reserveCapacity(range.count)
        var start = count
        // Walk from the end: the visible window is nearly always at the bottom.
        for segment in segments.reversed() {
            start -= segment.count
            let end = start + segment.count
            if end <= range.lowerBound { break }
            if start >= range.upperBound { continue }
            let lower = max(range.lowerBound, start) - start
            let upper = min(range.upperBound, end) - start
            result.insert(contentsOf: segment[lower..<upper], at: 0)
        }
        return result
    }
}

/// One turn's cached rendering: its sanitised text (grown chunk by chunk), the lines of its
/// complete source lines at one width, and where the open last line starts.
final class TurnLayout {
    let role: Turn.Role
    /// The cache frame in which this turn was last drawn (-1: not yet).
    var frame = -1

    private var text = Stream()
    private var reasoning = Stream()
    private var width = 0
    /// User turns: all their lines.
    private var userLines: [StyledLine] = []
    /// A superseded turn's dimmed lines, for the reasoning fold they were made with.
    private var dimmed: (folded: Bool, lines: [StyledLine])?
    /// The open last lines of the text and the reasoning as last rendered, with how much of
    /// each stream they were rendered from: redone only when that stream grew. A finished
    /// answer's last line has no newline after it, so without this every finished turn of
    /// every pane had its last line rendered again on every frame (the cost of a long
    /// conversation).
    private var openText: (consumed: Int, lines: [StyledLine])?
    private var openReasoning: (consumed: Int, lines: [StyledLine])?

    init(role: Turn.Role) {
        self.role = role
    }

    /// Takes in what `turn` gained since the last frame; returns whether everything had to be
    /// laid out again (new turn, new width, or text that did not simply grow).
    func update(_ turn: Turn, width: Int, theme: Theme, markdown: MarkdownRenderer) -> Bool {
        // Nothing new (every finished turn, every frame): nothing to look at. A long
        // conversation then costs a few comparisons per turn and frame.
        if width == self.width && turn.text.utf8.count == text.consumed
            && turn.reasoning.utf8.count == reasoning.consumed && (role != .user || !userLines.isEmpty)
        {
            return false
        }
        var full = false
        if width != self.width || !text.canContinue(turn.text) || !reasoning.canContinue(turn.reasoning) {
            full = true
            if !text.canContinue(turn.text) { text = Stream() }
            if !reasoning.canContinue(turn.reasoning) { reasoning = Stream() }
            text.resetLayout()
            reasoning.resetLayout()
            self.width = width
            userLines = []
            openText = nil
            openReasoning = nil
        }
        let textGrew = text.consume(turn.text)
        let reasoningGrew = reasoning.consume(turn.reasoning)
        if full || textGrew || reasoningGrew { dimmed = nil }
        switch role {
        case .user:
            if textGrew || userLines.isEmpty {
                userLines = PaneView.userLines(text.sanitized, width: width, theme: theme)
                    + PaneView.attachmentLines(turn, width: width, theme: theme)
            }
        case .assistant:
            text.layOutCompleteLines(countingWords: false) { line, fence in
                markdown.renderLine(line, fence: &fence, width: width)
            }
            let style = theme[.reasoning]
            reasoning.layOutCompleteLines(countingWords: true) { line, _ in
                WordWrapper.wrap([Span(String(line), style: style)], width: width)
            }
        }
        return full
    }

    /// Appends the turn's lines; returns how many open lines had to be rendered for it.
    func appendSegments(of turn: Turn, folded: Bool, width: Int, theme: Theme, markdown: MarkdownRenderer,
                        to transcript: inout Transcript) -> Int {
        guard turn.superseded else {
            return appendLiveSegments(of: turn, folded: folded, width: width, theme: theme, markdown: markdown,
                                      to: &transcript)
        }
        // Superseded turns are finished: dimmed once, then reused frame after frame.
        if let dimmed, dimmed.folded == folded {
            transcript.append(dimmed.lines)
            return 0
        }
        var own = Transcript()
        let rendered = appendLiveSegments(of: turn, folded: folded, width: width, theme: theme, markdown: markdown,
                                          to: &own)
        let lines = PaneView.superseded(own.lines(in: 0..<own.count), role: role, width: width, theme: theme)
        dimmed = (folded, lines)
        transcript.append(lines)
        return rendered
    }

    private func appendLiveSegments(of turn: Turn, folded: Bool, width: Int, theme: Theme, markdown: MarkdownRenderer,
                                    to transcript: inout Transcript) -> Int {
        if role == .user {
            transcript.append(userLines)
            return 0
        }
        var rendered = 0
        if reasoning.hasInk {
            let style = theme[.reasoning]
            if folded {
                let words = reasoning.words + Stream.words(in: reasoning.openLine)
                transcript.append(WordWrapper.wrap([Span("▸ reasoning (\(words) words, folded)", style: style)], width: width))
            } else {
                transcript.append(WordWrapper.wrap([Span("▾ reasoning", style: style)], width: width))
                transcript.append(reasoning.lines)
                if openReasoning?.consumed != reasoning.consumed {
                    rendered += 1
                    openReasoning = (reasoning.consumed,
                                     WordWrapper.wrap([Span(String(reasoning.openLine), style: style)], width: width))
                }
                transcript.append(openReasoning?.lines ?? [])
            }
        }
        if !text.sanitized.isEmpty {
            transcript.append(text.lines)
            if openText?.consumed != text.consumed {
                rendered += 1
                var fence = text.fence
                openText = (text.consumed, markdown.renderLine(text.openLine, fence: &fence, width: width))
            }
            transcript.append(openText?.lines ?? [])
        }
        transcript.append(PaneView.statusLines(
            turn, nothingYet: text.sanitized.isEmpty && reasoning.sanitized.isEmpty, width: width, theme: theme))
        return rendered
    }

    /// A growing text: sanitised incrementally, laid out line by line.
    struct Stream {
        private var sanitizer = TerminalSanitizer()
        /// UTF-8 bytes of the raw text taken in so far.
        private(set) var consumed = 0
        /// The sanitised text so far (its own buffer: the turn's text is never retained, so
        /// the app keeps appending to it in place).
        private(set) var sanitized = ""
        /// Whether the sanitised text has a non-whitespace character.
        private(set) var hasInk = false
        /// Lines of the complete source lines.
        private(set) var lines: [StyledLine] = []
        /// The code fence open after the complete lines.
        private(set) var fence: MarkdownRenderer.Fence?
        /// Words in the complete lines (for folded reasoning; only counted for the reasoning).
        private(set) var words = 0
        /// UTF-8 offset in `sanitized` where the open (last, incomplete) line starts.
        private var laidOut = 0

        /// Whether `raw` is what was taken in so far plus more (the only way a turn changes).
        func canContinue(_ raw: String) -> Bool { raw.utf8.count >= consumed }

        mutating func resetLayout() {
            lines = []
            fence = nil
            words = 0
            laidOut = 0
        }

        /// Sanitises the part of `raw` not taken in yet; returns whether there was any.
        @discardableResult
        mutating func consume(_ raw: String) -> Bool {
            let total = raw.utf8.count
            guard total > consumed else { return false }
            let start = raw.utf8.index(raw.utf8.startIndex, offsetBy: consumed)
            let chunk = sanitizer.sanitize(String(raw[start...]))
            consumed = total
            sanitized += chunk
            if !hasInk { hasInk = sanitized.contains { !$0.isWhitespace } }
            return true
        }

        /// Lays out each source line completed since the last call, once; `countingWords`
        /// keeps ``words`` (only the folded reasoning shows it, so the answer's text skips it).
        mutating func layOutCompleteLines(countingWords: Bool,
                                          _ render: (Substring, inout MarkdownRenderer.Fence?) -> [StyledLine]) {
            let utf8 = sanitized.utf8
            var start = utf8.index(utf8.startIndex, offsetBy: laidOut)
            while let newline = utf8[start...].firstIndex(of: 0x0A) {
                let line = sanitized[start..<newline]
                lines += render(line, &fence)
                if countingWords { words += Stream.words(in: line) }
                start = utf8.index(after: newline)
            }
            laidOut = utf8.distance(from: utf8.startIndex, to: start)
        }

        /// The text after the last newline.
        var openLine: Substring {
            let utf8 = sanitized.utf8
            return sanitized[utf8.index(utf8.startIndex, offsetBy: laidOut)...]
        }

        static func words(in line: Substring) -> Int {
            line.split(whereSeparator: { $0 == " " || $0 == "\n" }).count
        }
    }
}
