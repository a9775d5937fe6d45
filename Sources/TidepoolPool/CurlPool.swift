import CCurlShim

#if canImport(Glibc)
import Glibc
#endif

/// One pool: the connections to one ``PoolKey``, behind their own curl multi handle.
///
/// Intentionally not thread safe: every method runs on the ``NetworkThread`` that owns it.
/// A multi handle per pool gives each pool its own connection cache, so its limits are exact
/// (`CURLMOPT_MAX_HOST_CONNECTIONS`, `CURLMOPT_MAXCONNECTS` for the idle ones) and closing one
/// pool closes exactly its connections; one thread still drives every pool, and DNS and TLS
/// sessions are shared between pools through one curl share handle.
final class CurlPool {
    let key: PoolKey
    let number: Int
    private(set) var limits: PoolLimits
    let recorder: PoolStatsRecorder
    unowned let thread: NetworkThread

    /// The multi handle, created on first use and after an idle recycle.
    private var multi: UnsafeMutableRawPointer?
    /// When libcurl wants `curl_multi_socket_action(CURL_SOCKET_TIMEOUT)` next.
    var timerDeadline: UInt64?
    /// Requests waiting for a free connection, oldest first.
    private(set) var queue: [Transfer] = []
    /// Requests handed to libcurl, by id.
    private(set) var active: [UInt64: Transfer] = [:]
    /// Easy handles kept for reuse after `curl_easy_reset`.
    private var spareHandles: [UnsafeMutableRawPointer] = []
    /// Sockets libcurl opened through this pool and has not closed.
    private(set) var openSockets: Set<Int32> = []
    /// The protocol the origin answered with most recently.
    private var knownVersion: HTTPVersion = .unknown
    /// When the last transfer ended (for idle expiry).
    private(set) var lastActivity: UInt64
    private(set) var isClosed = false

    init(key: PoolKey, number: Int, limits: PoolLimits, recorder: PoolStatsRecorder, thread: NetworkThread) {
        self.key = key
        self.number = number
        self.limits = limits
        self.recorder = recorder
        self.thread = thread
        lastActivity = MonotonicClock.now()
    }

    var isEmpty: Bool { queue.isEmpty && active.isEmpty }

    /// How many requests may be in flight at once: one per connection on HTTP/1.1; on an
    /// `https` origin that speaks (or may speak) HTTP/2, as many streams as the connections
    /// carry. libcurl's own per-host cap still bounds the connections either way.
    private var admissionLimit: Int {
        switch knownVersion {
        case .http2, .http3:
            return limits.maxConnections * limits.maxStreamsPerConnection
        case .unknown where key.origin.usesTLS:
            // Until the first answer says whether the origin multiplexes, send one request:
            // libcurl's PIPEWAIT alone still opened a second HTTP/2 connection now and then
            // when many requests arrived on a cold pool.
            return 1
        default:
            return limits.maxConnections
        }
    }

    /// Learns the origin's protocol from the first status line received, and lets the
    /// requests held back for it go.
    private func learnVersionFromResponses() {
        guard knownVersion == .unknown else { return }
        guard let seen = active.values.first(where: { $0.statusLineVersion != .unknown })?.statusLineVersion else {
            return
        }
        knownVersion = seen
        admitWaiting()
    }

    /// Applies new limits; they take effect for the next requests.
    func apply(_ newLimits: PoolLimits) {
        limits = newLimits
        if let multi { configure(multi) }
        recorder.update { $0.limits = newLimits }
        admitWaiting()
    }

    // MARK: Requests

    /// Takes a new request: starts it now if there is room, else queues it.
    func enqueue(_ transfer: Transfer) {
        recorder.update { $0.requestsStarted += 1 }
        if queue.isEmpty && active.count < admissionLimit {
            start(transfer)
        } else {
            queue.append(transfer)
            let waiting = queue.count
            recorder.update {
                $0.queueExhaustionEvents += 1
                $0.queuedNow = waiting
                $0.maxQueued = max($0.maxQueued, waiting)
            }
        }
    }

    /// Starts queued requests while there is room.
    func admitWaiting() {
        while !queue.isEmpty && active.count < admissionLimit && !isClosed {
            let next = queue.removeFirst()
            start(next)
        }
        let waiting = queue.count
        recorder.update { $0.queuedNow = waiting }
    }

