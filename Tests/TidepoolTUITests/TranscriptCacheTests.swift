import TidepoolChat
import TidepoolProviders
@testable import TidepoolTUI
import XCTest

/// The cache must give exactly what a fresh render gives, whatever arrives in what pieces, and
/// must really cache: finished turns laid out once per width/theme, nothing kept for turns that
/// are gone, and the answer's text never retained (so appends stay in place).
final class TranscriptCacheTests: XCTestCase {
    private let themes = [Theme.monochrome, Theme.default]

    /// Markdown and hostile bytes, so chunk boundaries fall inside fences, lists, escape
    /// sequences, `\r\n` pairs and wide characters.
    static let answerText = """
        # Heading with `code`
        A paragraph with **bold**, *italic* and a_snake_name, long enough to wrap at narrow widths.\r
        - first item
          - nested item that goes on and on past the edge
        1. numbered
        > quoted **text**
        ```swift
        let x = 1 // a long line of code that must be hard-wrapped with the continuation marker
        ```
        ---
        日本語のテキスト😀 and \u{1b}]0;title\u{07}escape\u{1b}[2J gone\ttab
        last line without newline
        """
    static let reasoningText = "first I think\nthen I\u{1b}[31m think more\n\nand conclude "

    private func fresh(_ pane: Pane, width: Int, theme: Theme) -> [StyledLine] {
        PaneView(pane: pane, number: 1, focused: true).transcript(width: width, theme: theme)
    }

    /// Splits `text` into pieces of 1...7 scalars (a fixed pattern, so runs repeat).
    private func chunks(_ text: String) -> [String] {
        var pieces: [String] = []
        var current = String.UnicodeScalarView()
        var size = 1
        for scalar in text.unicodeScalars {
            current.append(scalar)
            if current.count >= size {
                pieces.append(String(current))
                current = String.UnicodeScalarView()
                size = size % 7 + 1
            }
        }
        if !current.isEmpty { pieces.append(String(current)) }
        return pieces
    }

    private func streamingPane() -> (AppState, pane: Int, request: Int) {
        var state = AppState(panes: AppState.panes([("sim", "sim-thinker")]))
        _ = ChatApp.update(&state, .submit("a question\nover two lines"))
        let request = state.panes[0].activeRequest!
        return (state, state.panes[0].id, request)
    }

    func testStreamedAnswerMatchesAFreshRenderAfterEveryChunk() {
        for theme in themes {
            for width in [7, 23, 60] {
                let cache = TranscriptCache()
                var (state, pane, request) = streamingPane()
                XCTAssertEqual(cache.lines(of: state.panes[0], width: width, theme: theme),
                               fresh(state.panes[0], width: width, theme: theme))
                for piece in chunks(Self.reasoningText) {
                    _ = ChatApp.update(&state, .chatEvent(pane: pane, request: request, .reasoningDelta(piece)))
                    XCTAssertEqual(cache.lines(of: state.panes[0], width: width, theme: theme),
                                   fresh(state.panes[0], width: width, theme: theme), "reasoning at width \(width)")
                    cache.endFrame()
                }
                for piece in chunks(Self.answerText) {
                    _ = ChatApp.update(&state, .chatEvent(pane: pane, request: request, .textDelta(piece)))
                    XCTAssertEqual(cache.lines(of: state.panes[0], width: width, theme: theme),
                                   fresh(state.panes[0], width: width, theme: theme),
                                   "after \(state.panes[0].turns.last!.text.debugDescription) at width \(width)")
                    cache.endFrame()
                }
                _ = ChatApp.update(&state, .chatEvent(pane: pane, request: request, .finish(reason: "length")))
                _ = ChatApp.update(&state, .chatEnded(pane: pane, request: request))
                XCTAssertEqual(cache.lines(of: state.panes[0], width: width, theme: theme),
                               fresh(state.panes[0], width: width, theme: theme))
                // Two turns (prompt, answer), each laid out from scratch exactly once.
                XCTAssertEqual(cache.fullLayouts, 2)
            }
        }
    }

