import TidepoolTUI
import XCTest

final class MarkdownRendererTests: XCTestCase {
    let theme = Theme.default
    var renderer: MarkdownRenderer { MarkdownRenderer(theme: theme) }

    func testInlineEmphasisAndCode() {
        let lines = renderer.render("say **bold** and *it* or _it_ and `x*y` snake_case_name", width: 80)
        XCTAssertEqual(lines.map(\.plainText), ["say bold and it or it and x*y snake_case_name"])
        let spans = lines[0].spans
        let base = theme[.assistant]
        XCTAssertEqual(spans.first { $0.text == "bold" }?.style, base.patched(with: theme[.bold]))
        XCTAssertEqual(spans.filter { $0.text == "it" }.map(\.style), Array(repeating: base.patched(with: theme[.italic]), count: 2))
        XCTAssertEqual(spans.first { $0.text == "x*y" }?.style, base.patched(with: theme[.code]))
    }

    func testUnclosedEmphasisShowsMarkersWhileStreaming() {
        XCTAssertEqual(renderer.render("this is **not yet", width: 80).map(\.plainText), ["this is **not yet"])
    }

    func testHeadingsQuotesListsAndRules() {
        let md = "# Title\n## Learn C#\n> quoted text\n- item one\n  - nested\n12. twelfth\n---"
        let lines = renderer.render(md, width: 12)
        XCTAssertEqual(
            lines.map(\.plainText),
            ["Title", "Learn C#", "│ quoted", "│ text", "• item one", "  • nested", "12. twelfth",
             String(repeating: "─", count: 12)])
        XCTAssertEqual(lines[0].spans[0].style, theme[.heading])
        XCTAssertEqual(lines[2].spans[0].style, theme[.quote])
        XCTAssertEqual(lines[4].spans[0].style, theme[.listMarker])
    }

    func testListItemsHangIndent() {
        let lines = renderer.render("- alpha beta gamma delta", width: 12)
        XCTAssertEqual(lines.map(\.plainText), ["• alpha beta", "  gamma", "  delta"])
    }

    func testFencedCodeBlockKeepsIndentationAndMarksWraps() {
        let md = "text\n```swift\nlet x = 1\n    indented_long_line_here\n```\nafter"
        let lines = renderer.render(md, width: 16)
        XCTAssertEqual(
            lines.map(\.plainText),
            ["text", "  let x = 1", "      indented_l", "↪ ong_line_here", "after"])
        XCTAssertEqual(lines[1].spans.last?.style, theme[.codeBlock])
    }

    func testUnclosedFenceRendersAsCodeSoFar() {
        let lines = renderer.render("intro\n```\nfunc f() {\n  **not bold**", width: 40)
        XCTAssertEqual(lines.map(\.plainText), ["intro", "  func f() {", "    **not bold**"])
        XCTAssertTrue(lines[1...].allSatisfy { $0.spans.allSatisfy { $0.style == theme[.codeBlock] } })
    }

    func testEveryLineFitsTheWidth() {
        let md = "# 見出し\n長い日本語の文章がここにあります。😀😀 and **bold words** here\n- 項目 item"
        for width in [1, 2, 3] { _ = renderer.render(md, width: width) }  // must not crash
        for width in [4, 7, 20] {
            for line in renderer.render(md, width: width) {
                XCTAssertLessThanOrEqual(line.width, width, "\(line.plainText) at \(width)")
            }
        }
    }
}
