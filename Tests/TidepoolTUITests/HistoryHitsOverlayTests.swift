import TidepoolChat
import TidepoolTUI
import XCTest

final class HistoryHitsOverlayTests: XCTestCase {
    func testListsHitsWithHowToReopenAndNeverPassesEscapes() {
        var screen = Screen(width: 100, height: 12)
        let hits = [
            HistoryHit(sessionID: 12, title: "Tides\u{1B}]0;pwned\u{07}", snippet: "how [tides] work"),
            HistoryHit(sessionID: 3, title: "Harbours", snippet: "spring [tides] and\nneap"),
        ]
        HistoryHitsOverlay(query: "tides", hits: hits).render(into: &screen, area: Rect(x: 0, y: 0, width: 100, height: 12), theme: .default)
        let text = screen.lines.joined(separator: "\n")
        XCTAssertTrue(text.contains("History: tides"), text)
        XCTAssertTrue(text.contains("#12 Tides  how [tides] work"), text)
        XCTAssertTrue(text.contains("#3 Harbours  spring [tides] and neap"), text)
        XCTAssertTrue(text.contains(HistoryHitsOverlay.footer), text)
        XCTAssertFalse(text.contains("pwned") && text.contains("\u{1B}"), text)
        XCTAssertFalse(screen.lines.contains { $0.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 } })
    }

    func testNothingFoundAndTinySizesDoNotCrash() {
        for (width, height) in [(0, 0), (1, 1), (10, 3), (40, 6)] {
            var screen = Screen(width: width, height: height)
            HistoryHitsOverlay(query: "x", hits: []).render(into: &screen, area: Rect(x: 0, y: 0, width: width, height: height), theme: .default)
        }
        var screen = Screen(width: 60, height: 8)
        HistoryHitsOverlay(query: "zebra", hits: []).render(into: &screen, area: Rect(x: 0, y: 0, width: 60, height: 8), theme: .default)
        XCTAssertTrue(screen.lines.joined().contains("nothing found"))
    }
}
