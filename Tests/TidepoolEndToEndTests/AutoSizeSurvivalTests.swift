import TidepoolChat
import TidepoolPool
import TidepoolProviders
import TidepoolSim
import XCTest

/// A pane rides out a server's "busy" while its auto-sized pool learns from it: the 503
/// lowers the limit, the provider's retry (before the first token) gets the answer. The pool
/// starts from a limit set by hand (6), so that it has room to go down: in slow start it
/// would already be at 1.
final class AutoSizeSurvivalTests: XCTestCase {
    func testA503IsRetriedAndLowersTheLimit() async throws {
        let server = SimServer(config: SimConfig(slots: 1, overflow: .busy503))
        let port = try await server.start()
        let origin = Origin(scheme: "http", host: "127.0.0.1", port: port)
        let catalog = ProviderCatalog.builtIn(simulatorOrigin: origin.description)

        // Another client holds the only slot with an answer that goes silent half-way.
        let holderPool = PoolManager()
        var holderProvider = try catalog.provider(named: "sim", transport: holderPool)
        holderProvider.retryPolicy = .none
        holderProvider.timeouts = RequestTimeouts(queue: nil, connect: 5, firstByte: 10, idle: nil)
        let (started, startedContinuation) = AsyncStream<Void>.makeStream()
        let holder = Task {
            let request = ChatRequest(model: "fault-stall:instant", messages: [ChatMessage(role: .user, text: "hold")])
            for try await event in holderProvider.stream(request) {
                if case .textDelta = event { startedContinuation.yield() }
            }
        }
        for await _ in started { break }  // The slot is taken once text flows.

        let pool = PoolManager()
        pool.setConcurrencyLimit(6, for: origin)  // An explicit start, as a hand-set limit is.
        catalog.applyLimits(to: pool)  // The simulator is local: auto sizing on.
        var provider = try catalog.provider(named: "sim", transport: pool)
        // The wait before the retry frees the slot (and checks it is free), so the second
        // attempt is answered whatever the machine's speed.
        provider.retryPolicy = RetryPolicy(maxAttempts: 2, sleep: { _ in
            holder.cancel()
            let deadline = ContinuousClock.now + .seconds(10)
            while server.slotUsage?.busy != 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
        })
        var text = ""
        let request = ChatRequest(model: "sim-fast:instant", messages: [ChatMessage(role: .user, text: "hi")])
        for try await event in provider.stream(request) {
            if case .textDelta(let delta) = event { text += delta }
        }
        XCTAssertFalse(text.isEmpty, "the pane got its answer")
        let stats = try XCTUnwrap(pool.stats().pool(for: origin))
        XCTAssertTrue(stats.autoSized)
        let busy = LimitChange.Key(direction: .down, reason: .busy)
        let round = LimitChange.Key(direction: .up, reason: .fullUse)
        XCTAssertEqual(stats.limitChanges[busy], 1)
        XCTAssertTrue(Set(stats.limitChanges.keys).isSubset(of: [busy, round]), "\(stats.limitChanges)")
        // The server held none of ours: 1 (6 × 0.9 alone would be 5.4); at 1 the retried
        // chat's success is a full round, which may add one.
        XCTAssertEqual(stats.concurrencyLimit, Double(1 + (stats.limitChanges[round] ?? 0)))
        _ = try? await holder.value
        await pool.closeAll()
        await holderPool.closeAll()
        await server.stop()
    }
}
