import CCurlShim

extension CurlPool {
    /// What a finished transfer cost, from libcurl's cumulative clocks (each phase is the
    /// difference of two of them) and the pool's own queue clock.
    func measure(_ easy: EasyHandle, _ transfer: Transfer) -> TransferMetrics {
        func seconds(_ info: CURLINFO) -> Double { Double(easy.offset(info)) / 1e6 }
        let lookup = seconds(CURLINFO_NAMELOOKUP_TIME_T)
        let connect = seconds(CURLINFO_CONNECT_TIME_T)
        let tlsDone = seconds(CURLINFO_APPCONNECT_TIME_T)
        let pretransfer = seconds(CURLINFO_PRETRANSFER_TIME_T)
        let firstByte = seconds(CURLINFO_STARTTRANSFER_TIME_T)
        let total = seconds(CURLINFO_TOTAL_TIME_T)
        let reused = easy.long(CURLINFO_NUM_CONNECTS) == 0
        let uploaded = easy.offset(CURLINFO_SIZE_UPLOAD_T)
        let version: HTTPVersion
        switch easy.long(CURLINFO_HTTP_VERSION) {
        case CURL_HTTP_VERSION_1_0: version = .http1_0
        case CURL_HTTP_VERSION_1_1: version = .http1_1
        case CURL_HTTP_VERSION_2_0: version = .http2
        case CURL_HTTP_VERSION_3: version = .http3
        default: version = transfer.statusLineVersion
        }
        let port = easy.long(CURLINFO_LOCAL_PORT)
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
            bytesOut: Int(clamping: uploaded),
            httpVersion: version,
            localPort: port
        )
    }

    /// Tells the manager's observer, if any, that `transfer` ended. Builds nothing when no
    /// observer is set.
    func report(_ transfer: Transfer, failed: PoolError.Kind?, metrics: TransferMetrics?) {
        guard let observer = thread.observer.withLock({ $0 }) else { return }
        let now = MonotonicClock.now()
        let admitted = transfer.admittedAt != 0
        observer.requestEnded(PoolRequestRecord(
            origin: key.origin, method: transfer.request.method, status: transfer.status > 0 ? transfer.status : nil,
            error: failed, purpose: transfer.request.purpose,
            queueWait: admitted ? MonotonicClock.seconds(from: transfer.enqueuedAt, to: transfer.admittedAt) : nil,
            duration: MonotonicClock.seconds(from: transfer.enqueuedAt, to: now)))
    }
}
