import Foundation
import GRDB

/// `tidepool bench history`: what the history costs while answers stream, with the search
/// index as v5 keeps it (answers enter it when they finish) against the v1-v4 triggers (the
/// whole answer deleted from and added to the index at every checkpoint), issue 10.
///
/// A replay, no network: `answers` answers stream side by side (as panes do), each
/// checkpointed `checkpoints` times with its text so far (the recorder checkpoints once a
/// second, so 15 checkpoints are a 15 s answer), then finished with its whole text of
/// `tokens` words. Every write goes through ``HistoryStore``'s own methods into a fresh
/// database in a temporary folder; the "v4 triggers" schema is today's with v5's triggers
/// swapped back for the ones GRDB's `synchronize(withTable:)` made in v1. The figure is this
/// process's CPU time (user + system, `getrusage`) over the replay, per answer; each schema
/// runs `rounds` times, interleaved, and the median is reported. The texts are built before
/// the clock starts.
public struct HistoryCheckpointBenchmark: Sendable {
    /// How the full-text index follows the messages.
    public enum Schema: String, CaseIterable, Sendable, Codable {
        /// v1-v4: every write of a message re-indexes it, checkpoints included.
        case reindexing = "v4-triggers"
        /// v5: a message is indexed when it is finished.
        case finishedOnly = "v5"

        var summary: String {
            switch self {
            case .reindexing: "v4 triggers: re-index every checkpoint"
            case .finishedOnly: "v5: index finished answers"
            }
        }
    }

    /// One schema's figures (medians over the rounds).
    public struct Result: Sendable, Codable, Equatable {
        public var schema: Schema
        /// CPU per answer over the whole replay (start, checkpoints, final write).
        public var cpuMillisecondsPerAnswer: Double
        /// CPU per answer of its checkpoints alone.
        public var checkpointMillisecondsPerAnswer: Double
        /// CPU per answer of its final write.
        public var finalWriteMillisecondsPerAnswer: Double
        /// Each round's CPU per answer, in order.
        public var roundsCPUMillisecondsPerAnswer: [Double]
        /// Bytes of FTS5's index (`messages_fts_data`) at the end of the last round.
        public var indexBytes: Int
        /// Answers the search found by their last word (must be all of them).
        public var answersFound: Int
    }

    public var answers: Int
    public var checkpoints: Int
    public var tokens: Int
    public var rounds: Int
    public var schemas: [Schema]

    public init(answers: Int = 8, checkpoints: Int = 15, tokens: Int = 3000, rounds: Int = 3,
                schemas: [Schema] = Schema.allCases) {
        self.answers = answers
        self.checkpoints = checkpoints
        self.tokens = tokens
        self.rounds = rounds
        self.schemas = schemas
    }

