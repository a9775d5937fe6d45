import Foundation
@testable import TidepoolSim
import XCTest

/// The pure pieces under the wire formats: JSON building, pacing, timestamps.
final class SimWireBuildingTests: XCTestCase {
    func testJSONKeepsKeyOrderAndEscapes() throws {
        let value = SimJSON.object([
            ("z", .int(1)), ("a", .string("quote \" slash \\ newline \n tab \t bell \u{07} é")),
            ("list", .array([.bool(true), .null, .double(1.5)])),
        ])
        let text = value.serialized
        XCTAssertTrue(text.hasPrefix(#"{"z":1,"a":"quote \" slash \\ newline \n tab \t bell \u0007 é","#), text)
        let parsed = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        XCTAssertEqual(parsed["a"] as? String, "quote \" slash \\ newline \n tab \t bell \u{07} é")
    }

    func testPacingOffsets() {
        let model = SimModel(name: "m", timeToFirstToken: .milliseconds(100), tokensPerSecond: 50)
        let normal = SimPacing(model: model, speed: 1)
        XCTAssertEqual(normal.offset(ofToken: 0), .milliseconds(100))
        XCTAssertEqual(normal.offset(ofToken: 5), .milliseconds(200))
        let doubled = SimPacing(model: model, speed: 2)
        XCTAssertEqual(doubled.offset(ofToken: 0), .milliseconds(50))
        XCTAssertEqual(doubled.offset(ofToken: 5), .milliseconds(100))
        XCTAssertTrue(SimPacing(model: model, speed: .infinity).isInstant)
        XCTAssertTrue(SimPacing(model: model.instant, speed: 1).isInstant)
        XCTAssertFalse(normal.isInstant)
    }

    func testOllamaTimestampFormat() {
        XCTAssertEqual(SimTimestamp.rfc3339(Date(timeIntervalSince1970: 0)), "1970-01-01T00:00:00.000000000Z")
        XCTAssertEqual(
            SimTimestamp.rfc3339(Date(timeIntervalSince1970: 1_691_177_565.5)), "2023-08-04T19:32:45.500000000Z")
        XCTAssertEqual(SimTimestamp.rfc3339(Date(timeIntervalSince1970: 951_782_400)), "2000-02-29T00:00:00.000000000Z")
    }

    func testAnswerRespectsTokenBudgetAcrossReasoningAndAnswer() {
        let request = SimChatRequest(
            model: "sim-thinker", prompt: "p", promptTokens: 3, stream: true,
            thinkingRequested: true, maxTokens: 70, includeUsage: false)
        let answer = SimAnswer(request: request, model: .thinker, showReasoning: true, salt: 0)
        XCTAssertEqual(answer.reasoning.count, 60)
        XCTAssertEqual(answer.answer.count, 10)
        XCTAssertTrue(answer.truncated)
        XCTAssertEqual(answer.completionTokens, 70)
    }
}
