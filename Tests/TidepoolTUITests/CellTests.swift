import TidepoolTUI
import XCTest

/// A cell keeps its cluster's code points itself (no String): these check that it gives back
/// what it was given, up to what a curses cell holds.
final class CellTests: XCTestCase {
    func testTextRoundTripsForOneAndSeveralCodePoints() {
        for text in ["a", " ", "é", "e\u{301}", "文", "🇫🇷", "👍🏽", "1\u{FE0F}\u{20E3}", ""] {
            XCTAssertEqual(Cell(text).text, text, "text \(text.unicodeScalars.map(\.value))")
        }
        XCTAssertEqual(Cell(scalar: "x").text, "x")
        XCTAssertEqual(Cell(scalar: "x"), Cell("x"))
    }

    func testOnlyASingleCodePointIsASingleScalar() {
        XCTAssertEqual(Cell("a").singleScalar, 0x61)
        XCTAssertNil(Cell("e\u{301}").singleScalar)
        XCTAssertNil(Cell.continuation(.plain).singleScalar)
    }

    func testALongClusterIsCutAtWhatACursesCellHolds() {
        // A family emoji: seven code points (four people joined by three ZWJs).
        let family = "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F466}"
        let cell = Cell(family, width: 2)
        XCTAssertEqual(cell.text.unicodeScalars.count, Cell.maximumScalars)
        XCTAssertEqual(Array(cell.text.unicodeScalars), Array(family.unicodeScalars.prefix(Cell.maximumScalars)))
    }

    func testCellsDifferByTextWidthOrStyle() {
        let base = Cell("a", width: 1, style: .plain)
        XCTAssertNotEqual(base, Cell("b", width: 1, style: .plain))
        XCTAssertNotEqual(base, Cell("a\u{301}", width: 1, style: .plain))
        XCTAssertNotEqual(base, Cell("a", width: 2, style: .plain))
        XCTAssertNotEqual(base, Cell("a", width: 1, style: Style(attributes: .bold)))
        XCTAssertEqual(Set([base, Cell("a"), Cell("b")]).count, 2)
    }

    func testAZeroWidthCharacterOfItsOwnJoinsThePreviousCell() {
        // A zero-width space is a grapheme cluster of its own: the screen adds it to the "e".
        var screen = Screen(width: 4, height: 1)
        screen.put("e\u{200B}x", x: 0, y: 0, style: .plain)
        XCTAssertEqual(screen[0, 0].text, "e\u{200B}")
        XCTAssertEqual(screen[1, 0].text, "x")
    }
}
