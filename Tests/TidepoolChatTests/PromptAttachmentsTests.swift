import Foundation
import TidepoolChat
import TidepoolStore
import XCTest

final class PromptAttachmentsTests: XCTestCase {
    private func paths(_ prompt: String) -> [String] {
        PromptAttachments.parse(prompt).references.map(\.path)
    }

    func testReferenceStartsAtTheStartOrAfterWhitespace() {
        XCTAssertEqual(paths("@notes.txt summarise"), ["notes.txt"])
        XCTAssertEqual(paths("review @src/main.swift and @README.md"), ["src/main.swift", "README.md"])
        XCTAssertEqual(paths("line one\n@a.txt"), ["a.txt"])
    }

    func testEmailsLoneAtAndMidWordAtAreText() {
        XCTAssertEqual(paths("write to alice@example.com please"), [])
        XCTAssertEqual(paths("user@host:~/x"), [])
        XCTAssertEqual(paths("a lone @ here"), [])
        XCTAssertEqual(paths("ends with @"), [])
    }

    func testDoubleAtIsAnEscapedLiteral() {
        let parsed = PromptAttachments.parse("why does @@property fail, and a@@b?")
        XCTAssertEqual(parsed.references, [])
        XCTAssertEqual(parsed.text, "why does @property fail, and a@@b?")
        XCTAssertEqual(paths("@@notes.txt @real.txt"), ["real.txt"])
    }

    func testTrailingPunctuationIsNotPartOfThePath() {
        XCTAssertEqual(paths("look at @notes.txt."), ["notes.txt"])
        XCTAssertEqual(paths("(see @a.md), then @b.md!"), ["a.md", "b.md"])
    }

    func testQuotedPathWithSpacesAndDuplicates() {
        XCTAssertEqual(paths("read @\"my notes.txt\" and @\"my notes.txt\" again"), ["my notes.txt"])
        XCTAssertEqual(paths("@x.txt @x.txt"), ["x.txt"])
    }

    func testFrameHoldsTheFileBetweenMarkersWithALongerFence() {
        let attachment = StoredAttachment(name: "a.md", content: "text\n```swift\nx\n```\n")
        let sent = AttachmentFrame.compose("check @a.md", [attachment])
        XCTAssertEqual(sent, "check @a.md\n\n--- file: a.md ---\n````\ntext\n```swift\nx\n```\n````\n--- end of file: a.md ---")
        XCTAssertEqual(AttachmentFrame.compose("plain", []), "plain")
    }
}

final class AttachmentLoaderTests: XCTestCase {
    private var directory: String!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "tidepool-attach-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func write(_ name: String, _ data: Data) {
        _ = FileManager.default.createFile(atPath: directory + "/" + name, contents: data)
    }

    private func loadError(_ loader: AttachmentLoader, _ paths: [String]) -> AttachmentError? {
        do {
            _ = try loader.load(paths.map(PromptAttachments.Reference.init(path:)))
            return nil
        } catch {
            return error
        }
    }

    func testReadsTextRelativeToTheBaseAndHashesIt() throws {
        write("notes.txt", Data("hello\n".utf8))
        let loaded = try AttachmentLoader(baseDirectory: directory).load([.init(path: "notes.txt")])
        XCTAssertEqual(loaded.map(\.name), ["notes.txt"])
        XCTAssertEqual(loaded[0].content, "hello\n")
        XCTAssertEqual(loaded[0].byteCount, 6)
        XCTAssertEqual(loaded[0].hash, SHA256.hex("hello\n"))
        let absolute = try AttachmentLoader().load(directory + "/notes.txt")
        XCTAssertEqual(absolute.content, "hello\n")
    }

    func testCapsNameTheFileAndTheLimit() {
        write("big.log", Data(repeating: UInt8(ascii: "a"), count: 2049))
        write("small.txt", Data(repeating: UInt8(ascii: "b"), count: 2048))
        let loader = AttachmentLoader(maxFileBytes: 2048, maxTotalBytes: 3000, baseDirectory: directory)
        let tooLarge = loadError(loader, ["big.log"])
        XCTAssertEqual(tooLarge, .tooLarge(path: "big.log", bytes: 2049, limit: 2048))
        XCTAssertEqual(tooLarge?.description, "@big.log is 2 KiB; one attachment may be at most 2 KiB")
        XCTAssertNil(loadError(loader, ["small.txt"]), "exactly at the cap is allowed")
        write("other.txt", Data(repeating: UInt8(ascii: "c"), count: 1000))
        let total = loadError(loader, ["small.txt", "other.txt"])
        XCTAssertEqual(total, .totalTooLarge(bytes: 3048, limit: 3000))
    }

    func testMissingFolderAndBinaryAreRefusedWithTheirName() throws {
        let loader = AttachmentLoader(baseDirectory: directory)
        XCTAssertEqual(loadError(loader, ["nope.txt"]), .notFound(path: "nope.txt"))
        XCTAssertEqual(loadError(loader, ["nope/deeper.txt"]), .notFound(path: "nope/deeper.txt"))
        try FileManager.default.createDirectory(atPath: directory + "/folder", withIntermediateDirectories: true)
        XCTAssertEqual(loadError(loader, ["folder"]), .notAFile(path: "folder"))
        write("image.png", Data([0x89, 0x50, 0x4E, 0x47, 0x00, 0x01]))
        XCTAssertEqual(loadError(loader, ["image.png"]), .binary(path: "image.png"))
        write("latin1.txt", Data([0x63, 0x61, 0x66, 0xE9]))
        XCTAssertEqual(loadError(loader, ["latin1.txt"]), .binary(path: "latin1.txt"))
        XCTAssertTrue(AttachmentError.notFound(path: "x").description.contains("@x"))
    }

    /// A prompt pasted from code (`@MainActor`, `@here`) still sends: a bare word that names no
    /// file stays text, while a bare word that does name a file is attached.
    func testABareWordNamingNoFileStaysText() throws {
        let loader = AttachmentLoader(baseDirectory: directory)
        XCTAssertNil(loadError(loader, ["MainActor"]))
        XCTAssertEqual(try loader.load([PromptAttachments.Reference(path: "MainActor")]), [])
        write("Makefile", Data("all:\n".utf8))
        XCTAssertEqual(try loader.load([PromptAttachments.Reference(path: "Makefile")]).map(\.name), ["Makefile"])
        XCTAssertEqual(loadError(loader, ["notes.txt"]), .notFound(path: "notes.txt"), "a missing path is still refused")
    }
}

final class CodeBlocksTests: XCTestCase {
    func testExtractsEachFencedBlockWithItsLanguage() {
        let answer = """
            Try this:

            ```swift
            let x = 1
            print(x)
            ```

            then run

            ~~~~sh
            swift run
            ~~~
            ~~~~
            and `inline` code is not a block.
            """
        let blocks = CodeBlocks.extract(answer)
        XCTAssertEqual(blocks, [
            CodeBlocks.Block(language: "swift", text: "let x = 1\nprint(x)"),
            CodeBlocks.Block(language: "sh", text: "swift run\n~~~"),
        ])
        XCTAssertEqual(blocks[0].summary, "swift, 2 lines")
    }

    func testUnclosedBlockAndInlineTripleBackticks() {
        XCTAssertEqual(CodeBlocks.extract("```js\nstill streaming"), [CodeBlocks.Block(language: "js", text: "still streaming")])
        XCTAssertEqual(CodeBlocks.extract("text ```not a fence``` text"), [])
        XCTAssertEqual(CodeBlocks.extract("    ```\n    indented four"), [])
    }
}
