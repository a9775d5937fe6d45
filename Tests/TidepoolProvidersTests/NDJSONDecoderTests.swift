import TestSupport
import XCTest

@testable import TidepoolProviders

final class NDJSONDecoderTests: XCTestCase {
    private func lines(_ chunks: [[UInt8]], maxLineLength: Int = NDJSONDecoder.defaultMaxLineLength) throws -> [String] {
        var decoder = NDJSONDecoder(maxLineLength: maxLineLength)
        var result: [[UInt8]] = []
        for chunk in chunks { result += try decoder.feed(chunk) }
        result += try decoder.finish()
        return result.map { String(decoding: $0, as: UTF8.self) }
    }

    func testEveryNDJSONFixtureIsChunkingInvariant() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Fixtures.directory.path)
            .filter { $0.hasSuffix(".ndjson") }.sorted()
        XCTAssertEqual(names.count, 4)
        for name in names {
            let bytes = try Fixtures.bytes(name)
            let reference = try lines([bytes])
            XCTAssertEqual(reference.count, bytes.filter { $0 == 0x0A }.count, name)
            for (label, chunks) in Chunkings.all(bytes) {
                XCTAssertEqual(try lines(chunks), reference, "\(name), \(label)")
            }
        }
    }

    func testBlankLinesSkippedCRLFToleratedAndLastLineDeliveredByFinish() throws {
        XCTAssertEqual(try lines([Array("{\"a\":1}\r\n\r\n  \n{\"b\":2}\r".utf8), Array("\n{\"c\":3}".utf8)]),
                       ["{\"a\":1}", "{\"b\":2}", "{\"c\":3}"])
    }

    func testLineLongerThanTheBoundThrows() {
        XCTAssertThrowsError(try lines([Array(repeating: UInt8(ascii: "x"), count: 33)], maxLineLength: 32)) {
            XCTAssertEqual($0 as? StreamFramingError, .lineTooLong(limit: 32))
        }
    }
}
