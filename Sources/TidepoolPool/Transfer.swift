import CCurlShim

#if canImport(Glibc)
import Glibc
#endif

/// One request's life inside the pool, from the queue to its last event.
///
/// Intentionally not thread-safe: created when the network thread takes the request from its
/// inbox and touched only by that thread afterwards (libcurl's callbacks run on it too). The
/// consumer sees only its ``ResponseSink``, which is Sendable.
///
/// Lifetime: the pool's queue or in-flight table holds it strongly; while its easy handle is in
/// the multi handle, libcurl holds it too, as a raw pointer owning one retain (taken in
/// `CurlPool.start` after `curl_multi_add_handle` succeeded, given back in `CurlPool.finish`
/// after `curl_multi_remove_handle`), so a callback can never see a freed transfer.
final class Transfer {
    /// Why the transfer exists.
    enum Purpose {
        /// An ordinary request from a caller.
        case request
        /// A warm-up request: forces a new connection that stays open for later requests.
        case warmUp
    }

    let id: UInt64
    let request: HTTPRequest
    let origin: Origin
    let purpose: Purpose
    let sink: ResponseSink
    let enqueuedAt: UInt64
    /// The network thread, which wakes a stream's reader at the end of a loop turn.
    unowned let thread: NetworkThread

    /// When the transfer left the queue and was handed to libcurl (0 while queued).
    var admittedAt: UInt64 = 0
    /// The easy handle while admitted.
    var easy: EasyHandle?
    /// Request headers as libcurl wants them; freed when the transfer ends.
    var headerList: UnsafeMutablePointer<curl_slist>?
    /// libcurl's error message buffer for this transfer.
    let errorBuffer: UnsafeMutablePointer<CChar>

    /// Status of the most recent header block (a 100 Continue is followed by the real one).
    var status = 0
    var headers: [HTTPHeader] = []
    var statusLineVersion: HTTPVersion = .unknown
    var headSent = false
    /// First response byte (header or body) received.
    var firstByteAt: UInt64?
    /// First body byte received (for a stream, the first token: auto sizing's delay signal).
    var firstBodyAt: UInt64?
    /// The auto-sizing controller's decrease count when the transfer was admitted (nil when
    /// the pool's limit is fixed): a rejection of a request sent under an older limit is not
    /// news (see ``AIMDController``).
    var admittedAfterDecreases: Int?
    /// Most recent response byte received.
    var lastByteAt: UInt64 = 0
    var bytesIn = 0
    /// The body so far, for a ``ResponseSink/whole(_:)`` sink.
    private var collectedBody: [UInt8] = []
    /// The sink was told the outcome; nothing more may be sent to it.
    private var delivered = false
    /// Body bytes reached a stream's slot since its reader was last woken.
    private(set) var wakeNeeded = false
    /// When the stream's reader was last woken for body bytes (0: not yet).
    private var lastWakeAt: UInt64 = 0
    /// The local port of the connection carrying the transfer, once known.
    var localPort: Int?
    /// The connection is closed when this transfer ends instead of kept for reuse (the
    /// pool's idle limit, or a request that asked for a fresh connection).
    var closesConnectionAfter = false
    /// Set when the pool ends the transfer itself (deadline, close, cancel).
    var abortReason: PoolError?
    /// The pool that admitted the transfer, for libcurl's open-socket callback (which gets the
    /// transfer, so each socket is counted under the purpose of the request that opened it).
    weak var pool: CurlPool?

    init(
        id: UInt64, request: HTTPRequest, origin: Origin, purpose: Purpose,
        sink: ResponseSink, enqueuedAt: UInt64, thread: NetworkThread
    ) {
        self.id = id
        self.request = request
        self.origin = origin
        self.purpose = purpose
        self.sink = sink
        self.enqueuedAt = enqueuedAt
        self.thread = thread
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        errorBuffer.deallocate()
        if let headerList { curl_slist_free_all(headerList) }
    }

    /// The earliest moment one of the transfer's own clocks runs out (queue, first byte,
    /// idle gap), with which one it is.
    func nextDeadline() -> (at: UInt64, kind: PoolError.TimeoutKind, limit: Double)? {
        let timeouts = request.timeouts
        if admittedAt == 0 {
            guard let queue = timeouts.queue else { return nil }
            return (MonotonicClock.adding(queue, to: enqueuedAt), .queue, queue)
        }
        if firstByteAt == nil {
            guard let limit = timeouts.firstByte else { return nil }
            return (MonotonicClock.adding(limit, to: admittedAt), .firstByte, limit)
        }
        guard let limit = timeouts.idle else { return nil }
        return (MonotonicClock.adding(limit, to: lastByteAt), .idle, limit)
    }

