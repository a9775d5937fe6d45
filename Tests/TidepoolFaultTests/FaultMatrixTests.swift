import Foundation
import TestSupport
import TidepoolBench
import TidepoolPool
import TidepoolProviders
import TidepoolTUI
import XCTest

/// Every fault a server can commit, through the real pipeline (provider decoders, the shared
/// pool, libcurl, loopback sockets): each ends with a clear message, crashes nothing, keeps the
/// text that arrived, and leaves the pool healthy: the next request on the same pool succeeds
/// and the process's open descriptors are back where they were.
///
/// Some expectations are the providers work of issue 8 seen from outside (defect 5: a stream
/// cut short or a 200 HTML page is an error; defect 10: an answer cap; defect 1: `Retry-After`
/// clamped to [0, 300] s); this matrix checks them end to end through the pool.
final class FaultMatrixTests: XCTestCase {
    private var server: HostileHTTPServer!
    private var pool: PoolManager!
    private var client: FaultClient { FaultClient(pool: pool, server: server) }

    override func setUp() async throws {
        server = try HostileHTTPServer()
        pool = PoolManager()
    }

    override func tearDown() async throws {
        await pool.closeAll()
        pool.shutdown()
        server.stop()
    }

    private var okText: String { HostileHTTPServer.okWords.joined() }

    /// The error's message, or a failure when there is none. A `Retry-After` outside
    /// [0, 300] s fails here instead of being formatted (formatting an absurd one trapped).
    private func message(_ outcome: FaultOutcome, file: StaticString = #filePath, line: UInt = #line) -> String? {
        guard let error = outcome.error else {
            XCTFail("expected an error, got \(outcome)", file: file, line: line)
            return nil
        }
        switch error {
        case .rateLimited(_, let seconds?, _), .unavailable(_, let seconds?, _):
            guard seconds.isFinite, (0...300).contains(seconds) else {
                XCTFail("Retry-After \(seconds) s is not clamped to [0, 300]", file: file, line: line)
                return nil
            }
        default: break
        }
        return error.description
    }

    /// Runs `fault` between two healthy requests on the same pool and checks its outcome
    /// with `check`, then the pool's health.
    private func assertFault(
        _ fault: HostileHTTPServer.Fault, file: StaticString = #filePath, line: UInt = #line,
        _ check: (FaultOutcome) throws -> Void
    ) async throws {
        let warm = try await client.run(.ok)
        XCTAssertEqual(warm.text, okText, "warm-up before \(fault)", file: file, line: line)
        let baseline = ProcessFigures.openDescriptors()
        let outcome = try await client.run(fault)
        XCTAssertNil(outcome.otherError, "\(fault): every failure is a ProviderError", file: file, line: line)
        try check(outcome)
        let next = try await client.run(.ok)
        XCTAssertNil(next.error, "\(fault): the next request on the same pool fails: \(next)", file: file, line: line)
        XCTAssertEqual(next.text, okText, "\(fault): the next request on the same pool", file: file, line: line)
        XCTAssertLessThanOrEqual(ProcessFigures.waitForDescriptors(baseline), baseline,
                                 "\(fault): open descriptors back where they were (none left open)", file: file, line: line)
    }

    private func assertContains(_ text: String?, _ parts: [String], _ fault: HostileHTTPServer.Fault,
                                file: StaticString = #filePath, line: UInt = #line) {
        guard let text else { return }
        for part in parts {
            XCTAssertTrue(text.contains(part), "\(fault): '\(part)' missing from: \(text)", file: file, line: line)
        }
    }

    // MARK: Connections

    func testARefusedConnectionNamesTheAddress() async throws {
        // A port that was just free: nothing listens there.
        let closed = try HostileHTTPServer()
        let port = closed.port
        closed.stop()
        let warm = try await client.run(.ok)
        XCTAssertEqual(warm.text, okText)
        let baseline = ProcessFigures.openDescriptors()
        let provider = try Provider(
            preset: .openAICompatible, baseURL: "http://127.0.0.1:\(port)/v1", transport: pool, retryPolicy: .none)
        let outcome = await client.run(provider)
        assertContains(message(outcome), ["no server at 127.0.0.1:\(port)"], .ok)
        let next = try await client.run(.ok)
        XCTAssertEqual(next.text, okText, "the pool still works: \(next)")
        // The refused origin got a pool of its own (its multi handle holds descriptors until
        // closed); with it closed, nothing of the failed attempt remains.
        await pool.close(provider.origin)
        XCTAssertLessThanOrEqual(ProcessFigures.waitForDescriptors(baseline), baseline, "none left open")
    }

    func testAResetMidStreamKeepsTheTextAndSaysTheConnectionWasLost() async throws {
        try await assertFault(.resetMidStream) { outcome in
            XCTAssertEqual(outcome.text, "cut off ", "the text that arrived is kept")
            assertContains(message(outcome), ["127.0.0.1:\(server.port)"], .resetMidStream)
        }
    }

    func testAStallEndsWithTheIdleTimeout() async throws {
        try await assertFault(.stall) { outcome in
            XCTAssertEqual(outcome.text, "waiting ")
            assertContains(message(outcome), ["timed out after 1 s", "the stream went silent"], .stall)
        }
    }

    // MARK: Statuses

    func testRateLimitedWithEveryRetryAfterForm() async throws {
        for form in HostileHTTPServer.RetryAfterForm.allCases {
            try await assertFault(.rateLimited(form)) { outcome in
                let text = message(outcome)
                assertContains(text, ["HTTP 429", "slow down"], .rateLimited(form))
                assertRetryAdvice(text, form)
            }
        }
    }

