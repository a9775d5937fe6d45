@testable import TidepoolTUI
import XCTest

/// Markdown's inline parser and the word wrapper read plain ASCII text a byte or a word at a
/// time (the open line of every streaming pane is parsed and wrapped again each frame); other
/// text a Character at a time. The two ways must give the same lines: these tests run both.
final class ASCIIReadingTests: XCTestCase {
    let theme = Theme.default

    /// Lines that exercise every inline rule: nesting, unmatched and overlong markers, code
    /// spans with padding and markers inside, snake_case, markers at both ends.
    let inlineCorpus: [String] = [
        "",
        "plain words only",
        "say **bold** and *it* or _it_ and `x*y` snake_case_name",
        "**unclosed bold and *unclosed italic",
        "*a **b** c* then ***three*** and ****four****",
        "``code with ` inside`` and ` padded ` and `  ` and ``` no close",
        "_leading_ trailing_ mid_word_ (_paren_) 1_000_000 _1_",
        "**bold with `code **inside**` still bold**",
        "* not a list here * and ** spaced ** markers",
        "__double under__ and __nested *star* inside__",
        "x**y**z and a*b*c and `a`b`c`",
        "*",
        "**",
        "`",
        "ends with marker *",
        "*starts* and ends *with*",
    ]

    func testInlineParsingReadsASCIIBytesAsItReadsCharacters() {
        let emphasis = (bold: theme[.bold], italic: theme[.italic], code: theme[.code])
        let base = theme[.assistant]
        for line in inlineCorpus {
            let bytes = Array(line.utf8)
            let characters = Array(line)
            let byBytes = InlineMarkdownParser(units: bytes, emphasis: emphasis).spans(in: 0..<bytes.count, base: base)
            let byCharacters = InlineMarkdownParser(units: characters, emphasis: emphasis)
                .spans(in: 0..<characters.count, base: base)
            XCTAssertEqual(byBytes, byCharacters, "line: \(line)")
        }
    }

    func testTheRendererGivesTheSameSpansForASCIIAndForTextWithOneAccent() {
        // One accented word sends the line down the Character path; the rest must not change.
        let renderer = MarkdownRenderer(theme: theme)
        for line in inlineCorpus {
            let ascii = renderer.inline(Substring(line + " cafe"), base: theme[.assistant])
            let accented = renderer.inline(Substring(line + " café"), base: theme[.assistant])
            XCTAssertEqual(ascii.map(\.style), accented.map(\.style), "line: \(line)")
            XCTAssertEqual(ascii.map(\.text).joined().dropLast(), accented.map(\.text).joined().dropLast(),
                           "line: \(line)")
        }
    }

    func testWrappingTakesASCIIWordsWholeWithTheSameLinesAsCharacterByCharacter() {
        let bold = theme[.bold]
        let plain = theme[.assistant]
        let cases: [[Span]] = [
            [Span("the quick brown fox jumps over the lazy dog", style: plain)],
            [Span("  indented first line keeps its spaces", style: plain)],
            [Span("a", style: plain), Span("word", style: bold), Span("split across spans and styles", style: plain)],
            [Span("averyveryverylongwordthatmustbehardbrokenacrosslines then short", style: plain)],
            [Span("trailing spaces   ", style: plain), Span("   ", style: bold)],
            [Span("mixed ", style: plain), Span("日本語のテキスト", style: bold), Span(" and ascii", style: plain)],
            [Span("tab\there and a café", style: plain)],
            [Span("", style: plain)],
            [],
        ]
        let prefixes: [([Span], [Span])] = [([], []), ([Span("• ")], [Span("  ")]), ([Span("│ ")], [Span("│ ")])]
        for spans in cases {
            for (first, rest) in prefixes {
                for width in [1, 2, 3, 5, 8, 13, 40] {
                    let whole = WordWrapper.wrap(spans, width: width, firstPrefix: first, continuationPrefix: rest,
                                                 takingASCIIWordsWhole: true)
                    let byCharacter = WordWrapper.wrap(spans, width: width, firstPrefix: first,
                                                       continuationPrefix: rest, takingASCIIWordsWhole: false)
                    XCTAssertEqual(whole, byCharacter, "spans: \(spans.map(\.text)), width \(width)")
                }
            }
        }
    }
}
