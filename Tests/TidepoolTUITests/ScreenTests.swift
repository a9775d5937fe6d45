import TidepoolTUI
import XCTest

final class ScreenTests: XCTestCase {
    func testPutClipsAndReportsColumns() {
        var screen = Screen(width: 8, height: 2)
        XCTAssertEqual(screen.put("hello world", x: 1, y: 0, style: .plain, maxWidth: 5), 5)
        XCTAssertEqual(screen.put("abc", x: 6, y: 1, style: .plain), 2)
        assertScreen(screen, [" hello  ", "      ab"])
    }

    /// `reset` gives the same screen as a new one, whatever was drawn before and whatever
    /// the old size (the chat loop draws each frame into the one before last).
    func testResetEqualsANewScreen() {
        let fill = Cell.blank(Style(foreground: .indexed(42)))
        var screen = Screen(width: 6, height: 2)
        screen.put("ab中c", x: 0, y: 0, style: Style(attributes: .bold))
        screen.reset(width: 6, height: 2, fill: fill)
        XCTAssertEqual(screen, Screen(width: 6, height: 2, fill: fill))
        screen.reset(width: 4, height: 3, fill: fill)
        XCTAssertEqual(screen, Screen(width: 4, height: 3, fill: fill))
        screen.reset(width: 3, height: 3, fill: fill)
        XCTAssertEqual(screen, Screen(width: 3, height: 3, fill: fill))
        screen.reset(width: 4, height: -1)
        XCTAssertEqual(screen, Screen(width: 4, height: 0))
    }

    func testWideCharactersNeverStraddleTheClipEdge() {
        var screen = Screen(width: 6, height: 1)
        XCTAssertEqual(screen.put("a中文", x: 0, y: 0, style: .plain, maxWidth: 4), 4)
        assertScreen(screen, ["a中   "])
        XCTAssertTrue(screen[2, 0].isContinuation)
        XCTAssertEqual(screen[3, 0].text, " ")
    }

    func testOverwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var screen = Screen(width: 4, height: 1)
        screen.put("中文", x: 0, y: 0, style: .plain)
        screen.put("x", x: 1, y: 0, style: .plain)  // tail of 中
        assertScreen(screen, [" x文"])
        screen.put("y", x: 2, y: 0, style: .plain)  // head of 文
        assertScreen(screen, [" xy "])
    }

    func testDiffReportsOnlyChangedRunsAndKeepsWidePairsTogether() {
        var a = Screen(width: 10, height: 3)
        a.put("hello", x: 0, y: 0, style: .plain)
        var b = a
        b.put("J", x: 0, y: 0, style: .plain)
        b.put("中", x: 6, y: 2, style: Style(foreground: .red))
        let runs = b.diff(from: a)
        XCTAssertEqual(runs.map(\.x), [0, 6])
        XCTAssertEqual(runs.map(\.y), [0, 2])
        XCTAssertEqual(runs[0].cells.map(\.text), ["J"])
        XCTAssertEqual(runs[1].cells.count, 2)
        XCTAssertTrue(runs[1].cells[1].isContinuation)
        XCTAssertTrue(b.diff(from: b).isEmpty)
        // Another size: everything is repainted.
        XCTAssertEqual(b.diff(from: Screen(width: 5, height: 3)).reduce(0) { $0 + $1.cells.count }, 30)
    }

    func testBoxAndStyleOverlay() {
        var screen = Screen(width: 5, height: 3)
        let border = Style(foreground: .blue)
        screen.drawBox(screen.bounds, style: border)
        screen.put("hi", x: 1, y: 1, style: .plain)
        assertScreen(screen, ["╭───╮", "│hi │", "╰───╯"])
        assertStyles(screen, ["b": border, ".": .plain], ["bbbbb", "b...b", "bbbbb"])
    }

    func testTinyAndEmptyScreensDoNotCrash() {
        var screen = Screen(width: 0, height: 0)
        screen.put("x", x: 0, y: 0, style: .plain)
        screen.drawBox(Rect(x: -2, y: -2, width: 10, height: 10), style: .plain)
        screen.fill(Rect(x: 5, y: 5, width: 3, height: 3))
        XCTAssertEqual(screen.lines, [])
        var one = Screen(width: 1, height: 1)
        one.drawBox(one.bounds, style: .plain)
        one.put("中", x: 0, y: 0, style: .plain)
        assertScreen(one, [" "])
    }

    func testRectSplitsTileExactly() {
        let r = Rect(x: 2, y: 1, width: 10, height: 4)
        let cols = r.splitColumns([.length(3), .fill(1), .fill(1)])
        XCTAssertEqual(cols.map(\.width), [3, 4, 3])
        XCTAssertEqual(cols.map(\.x), [2, 5, 9])
        XCTAssertEqual(r.equalRows(3).map(\.height), [2, 1, 1])
        XCTAssertEqual(r.splitRows([.percentage(50), .fill(1)]).map(\.height), [2, 2])
        XCTAssertEqual(r.inset(by: 3), Rect(x: 5, y: 4, width: 4, height: 0))
    }
}
