import XCTest

/// Compares lines of text (a rendered screen, a style overlay) with the expected picture and
/// fails with a side-by-side listing of the rows that differ, the way ratatui's buffer
/// assertions do. Target-independent: callers turn their screen into lines first.
public func assertLines(
    _ actual: [String], _ expected: [String], _ message: String = "",
    file: StaticString = #filePath, line: UInt = #line
) {
    guard actual != expected else { return }
    var report = message.isEmpty ? "screen differs" : message
    report += " (\(actual.count) rows, expected \(expected.count))\n"
    for row in 0..<max(actual.count, expected.count) {
        let a = row < actual.count ? actual[row] : "<missing>"
        let e = row < expected.count ? expected[row] : "<missing>"
        report += (a == e ? "   " : " ! ") + String(format: "%2d", row) + " |\(a)|\n"
        if a != e { report += "   want |\(e)|\n" }
    }
    XCTFail(report, file: file, line: line)
}