    /// Ends one request with `error`, whether queued or in flight.
    func abort(_ id: UInt64, with error: PoolError) {
        if let index = queue.firstIndex(where: { $0.id == id }) {
            let transfer = queue.remove(at: index)
            let waiting = queue.count
            recorder.update { $0.queuedNow = waiting }
            fail(transfer, with: error, measured: nil)
            return
        }
        guard let transfer = active[id] else { return }
        transfer.abortReason = error
        finish(transfer, result: CURLE_ABORTED_BY_CALLBACK)
    }

    /// Ends every request whose own clock ran out by `now`.
    /// Runs on every turn of the network loop, so it copies nothing unless a clock ran out.
    func expireDeadlines(now: UInt64) {
        var expired: [(id: UInt64, error: PoolError)] = []
        func check(_ transfer: Transfer) {
            guard let deadline = transfer.nextDeadline(), deadline.at <= now else { return }
            expired.append((transfer.id, .timedOut(deadline.kind, after: deadline.limit, origin: key.origin.description)))
        }
        queue.forEach(check)
        active.values.forEach(check)
        for (id, error) in expired { abort(id, with: error) }
    }

    /// The earliest deadline of any request or of libcurl's timer, if any.
    func nextWakeUp() -> UInt64? {
        var earliest = timerDeadline
        func consider(_ transfer: Transfer) {
            if let deadline = transfer.nextDeadline()?.at { earliest = min(earliest ?? deadline, deadline) }
        }
        queue.forEach(consider)
        active.values.forEach(consider)
        if isEmpty, !openSockets.isEmpty {
            let expiry = MonotonicClock.adding(limits.idleExpiry, to: lastActivity)
            earliest = min(earliest ?? expiry, expiry)
        }
        return earliest
    }

    /// Closes every idle connection once the whole pool has been idle longer than its expiry.
    /// libcurl only drops an expired connection when it next needs one, so an idle pool would
    /// otherwise keep its sockets open indefinitely.
    func closeExpiredIdleConnections(now: UInt64) {
        guard isEmpty, !openSockets.isEmpty, multi != nil,
              now >= MonotonicClock.adding(limits.idleExpiry, to: lastActivity) else { return }
        recycleMulti()
    }

    // MARK: Events from the network thread

    /// Passes socket readiness (or a timeout, with `CURL_SOCKET_TIMEOUT`) to libcurl and
    /// finishes whatever completed.
    func socketAction(_ socket: curl_socket_t, events: Int32) {
        guard let multi else { return }
        var running: Int32 = 0
        _ = curl_multi_socket_action(multi, socket, events, &running)
        learnVersionFromResponses()
        collectFinished()
    }

    /// Runs libcurl's timer if it is due.
    func fireTimerIfDue(now: UInt64) {
        guard let deadline = timerDeadline, deadline <= now else { return }
        timerDeadline = nil
        socketAction(CURL_SOCKET_TIMEOUT, events: 0)
    }

