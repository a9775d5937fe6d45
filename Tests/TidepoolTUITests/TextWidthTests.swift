import TidepoolTUI
import XCTest

final class TextWidthTests: XCTestCase {
    func testASCIIAndControls() {
        XCTAssertEqual(TextWidth.width(of: "hello"), 5)
        XCTAssertEqual(TextWidth.width(of: "\u{1B}\u{07}\u{0}"), 0)
        XCTAssertEqual(TextWidth.width(of: "\u{9B}"), 0)
    }

    func testEastAsianWide() {
        XCTAssertEqual(TextWidth.width(of: "中文"), 4)
        XCTAssertEqual(TextWidth.width(of: "한국어"), 6)
        XCTAssertEqual(TextWidth.width(of: "ひらがなカタカナ"), 16)
        XCTAssertEqual(TextWidth.width(of: "ＡＢ"), 4)  // fullwidth forms
        XCTAssertEqual(TextWidth.width(of: "\u{3000}"), 2)  // ideographic space
        XCTAssertEqual(TextWidth.width(of: "ｱ"), 1)  // halfwidth katakana stays narrow
        XCTAssertEqual(TextWidth.width(of: "𠀀"), 2)  // CJK extension B
    }

    func testEmoji() {
        XCTAssertEqual(TextWidth.width(of: "😀"), 2)
        XCTAssertEqual(TextWidth.width(of: "👍🏽"), 2)  // skin tone modifier
        XCTAssertEqual(TextWidth.width(of: "👨‍👩‍👧"), 2)  // ZWJ family
        XCTAssertEqual(TextWidth.width(of: "🇯🇵"), 2)  // flag
        XCTAssertEqual(TextWidth.width(of: "❤️"), 2)  // VS16
        XCTAssertEqual(TextWidth.width(of: "❤"), 1)  // text presentation by default
        XCTAssertEqual(TextWidth.width(of: "1️⃣"), 2)  // keycap
        XCTAssertEqual(TextWidth.width(of: "⌚\u{FE0E}"), 1)  // VS15 asks for text
    }

    func testCombiningAndZeroWidth() {
        XCTAssertEqual(TextWidth.width(of: "e\u{301}"), 1)
        XCTAssertEqual(TextWidth.width(of: "\u{301}"), 0)
        XCTAssertEqual(TextWidth.width(of: "\u{200B}"), 0)
        XCTAssertEqual(TextWidth.width(of: "\u{200D}"), 0)
        XCTAssertEqual(TextWidth.width(of: "\u{FE0F}"), 0)
        XCTAssertEqual(TextWidth.width(of: "ä̈x"), 2)
        XCTAssertEqual(TextWidth.width(of: "\u{1100}\u{1161}\u{11A8}"), 2)  // conjoining jamo
    }

    func testScreenPlacesEmojiAndCombiningCorrectly() {
        var screen = Screen(width: 6, height: 1)
        XCTAssertEqual(screen.put("e\u{301}😀x", x: 0, y: 0, style: .plain), 4)
        assertScreen(screen, ["e\u{301}😀x  "])
    }
}
