import CCurlShim

/// One libcurl multi handle: the connection cache of one pool, with checked setters.
///
/// Intentionally not thread safe: it belongs to the ``NetworkThread`` that drives its pool,
/// and every call (add, remove, socket action, info read, cleanup) runs on that thread;
/// other threads only ever reach it through the thread's inbox.
struct MultiHandle {
    /// The `CURLM *`.
    let raw: UnsafeMutableRawPointer

    /// A new multi handle whose socket and timer callbacks get `context` back (the owning
    /// ``CurlPool``, unretained: the pool outlives its multi handle, see ``cleanup()``).
    static func make(
        context: UnsafeMutableRawPointer, socketCallback: tp_curl_socket_callback,
        timerCallback: tp_curl_timer_callback
    ) throws(PoolSetupError) -> MultiHandle {
        guard let raw = curl_multi_init() else { throw .allocation("curl_multi_init") }
        let multi = MultiHandle(raw: raw)
        do {
            try multi.check(tp_multi_setopt_socket_callback(raw, socketCallback), "CURLMOPT_SOCKETFUNCTION")
            try multi.check(tp_multi_setopt_ptr(raw, CURLMOPT_SOCKETDATA, context), "CURLMOPT_SOCKETDATA")
            try multi.check(tp_multi_setopt_timer_callback(raw, timerCallback), "CURLMOPT_TIMERFUNCTION")
            try multi.check(tp_multi_setopt_ptr(raw, CURLMOPT_TIMERDATA, context), "CURLMOPT_TIMERDATA")
            try multi.set(CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX), "CURLMOPT_PIPELINING")
        } catch {
            multi.cleanup()
            throw error
        }
        return multi
    }

    /// Connections libcurl may open beyond the pool's `maxConnections`, for monitoring only.
    static let monitorHeadroom = 1

    /// Applies a pool's limits. Counts are clamped to what libcurl's fields hold.
    func configure(_ limits: PoolLimits) throws(PoolSetupError) {
        // One connection beyond the pool's limit is left to monitoring requests: they bypass
        // admission (they must not wait behind the streams they watch), and with every
        // connection held by a stream libcurl would otherwise keep them pending. Chats never
        // use it to exceed the limit: ``AdmissionPolicy`` admits at most `maxConnections` of
        // them on HTTP/1.1.
        let (withHeadroom, overflow) = limits.maxConnections.addingReportingOverflow(Self.monitorHeadroom)
        let connections = CurlDuration.count(overflow ? Int.max : withHeadroom)
        try set(CURLMOPT_MAX_HOST_CONNECTIONS, connections, "CURLMOPT_MAX_HOST_CONNECTIONS")
        try set(CURLMOPT_MAX_TOTAL_CONNECTIONS, connections, "CURLMOPT_MAX_TOTAL_CONNECTIONS")
        // The cache must hold every connection in use (a smaller cache makes libcurl hold
        // transfers back); the idle limit is kept per transfer, see `AdmissionPolicy`.
        try set(CURLMOPT_MAXCONNECTS, connections, "CURLMOPT_MAXCONNECTS")
        try set(CURLMOPT_MAX_CONCURRENT_STREAMS, CurlDuration.count(limits.maxStreamsPerConnection),
                "CURLMOPT_MAX_CONCURRENT_STREAMS")
    }

    /// Hands `easy` to libcurl.
    func add(_ easy: EasyHandle) -> CURLMcode { curl_multi_add_handle(raw, easy.raw) }

    /// Takes `easy` back (on HTTP/1.1 mid-transfer this closes its connection).
    func remove(_ easy: EasyHandle) { _ = curl_multi_remove_handle(raw, easy.raw) }

    /// Tells libcurl `socket` is ready for `events` (or that its timer fired, with
    /// `CURL_SOCKET_TIMEOUT`). Returns libcurl's result: anything but `CURLM_OK` means the
    /// multi handle is unusable (out of memory, internal error).
    func socketAction(_ socket: curl_socket_t, events: Int32) -> CURLMcode {
        var running: Int32 = 0
        return curl_multi_socket_action(raw, socket, events, &running)
    }

    /// The next finished transfer, if any: its handle and result.
    func nextFinished() -> (easy: EasyHandle, result: CURLcode)? {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(raw, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            return (EasyHandle(raw: easy), message.pointee.data.result)
        }
        return nil
    }

    /// Closes every cached connection and frees the handle. Runs the socket callbacks one last
    /// time, so their context (the pool) must still be alive.
    func cleanup() { _ = curl_multi_cleanup(raw) }

    static func message(_ code: CURLMcode) -> String { String(cString: curl_multi_strerror(code)) }

    private func set(_ option: CURLMoption, _ value: Int, _ name: String) throws(PoolSetupError) {
        try check(tp_multi_setopt_long(raw, option, value), name)
    }

    private func check(_ code: CURLMcode, _ name: String) throws(PoolSetupError) {
        guard code != CURLM_OK else { return }
        throw .multiOption(name: name, code: Int(code.rawValue), message: Self.message(code))
    }
}