    /// Closes the pool: every request ends with `poolClosed`, every connection closes.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        let error = PoolError.poolClosed(key.description)
        for transfer in queue { fail(transfer, with: error, measured: nil) }
        queue.removeAll()
        for id in Array(active.keys) { abort(id, with: error) }
        teardownMulti()
        recorder.update {
            $0.isClosed = true
            $0.queuedNow = 0
        }
        refreshGauges()
    }

    // MARK: Socket bookkeeping (called from libcurl's callbacks)

    func socketOpened(_ fd: Int32) {
        openSockets.insert(fd)
        recorder.update { $0.socketsOpened += 1 }
        refreshGauges()
    }

    func socketClosed(_ fd: Int32) {
        openSockets.remove(fd)
        thread.forget(fd)
        recorder.update { $0.socketsClosed += 1 }
        refreshGauges()
    }

    /// Recomputes open / active / idle connections. Open is exact (socket callbacks); active
    /// counts the distinct connections (local ports) carrying a request, plus requests whose
    /// connection is still being set up.
    func refreshGauges() {
        let open = openSockets.count
        var ports = Set<Int>()
        var unplaced = 0
        for transfer in active.values {
            if let port = transfer.localPort { ports.insert(port) } else { unplaced += 1 }
        }
        let busy = min(open, ports.count + unplaced)
        let inFlight = active.count
        recorder.update {
            $0.open = open
            $0.active = busy
            $0.idle = open - busy
            $0.inFlight = inFlight
        }
    }

    // MARK: Private

    private func ensureMulti() -> UnsafeMutableRawPointer? {
        if let multi { return multi }
        guard let created = curl_multi_init() else { return nil }
        let context = Unmanaged.passUnretained(self).toOpaque()
        _ = tp_multi_setopt_socket_callback(created, multiSocketCallback)
        _ = tp_multi_setopt_ptr(created, CURLMOPT_SOCKETDATA, context)
        _ = tp_multi_setopt_timer_callback(created, multiTimerCallback)
        _ = tp_multi_setopt_ptr(created, CURLMOPT_TIMERDATA, context)
        _ = tp_multi_setopt_long(created, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
        configure(created)
        multi = created
        return created
    }

    private func configure(_ multi: UnsafeMutableRawPointer) {
        _ = tp_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, limits.maxConnections)
        _ = tp_multi_setopt_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, limits.maxConnections)
        // The cache must hold every connection in use (a smaller cache makes libcurl hold
        // transfers back); the idle limit is kept per transfer, see `keepsConnection(for:)`.
        _ = tp_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, limits.maxConnections)
        _ = tp_multi_setopt_long(multi, CURLMOPT_MAX_CONCURRENT_STREAMS, limits.maxStreamsPerConnection)
    }

    /// Closes the multi handle (and with it every cached connection); the next request makes
    /// a new one.
    private func recycleMulti() {
        teardownMulti()
        refreshGauges()
    }

    private func teardownMulti() {
        for handle in spareHandles { curl_easy_cleanup(handle) }
        spareHandles.removeAll()
        if let multi {
            curl_multi_cleanup(multi)
            self.multi = nil
        }
        timerDeadline = nil
    }

    private func start(_ transfer: Transfer) {
        transfer.admittedAt = MonotonicClock.now()
        let queueWait = MonotonicClock.seconds(from: transfer.enqueuedAt, to: transfer.admittedAt)
        recorder.record(.queue, seconds: queueWait)
        guard let multi = ensureMulti(),
              let easy = spareHandles.popLast() ?? curl_easy_init() else {
            fail(transfer, with: .transport(origin: key.origin.description, code: -1,
                                            message: "libcurl could not allocate a handle"), measured: nil)
            return
        }
        transfer.easy = easy
        transfer.closesConnectionAfter = !keepsConnection(for: transfer)
        setOptions(easy, for: transfer)
        active[transfer.id] = transfer
        let added = curl_multi_add_handle(multi, easy)
        if added != CURLM_OK {
            active[transfer.id] = nil
            transfer.easy = nil
            curl_easy_cleanup(easy)
            Unmanaged.passUnretained(transfer).release()
            let message = String(cString: curl_multi_strerror(added))
            fail(transfer, with: .transport(origin: key.origin.description, code: Int(added.rawValue),
                                            message: message), measured: nil)
            return
        }
        refreshGauges()
    }

    /// Whether the connection `transfer` is about to use may stay open afterwards without the
    /// pool ever holding more than `maxIdleConnections` idle ones. On HTTP/1.1 each transfer
    /// holds one connection: it takes an idle one if there is one (the count of keepable
    /// connections does not change), otherwise it opens one, which may be kept only while the
    /// idle connections plus the in-flight transfers that keep theirs stay within the limit.
    /// HTTP/2 connections are shared by streams and already bounded by `maxConnections`.
    private func keepsConnection(for transfer: Transfer) -> Bool {
        if transfer.request.freshConnection { return false }
        if knownVersion == .http2 { return true }
        let idle = max(0, openSockets.count - active.count)
        if idle > 0 && transfer.purpose == .request { return true }
        let keeping = active.values.filter { !$0.closesConnectionAfter }.count
        return idle + keeping < limits.maxIdleConnections
    }

    private func setOptions(_ easy: UnsafeMutableRawPointer, for transfer: Transfer) {
        let request = transfer.request
        let options = key.options
        let context = Unmanaged.passRetained(transfer).toOpaque()
        let poolContext = Unmanaged.passUnretained(self).toOpaque()
        _ = tp_easy_setopt_string(easy, CURLOPT_URL, request.url)
        _ = tp_easy_setopt_ptr(easy, CURLOPT_PRIVATE, context)
        _ = tp_easy_setopt_ptr(easy, CURLOPT_ERRORBUFFER, transfer.errorBuffer)
        _ = tp_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        _ = tp_easy_setopt_share(easy, thread.share)
        _ = tp_easy_setopt_data_callback(easy, CURLOPT_WRITEFUNCTION, transferWriteCallback)
        _ = tp_easy_setopt_ptr(easy, CURLOPT_WRITEDATA, context)
        _ = tp_easy_setopt_data_callback(easy, CURLOPT_HEADERFUNCTION, transferHeaderCallback)
        _ = tp_easy_setopt_ptr(easy, CURLOPT_HEADERDATA, context)
        _ = tp_easy_setopt_opensocket_callback(easy, poolOpenSocketCallback)
        _ = tp_easy_setopt_ptr(easy, CURLOPT_OPENSOCKETDATA, poolContext)
        _ = tp_easy_setopt_closesocket_callback(easy, poolCloseSocketCallback)
        _ = tp_easy_setopt_ptr(easy, CURLOPT_CLOSESOCKETDATA, poolContext)
        _ = tp_easy_setopt_long(easy, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS)
        // Waiting for a connection that may turn out to multiplex only makes sense where
        // HTTP/2 can be negotiated (TLS); on plain HTTP it would serialise requests.
        _ = tp_easy_setopt_long(easy, CURLOPT_PIPEWAIT, key.origin.usesTLS && knownVersion != .http1_1 ? 1 : 0)
        _ = tp_easy_setopt_long(easy, CURLOPT_TCP_NODELAY, 1)
        _ = tp_easy_setopt_long(easy, CURLOPT_MAXAGE_CONN, max(1, Int(limits.idleExpiry.rounded(.up))))

        // TLS: an explicit CAPATH of NULL lets libcurl cache the parsed CA store in the multi
        // handle (Debian's build has a built-in CApath that otherwise disables the cache).
        _ = tp_easy_setopt_ptr(easy, CURLOPT_CAPATH, nil)
        if let caFile = options.caFile { _ = tp_easy_setopt_string(easy, CURLOPT_CAINFO, caFile) }
        _ = tp_easy_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, options.verifyTLS ? 1 : 0)
        _ = tp_easy_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, options.verifyTLS ? 2 : 0)
        if let cert = options.clientCertificateFile { _ = tp_easy_setopt_string(easy, CURLOPT_SSLCERT, cert) }
        if let keyFile = options.clientKeyFile { _ = tp_easy_setopt_string(easy, CURLOPT_SSLKEY, keyFile) }
        if let proxy = options.proxy { _ = tp_easy_setopt_string(easy, CURLOPT_PROXY, proxy) }

        let timeouts = request.timeouts
        if let connect = timeouts.connect {
            _ = tp_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, max(1, Int(connect * 1000)))
        }
        if let total = timeouts.total {
            _ = tp_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, max(1, Int(total * 1000)))
        }

        switch request.method.uppercased() {
        case "GET": break
        case "HEAD": _ = tp_easy_setopt_long(easy, CURLOPT_NOBODY, 1)
        case "POST": _ = tp_easy_setopt_long(easy, CURLOPT_POST, 1)
        default: _ = tp_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, request.method)
        }
        if let body = request.body {
            _ = tp_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            body.withUnsafeBufferPointer { buffer in
                _ = tp_easy_setopt_ptr(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: buffer.baseAddress))
            }
        }
        var list: UnsafeMutablePointer<curl_slist>?
        for header in request.headers {
            list = curl_slist_append(list, "\(header.name): \(header.value)")
        }
        if request.body != nil { list = curl_slist_append(list, "Expect:") }
        transfer.headerList = list
        if let list { _ = tp_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, list) }

        if request.freshConnection || transfer.purpose == .warmUp {
            _ = tp_easy_setopt_long(easy, CURLOPT_FRESH_CONNECT, 1)
        }
        if transfer.closesConnectionAfter {
            _ = tp_easy_setopt_long(easy, CURLOPT_FORBID_REUSE, 1)
        }
    }

    /// Drains libcurl's completion messages.
    private func collectFinished() {
        guard let multi else { return }
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            let result = message.pointee.data.result
            var pointer: UnsafeMutableRawPointer?
            _ = tp_easy_getinfo_ptr(easy, CURLINFO_PRIVATE, &pointer)
            guard let pointer else { continue }
            let transfer = Unmanaged<Transfer>.fromOpaque(pointer).takeUnretainedValue()
            finish(transfer, result: result)
        }
    }

    /// Ends an admitted transfer: measures it, detaches its handle, tells the caller.
    private func finish(_ transfer: Transfer, result: CURLcode) {
        guard let easy = transfer.easy, active.removeValue(forKey: transfer.id) != nil else { return }
        let metrics = measure(easy, transfer)
        if let multi { curl_multi_remove_handle(multi, easy) }
        transfer.easy = nil
        lastActivity = MonotonicClock.now()
        if metrics.httpVersion != .unknown { knownVersion = metrics.httpVersion }
        refreshGauges()

        if let reason = transfer.abortReason {
            fail(transfer, with: reason, measured: metrics)
        } else if result != CURLE_OK {
            var connectTime: curl_off_t = 0
            _ = tp_easy_getinfo_off_t(easy, CURLINFO_CONNECT_TIME_T, &connectTime)
            var systemError = 0
            _ = tp_easy_getinfo_long(easy, CURLINFO_OS_ERRNO, &systemError)
            let error = CurlErrorMapping.error(
                code: result, origin: key.origin, connected: connectTime > 0 || metrics.reusedConnection,
                timeouts: transfer.request.timeouts, message: String(cString: transfer.errorBuffer),
                systemError: systemError)
            fail(transfer, with: error, measured: metrics)
        } else {
            // Count first, then tell the caller: a caller that reads stats right after its
            // response must see that response counted.
            record(metrics, failed: nil)
            transfer.complete(metrics)
        }
        recycle(easy)
        Unmanaged.passUnretained(transfer).release()
        admitWaiting()
    }

    private func fail(_ transfer: Transfer, with error: PoolError, measured metrics: TransferMetrics?) {
        if let metrics {
            record(metrics, failed: error)
        } else {
            recorder.update {
                $0.requestsFailed += 1
                $0.errors[error.kind, default: 0] += 1
            }
        }
        transfer.fail(error)
    }

    private func record(_ metrics: TransferMetrics, failed error: PoolError?) {
        let tls = key.origin.usesTLS
        let opened = !metrics.reusedConnection && metrics.localPort != 0
        recorder.update {
            if let error {
                $0.requestsFailed += 1
                $0.errors[error.kind, default: 0] += 1
            } else {
                $0.requestsFinished += 1
            }
            if metrics.localPort != 0 {
                if metrics.reusedConnection { $0.reusedConnections += 1 } else { $0.newConnections += 1 }
            }
            if opened && tls { $0.tlsHandshakes += 1 }
            $0.bytesIn += metrics.bytesIn
            $0.bytesOut += metrics.bytesOut
            if metrics.httpVersion != .unknown { $0.httpVersion = metrics.httpVersion }
        }
        guard error == nil else { return }
        if opened {
            recorder.record(.dns, seconds: metrics.dns)
            recorder.record(.connect, seconds: metrics.connect)
            if tls { recorder.record(.tls, seconds: metrics.tls) }
        }
        recorder.record(.firstByte, seconds: metrics.firstByte)
        recorder.record(.total, seconds: metrics.total)
    }

    private func measure(_ easy: UnsafeMutableRawPointer, _ transfer: Transfer) -> TransferMetrics {
        func micros(_ info: CURLINFO) -> Double {
            var value: curl_off_t = 0
            _ = tp_easy_getinfo_off_t(easy, info, &value)
            return Double(value) / 1e6
        }
        func long(_ info: CURLINFO) -> Int {
            var value = 0
            _ = tp_easy_getinfo_long(easy, info, &value)
            return value
        }
        let lookup = micros(CURLINFO_NAMELOOKUP_TIME_T)
        let connect = micros(CURLINFO_CONNECT_TIME_T)
        let tlsDone = micros(CURLINFO_APPCONNECT_TIME_T)
        let pretransfer = micros(CURLINFO_PRETRANSFER_TIME_T)
        let firstByte = micros(CURLINFO_STARTTRANSFER_TIME_T)
        let total = micros(CURLINFO_TOTAL_TIME_T)
        let reused = long(CURLINFO_NUM_CONNECTS) == 0
        var uploaded: curl_off_t = 0
        _ = tp_easy_getinfo_off_t(easy, CURLINFO_SIZE_UPLOAD_T, &uploaded)
        let version: HTTPVersion
        switch long(CURLINFO_HTTP_VERSION) {
        case CURL_HTTP_VERSION_1_0: version = .http1_0
        case CURL_HTTP_VERSION_1_1: version = .http1_1
        case CURL_HTTP_VERSION_2_0: version = .http2
        case CURL_HTTP_VERSION_3: version = .http3
        default: version = transfer.statusLineVersion
        }
        let port = long(CURLINFO_LOCAL_PORT)
        if transfer.localPort == nil, port > 0 { transfer.localPort = port }
        return TransferMetrics(
            queueWait: MonotonicClock.seconds(from: transfer.enqueuedAt, to: transfer.admittedAt),
            dns: reused ? 0 : lookup,
            connect: reused ? 0 : max(0, connect - lookup),
            tls: reused || tlsDone == 0 ? 0 : max(0, tlsDone - connect),
            firstByte: firstByte > 0 ? max(0, firstByte - pretransfer) : 0,
            total: total,
            reusedConnection: reused,
            bytesIn: transfer.bytesIn,
            bytesOut: Int(uploaded),
            httpVersion: version,
            localPort: port
        )
    }

    private func recycle(_ easy: UnsafeMutableRawPointer) {
        if spareHandles.count < max(4, limits.maxConnections) && multi != nil {
            curl_easy_reset(easy)
            spareHandles.append(easy)
        } else {
            curl_easy_cleanup(easy)
        }
    }
}

