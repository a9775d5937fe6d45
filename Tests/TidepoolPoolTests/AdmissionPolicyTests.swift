@testable import TidepoolPool
import XCTest

/// The pool's admission decisions, driven by hand: no sockets, no libcurl.
final class AdmissionPolicyTests: XCTestCase {
    private func policy(_ limits: PoolLimits = PoolLimits(maxConnections: 4, maxIdleConnections: 2), tls: Bool = false)
        -> AdmissionPolicy {
        AdmissionPolicy(limits: limits, usesTLS: tls)
    }

    func testPlainHTTPAdmitsOneRequestPerConnection() {
        var plain = policy()
        XCTAssertEqual(plain.admissionLimit, 4)
        XCTAssertTrue(plain.admitsNew(queued: 0, inFlight: 3))
        XCTAssertFalse(plain.admitsNew(queued: 0, inFlight: 4))
        plain.learn(.http1_1)
        XCTAssertEqual(plain.admissionLimit, 4)
        XCTAssertFalse(plain.waitsForMultiplexing, "PIPEWAIT on plain HTTP would serialise requests")
    }

    func testNothingOvertakesAQueuedRequest() {
        let plain = policy()
        XCTAssertFalse(plain.admitsNew(queued: 1, inFlight: 0))
        XCTAssertTrue(plain.admitsQueued(inFlight: 0))
    }

    func testAColdTLSPoolSendsOneRequestUntilItKnowsTheProtocol() {
        var cold = policy(tls: true)
        XCTAssertEqual(cold.admissionLimit, 1)
        XCTAssertTrue(cold.waitsForMultiplexing)
        XCTAssertTrue(cold.learn(.http2), "learning HTTP/2 must let the queued requests go")
        XCTAssertEqual(cold.admissionLimit, 4 * 100)
        XCTAssertFalse(cold.learn(.http2), "nothing new to let go")
        XCTAssertFalse(cold.learn(.unknown))
        XCTAssertEqual(cold.knownVersion, .http2)

        var http1 = policy(tls: true)
        XCTAssertTrue(http1.learn(.http1_1))
        XCTAssertEqual(http1.admissionLimit, 4)
        XCTAssertFalse(http1.waitsForMultiplexing)
    }

    func testHTTP2LimitSaturatesInsteadOfOverflowing() {
        var huge = policy(PoolLimits(maxConnections: Int.max, maxStreamsPerConnection: Int.max), tls: true)
        huge.learn(.http2)
        XCTAssertEqual(huge.admissionLimit, Int.max)
        var wide = policy(PoolLimits(maxConnections: Int.max / 2 + 1, maxStreamsPerConnection: 2), tls: true)
        wide.learn(.http3)
        XCTAssertEqual(wide.admissionLimit, Int.max)
    }

    func testIdleLimitDecidesWhetherANewHTTP1ConnectionIsKept() {
        let pool = policy()  // at most 2 idle
        // An idle connection exists: the request takes it, nothing new is kept.
        XCTAssertTrue(pool.keepsConnection(freshConnection: false, warmUp: false, .init(open: 1, inFlight: 0, inFlightKeeping: 0)))
        // No idle connection; one in-flight keeps its own: a second kept one is within 2.
        XCTAssertTrue(pool.keepsConnection(freshConnection: false, warmUp: false, .init(open: 1, inFlight: 1, inFlightKeeping: 1)))
        // Two in flight keep theirs already: a third would exceed the idle limit afterwards.
        XCTAssertFalse(pool.keepsConnection(freshConnection: false, warmUp: false, .init(open: 2, inFlight: 2, inFlightKeeping: 2)))
        // A warm-up opens a new connection even when one is idle, so the idle one counts.
        XCTAssertTrue(pool.keepsConnection(freshConnection: false, warmUp: true, .init(open: 1, inFlight: 0, inFlightKeeping: 0)))
        XCTAssertFalse(pool.keepsConnection(freshConnection: false, warmUp: true, .init(open: 2, inFlight: 0, inFlightKeeping: 0)))
        // A request that asked for a fresh connection never keeps it.
        XCTAssertFalse(pool.keepsConnection(freshConnection: true, warmUp: false, .init(open: 0, inFlight: 0, inFlightKeeping: 0)))
    }

    func testHTTP2ConnectionsAreAlwaysKept() {
        var multiplexed = policy(tls: true)
        multiplexed.learn(.http2)
        XCTAssertTrue(multiplexed.keepsConnection(freshConnection: false, warmUp: false, .init(open: 9, inFlight: 9, inFlightKeeping: 9)))
    }

    func testNewLimitsApplyToTheNextDecision() {
        var pool = policy()
        pool.limits = PoolLimits(maxConnections: 1)
        XCTAssertFalse(pool.admitsNew(queued: 0, inFlight: 1))
    }
}

/// The run-time concurrency limit (a real number) and monitoring requests that bypass it.
final class ConcurrencyLimitPolicyTests: XCTestCase {
    func testARealLimitAdmitsItsFloorAndAtLeastOne() {
        var pool = AdmissionPolicy(limits: PoolLimits(maxConnections: 6), usesTLS: false)
        XCTAssertEqual(pool.admissionLimit, 6)
        pool.concurrencyLimit = 2.7
        XCTAssertEqual(pool.admissionLimit, 2)
        pool.concurrencyLimit = 2.7 * 0.9  // 2.43: a multiplicative decrease that does not show yet
        XCTAssertEqual(pool.admissionLimit, 2)
        pool.concurrencyLimit = 1.8
        XCTAssertEqual(pool.admissionLimit, 1)
        pool.concurrencyLimit = 0.2
        XCTAssertEqual(pool.admissionLimit, 1, "never below one")
        pool.concurrencyLimit = .nan
        XCTAssertEqual(pool.admissionLimit, 1)
        pool.concurrencyLimit = 1e300
        XCTAssertEqual(pool.admissionLimit, 6, "never above the connection limit")
        pool.concurrencyLimit = nil
        XCTAssertEqual(pool.admissionLimit, 6)
        XCTAssertEqual(AdmissionPolicy.admitted(.infinity), Int.max)
    }

    func testTheLimitAppliesToHTTP2StreamsToo() {
        var pool = AdmissionPolicy(limits: PoolLimits(maxConnections: 2, maxStreamsPerConnection: 100), usesTLS: true)
        pool.learn(.http2)
        pool.concurrencyLimit = 7.5
        XCTAssertEqual(pool.admissionLimit, 7)
        XCTAssertFalse(pool.admitsNew(.chat, queued: 0, inFlight: 7))
    }

    func testMonitoringRequestsBypassTheLimitAndTheQueue() {
        var pool = AdmissionPolicy(limits: PoolLimits(maxConnections: 4), usesTLS: false)
        pool.concurrencyLimit = 1
        XCTAssertFalse(pool.admitsNew(.chat, queued: 0, inFlight: 1))
        XCTAssertFalse(pool.admitsNew(.discovery, queued: 0, inFlight: 1), "discovery is counted like a chat")
        XCTAssertTrue(pool.admitsNew(.monitor, queued: 3, inFlight: 1))
    }
}
