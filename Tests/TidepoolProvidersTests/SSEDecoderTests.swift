import TestSupport
import XCTest

@testable import TidepoolProviders

final class SSEDecoderTests: XCTestCase {
    private func decode(_ chunks: [[UInt8]], maxLineLength: Int = SSEDecoder.defaultMaxLineLength) throws -> [SSEEvent] {
        var decoder = SSEDecoder(maxLineLength: maxLineLength)
        var events: [SSEEvent] = []
        for chunk in chunks { events += try decoder.feed(chunk) }
        return events + (try decoder.finish())
    }

    private func decode(_ text: String) throws -> [SSEEvent] { try decode([Array(text.utf8)]) }

    /// Every fixture that is an SSE body decodes to the same events however it is chunked.
    func testEverySSEFixtureIsChunkingInvariant() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Fixtures.directory.path)
            .filter { $0.hasSuffix(".sse") }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 18)
        for name in names {
            let bytes = try Fixtures.bytes(name)
            let reference = try decode([bytes])
            XCTAssertFalse(reference.isEmpty, name)
            for (label, chunks) in Chunkings.all(bytes) {
                XCTAssertEqual(try decode(chunks), reference, "\(name), \(label)")
            }
        }
    }

    func testMultilineDataWithEmptyLines() throws {
        let events = try decode([try Fixtures.bytes("sse-edge-multiline-data-with-empty-lines.sse")])
        XCTAssertEqual(events, [SSEEvent(event: "ping", data: "{\n\"foo\":\n\n\ntrue}")])
        let json = try JSONValue(parsing: Array(events[0].data.utf8))
        XCTAssertEqual(json["foo"], .bool(true))
    }

    func testJSONEscapedDoubleNewlineStaysInOneEvent() throws {
        let events = try decode([try Fixtures.bytes("sse-edge-json-escaped-double-newline.sse")])
        XCTAssertEqual(events.count, 1)
        XCTAssertEqual(try JSONValue(parsing: Array(events[0].data.utf8))["foo"]?.string, "my long\n\ncontent")
    }

    func testU2028IsNotALineBreak() throws {
        let events = try decode([try Fixtures.bytes("sse-edge-u2028-in-data.sse")])
        XCTAssertEqual(events.map(\.data), [
            "{\"content\":\" culpa\"}", "{\"content\":\" \u{2028}\"}", "{\"content\":\"foo\"}",
        ])
    }

    func testMultibyteUTF8SplitAcrossChunks() throws {
        let bytes = try Fixtures.bytes("sse-edge-multibyte-utf8.sse")
        let events = try decode(bytes.map { [$0] })
        XCTAssertEqual(events.count, 1)
        XCTAssertEqual(try JSONValue(parsing: Array(events[0].data.utf8))["content"]?.string, "известни")
    }

    func testMixedLineEndingsPersistentIDAndDroppedUnterminatedEvent() throws {
        let events = try decode([try Fixtures.bytes("sse-edge-mixed-line-endings-id-eof.sse")])
        XCTAssertEqual(events.map(\.data), ["известни", "two"])
        XCTAssertEqual(events.map(\.id), ["one", "one"])
    }

    func testEventWithoutDataIsStillDispatched() throws {
        let events = try decode([try Fixtures.bytes("sse-edge-event-without-data.sse")])
        XCTAssertEqual(events, [SSEEvent(event: "ping", data: ""), SSEEvent(event: "completion", data: "")])
    }

    func testCRAtEndOfChunkAndLFAtStartOfNextIsOneLineEnding() throws {
        let events = try decode([Array("data: a\r".utf8), Array("\ndata: b\r".utf8), Array("\n\r\n".utf8)])
        XCTAssertEqual(events, [SSEEvent(data: "a\nb")])
    }

    func testCommentsFieldsWithoutColonRetryAndOneStrippedSpace() throws {
        let events = try decode(": keep-alive\nretry: 1500\ndata:  two spaces\ndata\nevent:x\nbogus: 1\n\nretry: 12a\n\n")
        XCTAssertEqual(events, [SSEEvent(event: "x", data: " two spaces\n", retry: 1500)])
    }

    func testIDWithNULIsIgnoredAndBOMStripped() throws {
        let events = try decode([[0xEF, 0xBB, 0xBF] + Array("id: a\ndata: 1\n\nid: b\0c\ndata: 2\n\n".utf8)])
        XCTAssertEqual(events.map(\.id), ["a", "a"])
        XCTAssertEqual(events.map(\.data), ["1", "2"])
    }

    func testLineLongerThanTheBoundThrows() {
        XCTAssertThrowsError(try decode([Array(repeating: UInt8(ascii: "a"), count: 100)], maxLineLength: 64)) {
            XCTAssertEqual($0 as? StreamFramingError, .lineTooLong(limit: 64))
        }
        XCTAssertThrowsError(try decode([Array(String(repeating: "data: 0123456789\n", count: 10).utf8)], maxLineLength: 64)) {
            XCTAssertEqual($0 as? StreamFramingError, .eventTooLarge(limit: 64))
        }
        XCTAssertNoThrow(try decode([Array((String(repeating: "b", count: 58) + "\n\n").utf8)], maxLineLength: 64))
    }
}
