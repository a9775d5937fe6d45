import GRDB

extension HistoryStore {
    /// Puts the answers still marked `streaming` into the search index, with the text of their
    /// last checkpoint, so an answer cut by a crash or a kill is found by the next search
    /// (while they stream, answers are left out of the index: see
    /// ``HistorySchema/registerV5(_:)``). Called on every open; when nothing is waiting, which
    /// is almost always, it costs one read through a small partial index and takes no lock.
    ///
    /// An answer another Tidepool is still streaming is indexed too (nothing tells the two
    /// apart): it is then re-indexed at each of its later checkpoints, which is correct and
    /// costs what every checkpoint cost before v5.
    ///
    /// Never fails the open: an index missing a cut answer is not worth refusing the history
    /// for (a read-only file, or a writer holding the lock past the deadline). The next open
    /// tries again.
    func indexUnfinishedAnswers(until deadline: ContinuousClock.Instant) {
        let condition = HistorySchema.unindexedStreaming
        do {
            let waiting = try Self.retryingWhileBusy(until: deadline) {
                try database.read { db in
                    try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM messages WHERE \(condition))") ?? false
                }
            }
            guard waiting else { return }
            try Self.retryingWhileBusy(until: deadline) {
                try database.write { db in
                    try db.execute(sql: "UPDATE messages SET indexed_unfinished = 1 WHERE \(condition)")
                }
            }
        } catch {
            return
        }
    }
}
