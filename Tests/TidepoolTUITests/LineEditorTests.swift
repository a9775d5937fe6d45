import TidepoolChat
import TidepoolTUI
import XCTest

final class LineEditorTests: XCTestCase {
    func type(_ text: String, into editor: inout LineEditor) {
        for c in text { editor.handle(.character(c)) }
    }

    func testInsertMoveAndKill() {
        var e = LineEditor()
        type("hello world", into: &e)
        e.handle(.control("a"))
        e.handle(.arrow(.right, []))
        e.handle(.control("k"))
        XCTAssertEqual(e.text, "h")
        e.handle(.control("y"))
        XCTAssertEqual(e.text, "hello world")
        e.handle(.control("u"))
        XCTAssertEqual(e.text, "")
        XCTAssertEqual(e.cursor, 0)
    }

    func testWordMotionAndDeleteWord() {
        var e = LineEditor()
        type("one two  three", into: &e)
        e.handle(.control("w"))
        XCTAssertEqual(e.text, "one two  ")
        e.handle(.alt("b"))
        XCTAssertEqual(e.cursor, 4)
        e.handle(.arrow(.left, .control))
        XCTAssertEqual(e.cursor, 0)
        e.handle(.alt("f"))
        XCTAssertEqual(e.cursor, 3)
        e.handle(.arrow(.right, .control))
        XCTAssertEqual(e.cursor, 7)
        e.handle(.backspace)
        e.handle(.home([]))
        e.handle(.delete)
        XCTAssertEqual(e.text, "ne tw  ")
    }

    func testMultiLineEditingAndVerticalMovement() {
        var e = LineEditor()
        type("first line", into: &e)
        e.handle(.control("j"))
        type("2nd", into: &e)
        XCTAssertEqual(e.lineCount, 2)
        e.handle(.arrow(.up, []))
        XCTAssertEqual(e.cursor, 3)  // same column on the line above
        e.handle(.end([]))
        XCTAssertEqual(e.cursor, 10)
        e.handle(.arrow(.down, []))
        XCTAssertEqual(e.cursor, 14)  // clamped to the shorter line's end
        XCTAssertFalse(e.handle(.enter))  // Enter belongs to the caller
    }

    func testHistoryKeepsTheDraft() {
        var e = LineEditor(history: ["old one", "old\ntwo"])
        type("draft", into: &e)
        e.handle(.arrow(.up, []))
        XCTAssertEqual(e.text, "old\ntwo")
        e.handle(.arrow(.up, []))  // moves to the first line of the multi-line entry
        XCTAssertEqual(e.text, "old\ntwo")
        e.handle(.arrow(.up, []))
        XCTAssertEqual(e.text, "old one")
        e.handle(.arrow(.up, []))
        XCTAssertEqual(e.text, "old one")  // oldest: stays
        e.handle(.arrow(.down, []))
        XCTAssertEqual(e.text, "old\ntwo")
        e.handle(.arrow(.down, []))
        e.handle(.arrow(.down, []))
        XCTAssertEqual(e.text, "draft")
        XCTAssertEqual(e.submit(), "draft")
        XCTAssertEqual(e.history.last, "draft")
        XCTAssertTrue(e.isEmpty)
    }

    func testPasteIsVerbatimWithNewlinesNormalised() {
        var e = LineEditor()
        e.handle(.paste("a\r\nb\rc\td"))
        XCTAssertEqual(e.text, "a\nb\nc\td")
    }

    func testRenderScrollsToKeepCursorVisible() {
        var e = LineEditor()
        type("abcdefghij中", into: &e)
        var screen = Screen(width: 6, height: 1)
        e.render(into: &screen, area: screen.bounds, theme: .monochrome)
        assertScreen(screen, ["hij中 "])  // the cursor's own cell stays free at the edge
        XCTAssertEqual(e.cursorPosition.x, 5)
        var empty = LineEditor()
        empty.render(into: &screen, area: screen.bounds, theme: .monochrome, placeholder: "Ask…")
        assertScreen(screen, ["Ask…  "])
        XCTAssertEqual(empty.cursorPosition.x, 0)
    }
}
