/// The decisions of one pool, with no sockets and no libcurl: how many requests may be in
/// flight, whether a transfer's connection may be kept afterwards, and whether a transfer
/// should wait for a connection that may multiplex. ``CurlPool`` feeds it counts and acts on
/// its answers; the tests drive it by hand.
struct AdmissionPolicy: Equatable {
    /// The pool's limits.
    var limits: PoolLimits
    /// Whether the origin is `https` (where HTTP/2 can be negotiated).
    let usesTLS: Bool
    /// The protocol the origin answered with most recently.
    private(set) var knownVersion: HTTPVersion = .unknown
    /// A concurrency limit set at run time (auto sizing moves it), kept as a real number:
    /// `max(1, floor(limit))` requests are admitted, so a multiplicative decrease from 1.5 to
    /// 1.35 changes nothing yet, but one from 2 to 1.8 admits one fewer. Nil: only the
    /// connection limits apply.
    var concurrencyLimit: Double?

    /// The connections libcurl sees at one moment, as ``CurlPool`` counts them.
    struct Connections: Equatable {
        /// Sockets open now (open/close socket callbacks).
        var open: Int
        /// Transfers handed to libcurl and not finished.
        var inFlight: Int
        /// Of those, the ones whose connection stays open afterwards.
        var inFlightKeeping: Int
    }

    init(limits: PoolLimits, usesTLS: Bool) {
        self.limits = limits
        self.usesTLS = usesTLS
    }

    /// How many requests may be in flight at once: one per connection on HTTP/1.1; on an
    /// origin that multiplexes, as many streams as the connections carry (saturating: limits
    /// of `Int.max` must not overflow). libcurl's own per-host cap still bounds the
    /// connections either way.
    var protocolLimit: Int {
        switch knownVersion {
        case .http2, .http3:
            let (product, overflow) = limits.maxConnections.multipliedReportingOverflow(
                by: limits.maxStreamsPerConnection)
            return overflow ? Int.max : product
        case .unknown where usesTLS:
            // Until the first answer says whether the origin multiplexes, send one request:
            // libcurl's PIPEWAIT alone still opened a second HTTP/2 connection now and then
            // when many requests arrived on a cold pool.
            return 1
        default:
            return limits.maxConnections
        }
    }

    /// Requests admitted at once now: the protocol's limit, lowered to
    /// `max(1, floor(concurrencyLimit))` when one is set.
    var admissionLimit: Int {
        guard let concurrencyLimit else { return protocolLimit }
        return min(protocolLimit, Self.admitted(concurrencyLimit))
    }

    /// `max(1, floor(limit))` as an `Int`, saturating (NaN admits one, as `max(1, nan)` is 1).
    static func admitted(_ limit: Double) -> Int {
        let floored = limit.rounded(.down)
        guard floored >= 1 else { return 1 }  // false for NaN too
        return floored >= Double(Int.max) ? Int.max : Int(floored)
    }

    /// Whether a new request may start now rather than queue (first in, first out: nothing
    /// may overtake a queued request). `inFlight` counts the requests subject to admission;
    /// a monitoring request always starts.
    func admitsNew(_ purpose: RequestPurpose = .chat, queued: Int, inFlight: Int) -> Bool {
        purpose == .monitor || (queued == 0 && inFlight < admissionLimit)
    }

    /// Whether the oldest queued request may start now.
    func admitsQueued(inFlight: Int) -> Bool {
        inFlight < admissionLimit
    }

    /// Whether a transfer should wait for a connection that may multiplex (`CURLOPT_PIPEWAIT`).
    /// Only where HTTP/2 can be negotiated (TLS); on plain HTTP it would serialise requests.
    var waitsForMultiplexing: Bool {
        usesTLS && knownVersion != .http1_1
    }

    /// Learns the protocol an answer came with. Returns true when this lifted the one-request
    /// limit of a cold TLS pool (so queued requests may go now).
    @discardableResult
    mutating func learn(_ version: HTTPVersion) -> Bool {
        guard version != .unknown else { return false }
        let before = admissionLimit
        knownVersion = version
        return admissionLimit > before
    }

    /// Whether the connection a transfer is about to use may stay open afterwards without the
    /// pool ever holding more than `maxIdleConnections` idle ones. On HTTP/1.1 each transfer
    /// holds one connection: it takes an idle one if there is one (the count of keepable
    /// connections does not change), otherwise it opens one, which may be kept only while the
    /// idle connections plus the in-flight transfers that keep theirs stay within the limit.
    /// HTTP/2 connections are shared by streams and already bounded by `maxConnections`.
    func keepsConnection(freshConnection: Bool, warmUp: Bool, _ connections: Connections) -> Bool {
        if freshConnection { return false }
        if knownVersion == .http2 { return true }
        let idle = max(0, connections.open - connections.inFlight)
        if idle > 0 && !warmUp { return true }
        return idle + connections.inFlightKeeping < limits.maxIdleConnections
    }
}
