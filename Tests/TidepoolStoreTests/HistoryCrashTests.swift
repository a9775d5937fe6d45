import Foundation
import GRDB
import XCTest

@testable import TidepoolStore

/// Kills a real process with SIGKILL in the middle of a streaming answer and checks what the
/// database kept: the prompt, and the answer up to its last checkpoint, searchable once the
/// history is opened again.
///
/// The test bundle runs itself as the child: with `TIDEPOOL_CRASH_CHILD_DB` set,
/// ``testChildWritesThenWaitsToBeKilled`` writes and then waits to be killed.
final class HistoryCrashTests: XCTestCase {
    private static let childVariable = "TIDEPOOL_CRASH_CHILD_DB"
    private static let prompt = "Tell me about tides."
    private static let checkpoints = ["The tide", "The tide rises twice", "The tide rises twice a day because"]

    func testStreamingAnswerSurvivesSIGKILL() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tidepool-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let databasePath = directory.appendingPathComponent("history.sqlite").path

        let child = Process()
        child.executableURL = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        child.arguments = ["TidepoolStoreTests.HistoryCrashTests/testChildWritesThenWaitsToBeKilled"]
        var environment = ProcessInfo.processInfo.environment
        environment[Self.childVariable] = databasePath
        child.environment = environment
        let output = Pipe()
        child.standardOutput = output
        child.standardError = FileHandle.nullDevice
        try child.run()

        // Wait (bounded) until the child says its last checkpoint is written.
        let ready = DispatchSemaphore(value: 0)
        let reader = Thread {
            var seen = Data()
            let marker = Data("TIDEPOOL-CHILD checkpoint \(Self.checkpoints.count)\n".utf8)
            while true {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                seen.append(chunk)
                if seen.range(of: marker) != nil {
                    ready.signal()
                    break
                }
            }
        }
        reader.start()
        let signalled = ready.wait(timeout: .now() + 30) == .success
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        XCTAssertTrue(signalled, "the child never reported its checkpoints")
        XCTAssertEqual(child.terminationReason, .uncaughtSignal)
        XCTAssertEqual(child.terminationStatus, SIGKILL)

        // A streaming answer is left out of the search index (v5): the cut one is not in it yet.
        let unindexed = try DatabaseQueue(path: databasePath).read { db in
            try Int64.fetchAll(db, sql: "SELECT rowid FROM messages_fts WHERE messages_fts MATCH 'because'")
        }
        XCTAssertEqual(unindexed, [], "a streaming answer was indexed before it finished")

        // Opening the history again indexes it with its last checkpoint.
        let store = try HistoryStore(path: databasePath)
        let session = try XCTUnwrap(try store.lastSessionID())
        let messages = try store.loadSession(session).messages
        XCTAssertEqual(messages.map(\.role), [.user, .assistant])
        XCTAssertEqual(messages.first?.text, Self.prompt)
        XCTAssertEqual(messages.last?.text, Self.checkpoints.last)
        XCTAssertEqual(messages.last?.reasoning, "thinking \(Self.checkpoints.count)")
        XCTAssertEqual(messages.last?.status, .streaming)
        XCTAssertEqual(try store.search("because").map(\.messageID), [messages[1].id])
    }

    /// Only does something as the child process of ``testStreamingAnswerSurvivesSIGKILL``.
    func testChildWritesThenWaitsToBeKilled() throws {
        guard let path = ProcessInfo.processInfo.environment[Self.childVariable] else {
            throw XCTSkip("runs only as the child process of testStreamingAnswerSurvivesSIGKILL")
        }
        let store = try HistoryStore(path: path)
        let session = try store.createSession(title: "Crash")
        let pane = try store.addPane(sessionID: session, position: 0, provider: "ollama", model: "qwen3:4b")
        let prompt = try store.recordUserMessage(sessionID: session, text: Self.prompt, paneID: pane)
        let answer = try store.beginAssistantMessage(
            sessionID: session, paneID: pane, provider: "ollama", model: "qwen3:4b", replyTo: prompt)
        for (index, text) in Self.checkpoints.enumerated() {
            try store.checkpoint(messageID: answer, text: text, reasoning: "thinking \(index + 1)")
            FileHandle.standardOutput.write(Data("TIDEPOOL-CHILD checkpoint \(index + 1)\n".utf8))
        }
        // Text after the last checkpoint exists only in memory, as in a real stream.
        Thread.sleep(forTimeInterval: 60)
        XCTFail("the parent should have killed this process")
    }
}
