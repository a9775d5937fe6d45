import Foundation
import TestSupport
import XCTest

@testable import TidepoolProviders

/// The byte-level parser must read every document exactly as Foundation's `JSONSerialization`
/// did, and reject what it rejected.
final class JSONParserTests: XCTestCase {
    private func agree(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        let bytes = Array(text.utf8)
        let mine = try? JSONValue(parsing: bytes)
        let foundation = try? JSONValue(parsingWithFoundation: bytes)
        XCTAssertEqual(mine, foundation, "for \(text.debugDescription)", file: file, line: line)
    }

    func testEveryLineOfTheWireFixturesParsesAsWithFoundation() throws {
        let documents = try Fixtures.wireJSONDocuments()
        for document in documents { agree(document) }
        XCTAssertGreaterThan(documents.count, 30)
    }

    func testValuesAndEscapes() throws {
        for text in [
            #"{"a":1,"b":-2.5,"c":1e3,"d":true,"e":false,"f":null,"g":[1,[2,{}]],"h":"x"}"#,
            #" {"nested": {"deep": [ {"k" : "v" } ] } } "#,
            #""just a string""#, "42", "-0", "0.5", "1E-2", "true", "null",
            #"{"esc":"quote \" backslash \\ slash \/ \b\f\n\r\t end"}"#,
            #"{"u":"\u00e9\u4e2d\ud83d\ude00 and raw é 中 😀"}"#,
            #"{"dup":1,"dup":2}"#,
            #"{"content":"известни"}"#,
        ] {
            agree(text)
        }
        // Where Foundation was wrong (an integer beyond Int wrapped around to a negative one,
        // Int.min became a double), the parser keeps the value instead.
        XCTAssertEqual(try JSONValue(parsing: Array(#"{"big":12345678901234567890,"min":-9223372036854775808}"#.utf8)),
                       .object(["big": .double(12345678901234567890), "min": .int(Int.min)]))
        XCTAssertEqual(try JSONValue(parsing: Array(#"{"a":[1,2.5,"x"]}"#.utf8)),
                       .object(["a": .array([.int(1), .double(2.5), .string("x")])]))
    }

    func testMalformedDocumentsAreRejected() {
        for text in [
            "", " ", "{", "}", "[1,]", "{\"a\":}", "{\"a\" 1}", "{a:1}", "[1 2]", "01", "1.", ".5", "-", "1e",
            "\"unterminated", "\"bad \\x escape\"", "\"\\u12\"", "\"lone \\ud800 surrogate\"", "\"tab\tinside\"",
            "tru", "nul", "{\"a\":1} trailing", "[[[[", String(repeating: "[", count: 10_000),
        ] {
            XCTAssertThrowsError(try JSONValue(parsing: Array(text.utf8)), "accepted \(text.prefix(40).debugDescription)")
        }
        XCTAssertThrowsError(try JSONValue(parsing: [0x22, 0xFF, 0xFE, 0x22]), "invalid UTF-8 accepted")
    }
}
