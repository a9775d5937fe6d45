import TestSupport
import XCTest

@testable import TidepoolProviders

/// The `/metrics` reader: every sample of the recorded bodies, the syntax's corners, and
/// hostile bodies (garbage, truncation, huge) that must be skipped or refused, never trap.
final class PrometheusTextTests: XCTestCase {
    private func parse(_ text: String) throws -> PrometheusText {
        try PrometheusText(parsing: Array(text.utf8))
    }

    func testReadsEverySampleOfTheRecordedVLLMBody() throws {
        let body = try Fixtures.bytes("servers/vllm-metrics.txt")
        let metrics = try PrometheusText(parsing: body)
        // 635 lines, 188 of them comments: every other line is a sample.
        XCTAssertEqual(metrics.samples.count, 447)
        XCTAssertEqual(metrics.skippedLines, 0)
        let kv = try XCTUnwrap(metrics.samples(named: "vllm:kv_cache_usage_perc").first)
        XCTAssertEqual(kv.labels, ["engine": "0", "model_name": "qwen3.6-27b-autoround"])
        XCTAssertEqual(kv.value, 0.38235294117647056)
        let infBucket = metrics.samples(named: "vllm:time_to_first_token_seconds_bucket").last
        XCTAssertEqual(infBucket?.labels["le"], "+Inf")
        XCTAssertEqual(infBucket?.value, 4)
    }

    func testReadsTheRecordedLlamaCppBodies() throws {
        for name in ["llamacpp-metrics-busy.txt", "llamacpp-metrics-idle.txt",
                     "llamacpp-b9014-metrics.txt", "llamacpp-b9014-metrics.idle.txt"] {
            let metrics = try PrometheusText(parsing: try Fixtures.bytes("servers/" + name))
            XCTAssertEqual(metrics.skippedLines, 0, name)
            XCTAssertNotNil(metrics.sum("llamacpp:requests_processing"), name)
        }
        let b9014 = try PrometheusText(parsing: try Fixtures.bytes("servers/llamacpp-b9014-metrics.txt"))
        XCTAssertEqual(b9014.maximum("llamacpp:predicted_tokens_seconds"), 43.7158)
    }

    func testSyntaxCorners() throws {
        let metrics = try parse(
            "# HELP a x\n# TYPE a gauge\n"
                + "a 1\r\n"  // CRLF
                + "  b{x=\"q\\\"uo\\\\te\\nnl\",} 2.5e1 1700000000000\n"  // escapes, trailing comma, timestamp
                + "c{} NaN\n"
                + "d +Inf\n"
                + "e -Inf\n"
                + "f{a=\"1\",b=\"}{,\"} -3\n"  // braces and commas inside a value
                + "\n\n")
        XCTAssertEqual(metrics.skippedLines, 0)
        XCTAssertEqual(metrics.samples.map(\.name), ["a", "b", "c", "d", "e", "f"])
        XCTAssertEqual(metrics.samples[1].labels, ["x": "q\"uo\\te\nnl"])
        XCTAssertEqual(metrics.samples[1].value, 25)
        XCTAssertTrue(metrics.samples[2].value.isNaN)
        XCTAssertEqual(metrics.samples[3].value, .infinity)
        XCTAssertEqual(metrics.samples[5].labels, ["a": "1", "b": "}{,"])
        XCTAssertEqual(metrics.sum("d"), nil, "infinities are not summed")
    }

    func testGarbageLinesAreSkippedAndCounted() throws {
        let metrics = try parse(
            "ok 1\n"
                + "no_value\n"
                + "bad value\n"
                + "nan_lower nan\n"
                + "hex 0x10\n"
                + "1starts_with_digit 1\n"
                + "unterminated{a=\"x 1\n"
                + "bad_escape{a=\"\\q\"} 1\n"
                + "{\"quoted.utf8.name\"} 1\n"
                + "three fields 1 2 3\n"
                + "ts 1 notatime\n"
                + "\u{0}\u{1}\u{FF}binary\n"
                + "also_ok{le=\"0.5\"} 2\n")
        XCTAssertEqual(metrics.samples.map(\.name), ["ok", "also_ok"])
        XCTAssertEqual(metrics.skippedLines, 11)
    }

    func testEveryTruncationOfARealBodyParsesWithoutTrapping() throws {
        let body = try Fixtures.bytes("servers/llamacpp-b9014-metrics.txt")
        for length in 0...body.count {
            let metrics = try PrometheusText(parsing: Array(body[..<length]))
            XCTAssertLessThanOrEqual(metrics.skippedLines, 1, "only the cut line may be unreadable")
        }
    }

    func testABodyOverTheCapIsRefusedAndOneAtTheCapIsRead() throws {
        let line = Array("x 1\n".utf8)
        let atCap = Array([[UInt8]](repeating: line, count: PrometheusText.maximumBodyBytes / line.count).joined())
        XCTAssertEqual(atCap.count, PrometheusText.maximumBodyBytes)
        XCTAssertEqual(try PrometheusText(parsing: atCap).samples.count, atCap.count / line.count)
        XCTAssertThrowsError(try PrometheusText(parsing: atCap + [0x0A])) { error in
            XCTAssertEqual(
                error as? ServerMonitorError,
                .bodyTooLarge(endpoint: "/metrics", bytes: atCap.count + 1, limit: PrometheusText.maximumBodyBytes))
        }
    }

    func testOneHugeLineAndManyLabelsAreSkipped() throws {
        let longValue = "x " + String(repeating: "9", count: 100_000) + "\n"
        let labels = (0..<100).map { "l\($0)=\"v\"" }.joined(separator: ",")
        let metrics = try parse(longValue + "many{\(labels)} 1\nfine 2\n")
        XCTAssertEqual(metrics.samples.map(\.name), ["fine"])
        XCTAssertEqual(metrics.skippedLines, 2)
    }
}