    /// Handles one header line from libcurl (status lines included, CRLF included).
    func receiveHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        let now = MonotonicClock.now()
        if firstByteAt == nil { firstByteAt = now }
        lastByteAt = now
        if localPort == nil, let easy {
            let port = easy.long(CURLINFO_LOCAL_PORT)
            if port > 0 { localPort = port }
        }
        var length = bytes.count
        while length > 0, bytes[length - 1] == 0x0A || bytes[length - 1] == 0x0D { length -= 1 }
        // A field line ("Name: value") is split on its bytes, making just the two strings kept:
        // this runs for every header of every response.
        let isStatusLine = length >= 5 && bytes[0] == 0x48 && bytes[1] == 0x54 && bytes[2] == 0x54
            && bytes[3] == 0x50 && bytes[4] == 0x2F  // "HTTP/"
        if !isStatusLine {
            guard let colon = bytes[0..<length].firstIndex(of: 0x3A) else { return }
            var start = colon + 1
            var end = length
            while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
            while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
            headers.append(HTTPHeader(
                String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<colon]), as: UTF8.self),
                String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)))
            return
        }
        let line = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<length]), as: UTF8.self)
        let parts = line.split(separator: " ", maxSplits: 2)
        status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        headers = []
        switch parts.first.map(String.init) {
        case "HTTP/1.0": statusLineVersion = .http1_0
        case "HTTP/1.1": statusLineVersion = .http1_1
        case "HTTP/2", "HTTP/2.0": statusLineVersion = .http2
        case "HTTP/3": statusLineVersion = .http3
        default: statusLineVersion = .unknown
        }
    }

    /// Handles a chunk of body bytes: a stream gets them appended to its pending buffer (the
    /// reader is woken once, at the end of the loop turn), a whole response collects them.
    func receiveBody(_ bytes: UnsafeRawBufferPointer) {
        let now = MonotonicClock.now()
        if firstByteAt == nil { firstByteAt = now }
        if firstBodyAt == nil {
            firstBodyAt = now
            pool?.firstBodyArrived(self)
        }
        lastByteAt = now
        bytesIn += bytes.count
        switch sink {
        case .stream(let slot):
            sendHeadIfNeeded(slot)
            slot.push(body: bytes)
            if !wakeNeeded {
                wakeNeeded = true
                // Within the request's delivery interval of the last wake-up the bytes wait
                // in the slot until the interval is over; otherwise the reader is woken at
                // the end of this loop turn.
                let interval = request.deliveryInterval
                let due = interval > 0 && lastWakeAt != 0 ? MonotonicClock.adding(interval, to: lastWakeAt) : 0
                if due > now {
                    thread.deliverLater(.bytes(self), at: due)
                } else {
                    thread.deliverLater(.bytes(self))
                }
            }
        case .whole:
            collectedBody.append(contentsOf: bytes)
        }
    }

    /// Wakes a stream's reader if bytes arrived since the last wake-up (end of a loop turn);
    /// true when a waiting reader was resumed.
    func wakeReaderIfNeeded() -> Bool {
        guard wakeNeeded, case .stream(let slot) = sink else { return false }
        wakeNeeded = false
        lastWakeAt = MonotonicClock.now()
        return slot.wake()
    }

    /// The delivery interval the network thread may pace this transfer by
    /// (`NetworkThread+Pacing.swift`): a stream's, once its reader was first woken for bytes
    /// and until its outcome is told; nil otherwise.
    var pacingInterval: Double? {
        guard case .stream = sink, request.deliveryInterval > 0, lastWakeAt != 0, !delivered else { return nil }
        return request.deliveryInterval
    }

    /// Tells the caller the transfer succeeded.
    func complete(_ metrics: TransferMetrics) {
        guard !delivered else { return }
        delivered = true
        switch sink {
        case .stream(let slot):
            sendHeadIfNeeded(slot)
            slot.finish(.success(metrics))
            slot.wake()
        case .whole(let slot):
            let head = ResponseHead(status: status, headers: headers, httpVersion: statusLineVersion)
            slot.deliver(.success(HTTPResponse(head: head, body: collectedBody, metrics: metrics)))
        }
    }

    /// Tells the caller the transfer failed.
    func fail(_ error: PoolError) {
        guard !delivered else { return }
        delivered = true
        sink.fail(error)
    }

    /// Sends the head once. It is sent lazily (first body byte or completion), so that
    /// interim header blocks (100 Continue, a proxy's CONNECT reply) never reach the caller.
    private func sendHeadIfNeeded(_ slot: StreamSlot) {
        guard !headSent else { return }
        headSent = true
        slot.push(head: ResponseHead(status: status, headers: headers, httpVersion: statusLineVersion))
    }
}
