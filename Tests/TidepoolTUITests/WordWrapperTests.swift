import TidepoolTUI
import XCTest

final class WordWrapperTests: XCTestCase {
    func text(_ lines: [StyledLine]) -> [String] { lines.map(\.plainText) }

    func testWordsBreakAtSpaces() {
        let lines = WordWrapper.wrap([Span("the quick brown fox jumps")], width: 10)
        XCTAssertEqual(text(lines), ["the quick", "brown fox", "jumps"])
    }

    func testOverlongWordsHardBreak() {
        XCTAssertEqual(text(WordWrapper.wrap([Span("abcdefghij xy")], width: 4)), ["abcd", "efgh", "ij", "xy"])
    }

    func testCJKBreaksAnywhereAndNeverSplits() {
        let lines = WordWrapper.wrap([Span("中文字符测试")], width: 5)
        XCTAssertEqual(text(lines), ["中文", "字符", "测试"])
        XCTAssertTrue(lines.allSatisfy { $0.width <= 5 })
        let mixed = WordWrapper.wrap([Span("ab中文cd 😀😀😀")], width: 5)
        XCTAssertTrue(mixed.allSatisfy { $0.width <= 5 }, "\(text(mixed))")
        XCTAssertEqual(text(mixed).joined(), "ab中文cd😀😀😀")
    }

    func testStylesArePreservedAcrossBreaks() {
        let bold = Style(attributes: .bold)
        let lines = WordWrapper.wrap([Span("plain "), Span("bold words here", style: bold)], width: 11)
        XCTAssertEqual(text(lines), ["plain bold", "words here"])
        XCTAssertEqual(lines[0].spans, [Span("plain ", style: .plain), Span("bold", style: bold)])
        XCTAssertEqual(lines[1].spans, [Span("words here", style: bold)])
    }

    func testHangingIndent() {
        let lines = WordWrapper.wrap(
            [Span("one two three four")], width: 9, firstPrefix: [Span("- ")], continuationPrefix: [Span("  ")])
        XCTAssertEqual(text(lines), ["- one two", "  three", "  four"])
    }

    func testEmptyAndZeroWidth() {
        XCTAssertEqual(text(WordWrapper.wrap([], width: 10)), [""])
        XCTAssertEqual(text(WordWrapper.wrap([Span("abc")], width: 0)), ["a", "b", "c"])
    }
}