    func testEndingsMatchAFreshRender() {
        let theme = Theme.default
        for ending in ["error", "cancel", "unterminated fence"] {
            let cache = TranscriptCache()
            var (state, pane, request) = streamingPane()
            _ = ChatApp.update(&state, .chatEvent(pane: pane, request: request, .textDelta("partial\n```\ncode")))
            XCTAssertEqual(cache.lines(of: state.panes[0], width: 30, theme: theme), fresh(state.panes[0], width: 30, theme: theme))
            switch ending {
            case "error": _ = ChatApp.update(&state, .chatFailed(pane: pane, request: request, message: "it broke\nbadly"))
            case "cancel": _ = ChatApp.update(&state, .cancelFocused)
            default: _ = ChatApp.update(&state, .chatEnded(pane: pane, request: request))
            }
            XCTAssertEqual(cache.lines(of: state.panes[0], width: 30, theme: theme),
                           fresh(state.panes[0], width: 30, theme: theme), ending)
        }
    }

    func testWidthThemeAndFoldChangesGiveAFreshRender() {
        var (state, pane, request) = streamingPane()
        _ = ChatApp.update(&state, .chatEvent(pane: pane, request: request, .reasoningDelta(Self.reasoningText)))
        _ = ChatApp.update(&state, .chatEvent(pane: pane, request: request, .textDelta(Self.answerText)))
        _ = ChatApp.update(&state, .chatEnded(pane: pane, request: request))
        let cache = TranscriptCache()
        let first = cache.lines(of: state.panes[0], width: 40, theme: .default)
        XCTAssertEqual(first, fresh(state.panes[0], width: 40, theme: .default))
        XCTAssertEqual(cache.fullLayouts, 2)

        // Same width and theme: served from the cache.
        XCTAssertEqual(cache.lines(of: state.panes[0], width: 40, theme: .default), first)
        XCTAssertEqual(cache.fullLayouts, 2)

        // A new width lays both turns out again.
        let narrow = cache.lines(of: state.panes[0], width: 25, theme: .default)
        XCTAssertEqual(narrow, fresh(state.panes[0], width: 25, theme: .default))
        XCTAssertNotEqual(narrow, first)
        XCTAssertEqual(cache.fullLayouts, 4)

        // A new theme changes the styles baked into the lines.
        let mono = cache.lines(of: state.panes[0], width: 25, theme: .monochrome)
        XCTAssertEqual(mono, fresh(state.panes[0], width: 25, theme: .monochrome))
        XCTAssertNotEqual(mono, narrow)
        XCTAssertEqual(cache.fullLayouts, 6)

        // Folding the reasoning shows the one-line summary, and unfolding brings it back.
        _ = ChatApp.update(&state, .toggleReasoning)
        let folded = cache.lines(of: state.panes[0], width: 25, theme: .monochrome)
        XCTAssertEqual(folded, fresh(state.panes[0], width: 25, theme: .monochrome))
        XCTAssertTrue(folded.contains { $0.plainText.contains("folded") })
        _ = ChatApp.update(&state, .toggleReasoning)
        XCTAssertEqual(cache.lines(of: state.panes[0], width: 25, theme: .monochrome), mono)
    }

    func testFinishedTurnsAreLaidOutOnceWhileAnAnswerStreams() {
        var state = AppState(panes: AppState.panes([("sim", "sim-fast")]))
        for index in 0..<20 {
            state.panes[0].turns.append(Turn(id: 1000 + 2 * index, role: .user, text: "question \(index)"))
            state.panes[0].turns.append(Turn(id: 1001 + 2 * index, role: .assistant, text: Self.answerText))
        }
        _ = ChatApp.update(&state, .submit("one more"))
        let request = state.panes[0].activeRequest!
        var editor = LineEditor()
        let cache = TranscriptCache()
        for piece in chunks(Self.answerText + "\n" + Self.answerText) {
            _ = ChatApp.update(&state, .chatEvent(pane: state.panes[0].id, request: request, .textDelta(piece)))
            _ = ChatScreen.render(state: state, editor: &editor, theme: .default, width: 120, height: 40, cache: cache)
        }
        // 40 seeded turns + the new prompt + the streaming answer, each laid out once.
        XCTAssertEqual(cache.fullLayouts, 42)
        // Each seeded answer's last line (no newline after it) once, the streaming answer's
        // open line once per frame it grew: finished turns are not rendered again per frame.
        let frames = chunks(Self.answerText + "\n" + Self.answerText).count
        XCTAssertEqual(cache.openLineLayouts, 20 + frames)
        let cached = ChatScreen.render(state: state, editor: &editor, theme: .default, width: 120, height: 40, cache: cache)
        XCTAssertEqual(cache.openLineLayouts, 20 + frames, "a frame with nothing new renders no open line")
        let plain = ChatScreen.render(state: state, editor: &editor, theme: .default, width: 120, height: 40)
        XCTAssertEqual(cached.screen.cells, plain.screen.cells)
    }

