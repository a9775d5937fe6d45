import TidepoolTUI
import XCTest

final class TerminalSanitizerTests: XCTestCase {
    func testWindowTitleOSCIsRemoved() {
        XCTAssertEqual(TerminalSanitizer.sanitize("a\u{1B}]0;pwned\u{07}b"), "ab")
        XCTAssertEqual(TerminalSanitizer.sanitize("a\u{1B}]2;pwned\u{1B}\\b"), "ab")
        XCTAssertEqual(TerminalSanitizer.sanitize("a\u{9D}0;x\u{9C}b"), "ab")
        // OSC 52 clipboard write.
        XCTAssertEqual(TerminalSanitizer.sanitize("x\u{1B}]52;c;ZXZpbA==\u{07}y"), "xy")
    }

    func testClearScreenAndOtherCSIAreRemoved() {
        XCTAssertEqual(TerminalSanitizer.sanitize("\u{1B}[2J\u{1B}[Hhi\u{1B}[31mred\u{1B}[0m"), "hired")
        XCTAssertEqual(TerminalSanitizer.sanitize("\u{9B}2Jok"), "ok")
        XCTAssertEqual(TerminalSanitizer.sanitize("a\u{1B}cb\u{1B}(Bc"), "abc")  // RIS, charset
        XCTAssertEqual(TerminalSanitizer.sanitize("\u{1B}P1$r\u{1B}\\done"), "done")  // DCS
    }

    func testControlsAreShownOrNormalised() {
        XCTAssertEqual(TerminalSanitizer.sanitize("a\u{07}b\u{0}c\u{7F}"), "a␇b␀c␡")
        XCTAssertEqual(TerminalSanitizer.sanitize("l1\r\nl2\rX\tY"), "l1\nl2X    Y")
        XCTAssertEqual(TerminalSanitizer.sanitize("a\u{85}b\u{202E}c"), "abc")
        XCTAssertEqual(TerminalSanitizer.sanitize("中文 😀 é"), "中文 😀 é")
    }

    func testSequencesSplitAcrossChunks() {
        let attack = "before\u{1B}]0;evil title\u{07}mid\u{1B}[2Jafter\r\nend"
        let expected = "beforemidafter\nend"
        // Every split point, byte by byte in scalar terms.
        let scalars = Array(attack.unicodeScalars)
        for split in 0...scalars.count {
            var s = TerminalSanitizer()
            var a = String.UnicodeScalarView()
            a.append(contentsOf: scalars[..<split])
            var b = String.UnicodeScalarView()
            b.append(contentsOf: scalars[split...])
            let out = s.sanitize(String(a)) + s.sanitize(String(b)) + s.finish()
            XCTAssertEqual(out, expected, "split at \(split)")
        }
        // One scalar per chunk.
        var s = TerminalSanitizer()
        let out = scalars.map { s.sanitize(String($0)) }.joined() + s.finish()
        XCTAssertEqual(out, expected)
    }

    func testUnterminatedSequenceIsBounded() {
        var s = TerminalSanitizer(maximumSequenceLength: 64)
        _ = s.sanitize("\u{1B}]0;" + String(repeating: "x", count: 100))
        XCTAssertFalse(s.isInsideSequence)
        XCTAssertEqual(s.sanitize("visible"), "visible")
    }
}