    func testUnavailableWithEveryRetryAfterForm() async throws {
        for form in HostileHTTPServer.RetryAfterForm.allCases {
            try await assertFault(.unavailable(form)) { outcome in
                let text = message(outcome)
                assertContains(text, ["HTTP 503", "overloaded"], .unavailable(form))
                assertRetryAdvice(text, form)
            }
        }
    }

    /// The advice a person reads: seconds when the server gave a usable value, clamped to
    /// [0, 300] s; a general "shortly" when it gave garbage.
    private func assertRetryAdvice(_ text: String?, _ form: HostileHTTPServer.RetryAfterForm,
                                   file: StaticString = #filePath, line: UInt = #line) {
        guard let text else { return }
        switch form {
        case .seconds:
            XCTAssertTrue(text.hasSuffix("try again in 7 s"), text, file: file, line: line)
        case .httpDate:
            let seconds = text.components(separatedBy: "try again in ").last.flatMap { Int($0.dropLast(2)) }
            XCTAssertNotNil(seconds, text, file: file, line: line)
            XCTAssertTrue((90...121).contains(seconds ?? -1), "about two minutes from now: \(text)", file: file, line: line)
        case .garbage:
            XCTAssertTrue(text.hasSuffix("try again shortly"), text, file: file, line: line)
        case .huge:
            XCTAssertTrue(text.hasSuffix("try again in 300 s"), "clamped to 300 s: \(text)",
                          file: file, line: line)
        case .negative:
            XCTAssertFalse(text.contains("-5") || text.contains("in -"), text, file: file, line: line)
            XCTAssertTrue(text.contains("try again"), text, file: file, line: line)
        }
    }

    func testUnauthorizedSaysTheKeyWasRejectedAndNeverShowsIt() async throws {
        try await assertFault(.unauthorized) { outcome in
            let text = message(outcome)
            assertContains(text, ["rejected the API key (HTTP 401)", "Incorrect API key provided"], .unauthorized)
            XCTAssertFalse(text?.contains("sk-hostile-test") ?? false)
        }
    }

    /// An HTML error page is shown by its title, not its markup.
    func testAServerErrorWithAnHTMLBodyGivesTheStatus() async throws {
        try await assertFault(.serverErrorHTML) { outcome in
            let text = message(outcome)
            assertContains(text, ["HTTP 500"], .serverErrorHTML)
            XCTAssertFalse(text?.contains("<center>") ?? false, "no raw markup: \(text ?? "")")
        }
    }

    // MARK: Stream content

    func testAMalformedLineKeepsTheTextBeforeIt() async throws {
        try await assertFault(.malformedLine) { outcome in
            XCTAssertEqual(outcome.text, "fine ")
            assertContains(message(outcome), ["not valid JSON"], .malformedLine)
        }
    }

    func testALineOverTheLimitEndsWithTheBound() async throws {
        try await assertFault(.lineOverLimit) { outcome in
            assertContains(message(outcome), ["exceeded 4 MiB"], .lineOverLimit)
        }
    }

    func testInvalidUTF8IsReplacedNotFatal() async throws {
        try await assertFault(.invalidUTF8) { outcome in
            if let error = outcome.error {
                // Refusing the event is acceptable if it says so clearly.
                assertContains(error.description, ["not valid"], .invalidUTF8)
            } else {
                XCTAssertTrue(outcome.text.hasPrefix("bad ") && outcome.text.hasSuffix(" bytes"), outcome.text)
                XCTAssertTrue(outcome.text.contains("\u{FFFD}"), "bad bytes become U+FFFD: \(outcome.text.debugDescription)")
                XCTAssertTrue(outcome.finished)
            }
        }
    }

    func testControlCharactersArriveIntactAndAreSanitisedForTheScreen() async throws {
        try await assertFault(.controls) { outcome in
            XCTAssertNil(outcome.error)
            XCTAssertEqual(outcome.text, HostileHTTPServer.controlText, "the stored answer keeps every byte")
            let shown = TerminalSanitizer.sanitize(outcome.text)
            XCTAssertFalse(shown.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) },
                           shown.debugDescription)
            XCTAssertTrue(shown.hasPrefix("nul") && shown.hasSuffix("end"), shown.debugDescription)
        }
    }

    func testEscapeSequencesArriveIntactAndNeverReachTheTerminal() async throws {
        try await assertFault(.escapeSequences) { outcome in
            XCTAssertNil(outcome.error)
            XCTAssertEqual(outcome.text, HostileHTTPServer.escapeText)
            XCTAssertEqual(TerminalSanitizer.sanitize(outcome.text), "beforeredafter")
        }
    }

    // MARK: Endings (defects 5 and 10)

    func testATruncatedStreamIsAnErrorAndKeepsItsText() async throws {
        try await assertFault(.truncated) { outcome in
            XCTAssertEqual(outcome.text, "half an ")
            assertContains(message(outcome), ["closed the stream before the answer finished"], .truncated)
        }
    }

    func testAnHTMLPageWithStatus200NamesWhatArrivedAndTheBaseURL() async throws {
        try await assertFault(.htmlWithStatus200) { outcome in
            let text = message(outcome)
            XCTAssertTrue(text?.lowercased().contains("html") ?? false, "names what arrived: \(text ?? "")")
            assertContains(text, ["base URL"], .htmlWithStatus200)
        }
    }

    func testAnEndlessStreamIsCutAtTheAnswerCap() async throws {
        try await assertFault(.endless) { outcome in
            let text = message(outcome) ?? ""
            XCTAssertTrue(text.contains("max_answer_bytes") || text.contains("4 MiB"), "says the cap ended it: \(text)")
            XCTAssertLessThanOrEqual(outcome.text.utf8.count, 4 << 20, "no more than the cap is kept")
            XCTAssertGreaterThan(outcome.text.utf8.count, 1 << 20, "the text up to the cap is kept")
        }
    }
}
