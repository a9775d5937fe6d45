import TestSupport
import TidepoolTUI
import XCTest

/// The screen's text rows must equal `expected` (trailing spaces included: they were drawn).
func assertScreen(
    _ screen: Screen, _ expected: [String], file: StaticString = #filePath, line: UInt = #line
) {
    assertLines(screen.lines, expected, file: file, line: line)
}

/// A style overlay: one letter per column from `legend` (unknown styles show `?`).
func assertStyles(
    _ screen: Screen, _ legend: [Character: Style], _ expected: [String],
    file: StaticString = #filePath, line: UInt = #line
) {
    let reverse = Dictionary(legend.map { ($0.value, $0.key) }, uniquingKeysWith: { a, _ in a })
    assertLines(screen.styleLines { reverse[$0] ?? "?" }, expected, "styles differ", file: file, line: line)
}
