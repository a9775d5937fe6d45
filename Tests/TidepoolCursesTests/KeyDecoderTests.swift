@testable import TidepoolCurses
import TidepoolTUI
import XCTest

final class KeyDecoderTests: XCTestCase {
    func testPlainCharactersAndControls() {
        var d = KeyDecoder()
        XCTAssertEqual(d.feed(text: "a中\r\t\u{7F}\u{01}\n"),
                       [.character("a"), .character("中"), .enter, .tab, .backspace, .control("a"), .control("j")])
    }

    func testAltLettersAndLoneEscape() {
        var d = KeyDecoder()
        XCTAssertEqual(d.feed(text: "\u{1B}b\u{1B}f"), [.alt("b"), .alt("f")])
        // The vote keys: Alt-V, Alt-= and Alt-X arrive as ESC and the character.
        XCTAssertEqual(d.feed(text: "\u{1B}v\u{1B}=\u{1B}x"), [.alt("v"), .alt("="), .alt("x")])
        XCTAssertEqual(d.feed(text: "\u{1B}"), [])
        XCTAssertTrue(d.hasPending)
        XCTAssertEqual(d.flush(), [.escape])
        XCTAssertFalse(d.hasPending)
    }

    func testRawCSISequencesWithModifiers() {
        var d = KeyDecoder()
        XCTAssertEqual(d.feed(text: "\u{1B}[A\u{1B}[1;5D\u{1B}[1;3C\u{1B}OH\u{1B}[3~\u{1B}[5~\u{1B}[Z\u{1B}[15~"), [
            .arrow(.up, []), .arrow(.left, .control), .arrow(.right, .alt), .home([]), .delete, .pageUp,
            .backTab, .function(5),
        ])
    }

    func testBracketedPasteSplitAnywhere() {
        let input = "x\u{1B}[200~line1\r\n\u{1B}[Aline2\u{1B}[201~y"
        let scalars = Array(input.unicodeScalars)
        for split in 0...scalars.count {
            var d = KeyDecoder()
            var keys = scalars[..<split].flatMap { d.feed(.character($0.value)) }
            keys += scalars[split...].flatMap { d.feed(.character($0.value)) }
            XCTAssertEqual(keys, [.character("x"), .paste("line1\r\n\u{1B}[Aline2"), .character("y")], "split \(split)")
        }
    }

    func testHugePasteIsDeliveredInPieces() {
        var d = KeyDecoder()
        d.maximumPasteLength = 16
        let keys = d.feed(text: "\u{1B}[200~" + String(repeating: "z", count: 40) + "\u{1B}[201~")
        let text = keys.map { if case .paste(let s) = $0 { return s } else { return "?" } }.joined()
        XCTAssertEqual(text, String(repeating: "z", count: 40))
        XCTAssertGreaterThan(keys.count, 1)
    }

    func testCursesKeyCodesAndExtendedNames() {
        var d = KeyDecoder()
        XCTAssertEqual(d.feed([
            .keyCode(CursesKeyCode.up, name: "KEY_UP"), .keyCode(CursesKeyCode.f0 + 2, name: nil),
            .keyCode(CursesKeyCode.resize, name: nil), .keyCode(600, name: "kLFT5"), .keyCode(601, name: "kRIT3"),
            .keyCode(602, name: "kUP2"), .keyCode(CursesKeyCode.backspace, name: nil), .wheel(-1), .wheel(1),
        ]), [.arrow(.up, []), .function(2), .resize, .arrow(.left, .control), .arrow(.right, .alt),
             .arrow(.up, .shift), .backspace, .wheelUp, .wheelDown])
    }

    func testSGRMouseWheel() {
        var d = KeyDecoder()
        XCTAssertEqual(d.feed(text: "\u{1B}[<64;10;5M\u{1B}[<65;10;5M\u{1B}[<0;1;1M"), [.wheelUp, .wheelDown])
    }
}