// MARK: libcurl callbacks (C function pointers: no captures, context comes back as userdata)

private let transferWriteCallback: tp_curl_data_callback = { data, size, count, userdata in
    let length = size * count
    guard let userdata else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(userdata).takeUnretainedValue()
    transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: length))
    return length
}

private let transferHeaderCallback: tp_curl_data_callback = { data, size, count, userdata in
    let length = size * count
    guard let userdata else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(userdata).takeUnretainedValue()
    transfer.receiveHeaderLine(UnsafeRawBufferPointer(start: data, count: length))
    return length
}

private let poolOpenSocketCallback: tp_curl_opensocket_callback = { clientp, purpose, address in
    guard let clientp, let address else { return CURL_SOCKET_BAD }
    let fd = socket(address.pointee.family, address.pointee.socktype, address.pointee.protocol)
    guard fd >= 0 else { return CURL_SOCKET_BAD }
    Unmanaged<CurlPool>.fromOpaque(clientp).takeUnretainedValue().socketOpened(fd)
    return fd
}

private let poolCloseSocketCallback: tp_curl_closesocket_callback = { clientp, fd in
    if let clientp {
        Unmanaged<CurlPool>.fromOpaque(clientp).takeUnretainedValue().socketClosed(fd)
    }
    return close(fd)
}

private let multiSocketCallback: tp_curl_socket_callback = { _, fd, what, userp, _ in
    guard let userp else { return 0 }
    let pool = Unmanaged<CurlPool>.fromOpaque(userp).takeUnretainedValue()
    pool.thread.watch(fd, what: what, for: pool)
    return 0
}

private let multiTimerCallback: tp_curl_timer_callback = { _, timeoutMs, userp in
    guard let userp else { return 0 }
    let pool = Unmanaged<CurlPool>.fromOpaque(userp).takeUnretainedValue()
    pool.timerDeadline = timeoutMs < 0 ? nil : MonotonicClock.adding(Double(timeoutMs) / 1000, to: MonotonicClock.now())
    return 0
}