    func testTurnsThatAreGoneAreForgotten() {
        var (state, pane, request) = streamingPane()
        _ = ChatApp.update(&state, .chatEvent(pane: pane, request: request, .textDelta("hello")))
        let cache = TranscriptCache()
        var editor = LineEditor()
        _ = ChatScreen.render(state: state, editor: &editor, theme: .default, width: 80, height: 24, cache: cache)
        XCTAssertEqual(cache.count, 2)
        _ = ChatApp.update(&state, .clearFocused)
        _ = ChatScreen.render(state: state, editor: &editor, theme: .default, width: 80, height: 24, cache: cache)
        XCTAssertEqual(cache.count, 0)
    }

    /// The cache keeps its own sanitised copy and never the turn's string, so drawing frames
    /// between tokens does not make the app's next append copy the whole answer.
    func testDrawingBetweenTokensKeepsAppendsInPlace() throws {
        var (state, pane, request) = streamingPane()
        let cache = TranscriptCache()
        var editor = LineEditor()
        var moves = 0
        var bytesCopied = 0
        var address: UnsafeRawPointer?
        var length = 0
        for index in 0..<3000 {
            _ = ChatApp.update(&state, .chatEvent(pane: pane, request: request, .textDelta(index % 12 == 11 ? "word\n" : "word ")))
            if index % 5 == 0 {
                _ = ChatScreen.render(state: state, editor: &editor, theme: .default, width: 100, height: 30, cache: cache)
            }
            let text = try XCTUnwrap(state.panes[0].turns.last?.text)
            let current = text.utf8.withContiguousStorageIfAvailable { UnsafeRawPointer($0.baseAddress) } ?? nil
            if text.utf8.count > 15, let previous = address, previous != current {
                moves += 1
                bytesCopied += length
            }
            address = text.utf8.count > 15 ? current : nil
            length = text.utf8.count
        }
        XCTAssertLessThanOrEqual(moves, 40, "the answer's buffer moved on \(moves) of 3000 appends")
        XCTAssertLessThanOrEqual(bytesCopied, 4 * length)
    }
}

/// A resend's replaced exchange: dimmed, with a note above the prompt, the same from the cache
/// as from a fresh render; attachments listed under their prompt.
final class SupersededTranscriptTests: XCTestCase {
    func testReplacedExchangeIsDimmedWithANoteAndTheCacheAgrees() throws {
        var state = AppState(panes: AppState.panes([("sim", "sim-fast")]))
        let start = ChatApp.update(&state, .submitWithAttachments(
            "first @a.txt", [.init(name: "a.txt", content: "12345")], resend: false))
        guard case .startChat(let pane, let request, _, _) = start.first else { return XCTFail("no request") }
        _ = ChatApp.update(&state, .chatEvent(pane: pane, request: request, .textDelta("**old** answer")))
        _ = ChatApp.update(&state, .chatEnded(pane: pane, request: request))
        let cache = TranscriptCache()
        let theme = Theme.default
        let before = cache.lines(of: state.panes[0], width: 40, theme: theme).map(\.plainText)
        XCTAssertTrue(before.contains("  + a.txt (5 B)"), "\(before)")
        _ = ChatApp.update(&state, .resend("second"))

        let fresh = PaneView(pane: state.panes[0], number: 1, focused: true).transcript(width: 40, theme: theme)
        let cached = cache.lines(of: state.panes[0], width: 40, theme: theme)
        XCTAssertEqual(cached, fresh)
        XCTAssertEqual(cached.first?.plainText, "↺ replaced by the resend below; no")
        let oldAnswer = try XCTUnwrap(cached.first { $0.plainText == "old answer" })
        XCTAssertEqual(Set(oldAnswer.spans.map(\.style)), [theme[.dim]], "the replaced answer keeps no bold or colour")
        let newPrompt = try XCTUnwrap(cached.first { $0.plainText == "› second" })
        XCTAssertEqual(newPrompt.spans.first?.style, theme[.user])
    }
}
