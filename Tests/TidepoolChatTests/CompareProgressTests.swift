import TidepoolChat
import TidepoolProviders
import XCTest

/// Issue 12 item 12: `compare` reports each model once, as it finishes.
final class CompareProgressTests: XCTestCase {
    func testEachModelIsReportedOnceWhenItsAnswerEnds() {
        var panes = AppState.panes([("sim", "sim-fast"), ("sim-ollama", "sim-steady"), ("ollama", "qwen3:4b")])
        for index in panes.indices {
            panes[index].turns = [Turn(id: 1, role: .user, text: "hi"), Turn(id: 2, role: .assistant, text: "", status: .streaming)]
            panes[index].status = .streaming
        }
        var progress = CompareProgress()
        XCTAssertTrue(progress.newlyFinished(in: panes).isEmpty, "nothing has finished")

        panes[1].turns[1].status = .done
        panes[1].turns[1].text = "Hello."
        panes[1].turns[1].timings = ChatTimings(firstByte: 0.1, timeToFirstToken: 0.21, total: 1.3, tokensPerSecond: 41.5, outputTokens: 12)
        panes[1].turns[1].outputTokens = 12
        panes[1].status = .done
        let first = progress.newlyFinished(in: panes)
        XCTAssertEqual(first.map(\.label), ["sim-ollama:sim-steady"])
        XCTAssertEqual(CompareProgress.line(first[0], finished: 1, of: 3),
                       "[1/3] sim-ollama:sim-steady done in 1.30 s (ttft 0.21 s, 41.5 tok/s, 12 tokens)")
        XCTAssertTrue(progress.newlyFinished(in: panes).isEmpty, "reported once")

        panes[2].turns[1].status = .error
        panes[2].turns[1].error = "no server at 127.0.0.1:11434; is Ollama running? `ollama serve`"
        panes[2].status = .error
        panes[0].turns[1].status = .done
        panes[0].status = .done
        let rest = progress.newlyFinished(in: panes)
        XCTAssertEqual(rest.map(\.label), ["sim:sim-fast", "ollama:qwen3:4b"])
        XCTAssertEqual(progress.finishedCount, 3)
        XCTAssertEqual(CompareProgress.line(rest[1], finished: 3, of: 3),
                       "[3/3] ollama:qwen3:4b failed: no server at 127.0.0.1:11434; is Ollama running? `ollama serve`")
        XCTAssertEqual(CompareProgress.line(rest[0], finished: 2, of: 3), "[2/3] sim:sim-fast done")
    }
}