    /// Runs every schema `rounds` times, interleaved, in databases under `directory`
    /// (created if needed; the databases are removed after each run).
    public func run(in directory: String) throws(HistoryError) -> [Result] {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw HistoryError.cannotOpen(path: directory, reason: error.localizedDescription)
        }
        let texts = (0..<answers).map { answer in
            let words = Self.words(count: tokens, seed: answer)
            return (1...checkpoints).map { checkpoint in
                words.prefix(tokens * checkpoint / checkpoints).joined(separator: " ")
            }
        }
        var runs: [Schema: [Replay]] = [:]
        for round in 0..<rounds {
            for schema in schemas {
                let path = directory + "/history-\(schema.rawValue)-\(round).sqlite"
                defer {
                    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
                }
                runs[schema, default: []].append(try replay(texts, schema: schema, path: path))
            }
        }
        return schemas.map { schema in
            let replays = runs[schema] ?? []
            let perAnswer = { (seconds: Double) in seconds * 1000 / Double(max(1, answers)) }
            return Result(
                schema: schema,
                cpuMillisecondsPerAnswer: perAnswer(Self.median(replays.map(\.total))),
                checkpointMillisecondsPerAnswer: perAnswer(Self.median(replays.map(\.checkpoints))),
                finalWriteMillisecondsPerAnswer: perAnswer(Self.median(replays.map(\.finalWrites))),
                roundsCPUMillisecondsPerAnswer: replays.map { perAnswer($0.total) },
                indexBytes: replays.last?.indexBytes ?? 0,
                answersFound: replays.last?.found ?? 0)
        }
    }

    /// The results as a table, with the settings.
    public func table(_ results: [Result]) -> String {
        var lines = [
            "history checkpoints: \(answers) answers side by side x \(checkpoints) checkpoints, "
                + "\(tokens) words each; CPU per answer, median of \(rounds) rounds",
            "schema                                    total  checkpoints  final write  index KiB  found",
        ]
        for result in results {
            lines.append(
                result.schema.summary.padding(toLength: 38, withPad: " ", startingAt: 0)
                    + String(format: "%8.1f ms %9.1f ms %9.1f ms %9d %6d", result.cpuMillisecondsPerAnswer,
                             result.checkpointMillisecondsPerAnswer, result.finalWriteMillisecondsPerAnswer,
                             result.indexBytes / 1024, result.answersFound))
        }
        return lines.joined(separator: "\n")
    }

    // MARK: One replay

    private struct Replay {
        var total: Double
        var checkpoints: Double
        var finalWrites: Double
        var indexBytes: Int
        var found: Int
    }

    private func replay(_ texts: [[String]], schema: Schema, path: String) throws(HistoryError) -> Replay {
        let store = try HistoryStore(path: path)
        if schema == .reindexing {
            try store.perform("restore the v4 triggers") {
                try store.database.write { db in try Self.restoreVersionFourTriggers(db) }
            }
        }
        let session = try store.createSession(title: "bench")
        let pane = try store.addPane(sessionID: session, position: 0, provider: "sim", model: "sim-bench")
        let prompt = try store.recordUserMessage(sessionID: session, text: "tell me about tides", paneID: pane)

        let started = Self.cpuSeconds()
        var ids: [Int64] = []
        for _ in texts {
            ids.append(try store.beginAssistantMessage(
                sessionID: session, paneID: pane, provider: "sim", model: "sim-bench", replyTo: prompt))
        }
        let checkpointsStarted = Self.cpuSeconds()
        for checkpoint in 0..<checkpoints {
            for (id, text) in zip(ids, texts) {
                try store.checkpoint(messageID: id, text: text[checkpoint], reasoning: nil)
            }
        }
        let finalStarted = Self.cpuSeconds()
        for (id, text) in zip(ids, texts) {
            try store.completeAssistantMessage(id, text: text[checkpoints - 1], reasoning: nil)
        }
        let ended = Self.cpuSeconds()

        var found = 0
        for (id, text) in zip(ids, texts) {
            let last = text[checkpoints - 1].split(separator: " ").last.map(String.init) ?? ""
            if try store.search(last, limit: 1000).contains(where: { $0.messageID == id }) { found += 1 }
        }
        let indexBytes = try store.perform("measure the index") {
            try store.database.read { db in
                try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(LENGTH(block)), 0) FROM messages_fts_data") ?? 0
            }
        }
        return Replay(total: ended - started, checkpoints: finalStarted - checkpointsStarted,
                      finalWrites: ended - finalStarted, indexBytes: indexBytes, found: found)
    }

    /// Swaps v5's triggers for the ones v1 made (GRDB's `synchronize(withTable:)`, verbatim in
    /// effect): every insert, update and delete of a message re-indexes it. The rows already
    /// there are all finished, so the index stays exact.
    static func restoreVersionFourTriggers(_ db: Database) throws {
        try db.execute(sql: """
            DROP TRIGGER messages_fts_insert;
            DROP TRIGGER messages_fts_delete;
            DROP TRIGGER messages_fts_update;
            CREATE TRIGGER "__messages_fts_ai" AFTER INSERT ON "messages" BEGIN
                INSERT INTO "messages_fts"("rowid", "text", "reasoning") VALUES (new."id", new."text", new."reasoning");
            END;
            CREATE TRIGGER "__messages_fts_ad" AFTER DELETE ON "messages" BEGIN
                INSERT INTO "messages_fts"("messages_fts", "rowid", "text", "reasoning")
                VALUES('delete', old."id", old."text", old."reasoning");
            END;
            CREATE TRIGGER "__messages_fts_au" AFTER UPDATE ON "messages" BEGIN
                INSERT INTO "messages_fts"("messages_fts", "rowid", "text", "reasoning")
                VALUES('delete', old."id", old."text", old."reasoning");
                INSERT INTO "messages_fts"("rowid", "text", "reasoning") VALUES (new."id", new."text", new."reasoning");
            END;
            """)
    }

    // MARK: Helpers

    /// `count` pronounceable words from a fixed generator (a vocabulary of a few thousand,
    /// as prose has), different for each `seed`.
    static func words(count: Int, seed: Int) -> [String] {
        let syllables = ["ta", "de", "ri", "mo", "su", "ka", "le", "no", "pi", "ve", "go", "ba", "ze", "lu", "fi", "ar",
                         "en", "ol", "is", "um"]
        var state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ 1
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let length = 1 + Int(state >> 62)
            var word = ""
            var bits = state >> 20
            for _ in 0..<length {
                word += syllables[Int(bits % UInt64(syllables.count))]
                bits /= UInt64(syllables.count)
            }
            return word
        }
    }

    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return user + system
    }

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}
