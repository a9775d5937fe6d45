import CCurlShim

extension CurlPool {
    /// Sets every option of `easy` for `transfer`. Each `set` is checked: an option libcurl
    /// refuses fails this transfer with libcurl's reason instead of sending a request that
    /// silently lacks it (a timeout, TLS verification, a header).
    ///
    /// The transfer goes in as an unretained pointer; ``start(_:)`` takes the retain that
    /// pointer owns once the handle is in the multi handle.
    func setOptions(_ easy: EasyHandle, for transfer: Transfer) throws(PoolSetupError) {
        let request = transfer.request
        let options = key.options
        let context = Unmanaged.passUnretained(transfer).toOpaque()
        let poolContext = Unmanaged.passUnretained(self).toOpaque()
        try easy.set(CURLOPT_URL, request.url)
        try easy.set(CURLOPT_PRIVATE, pointer: context)
        try easy.set(CURLOPT_ERRORBUFFER, pointer: transfer.errorBuffer)
        try easy.set(CURLOPT_NOSIGNAL, true)
        if let share = thread.share { try easy.set(share: share) }
        try easy.set(CURLOPT_WRITEFUNCTION, callback: transferWriteCallback)
        try easy.set(CURLOPT_WRITEDATA, pointer: context)
        try easy.set(CURLOPT_HEADERFUNCTION, callback: transferHeaderCallback)
        try easy.set(CURLOPT_HEADERDATA, pointer: context)
        try easy.set(openSocket: poolOpenSocketCallback)
        try easy.set(CURLOPT_OPENSOCKETDATA, pointer: context)
        try easy.set(closeSocket: poolCloseSocketCallback)
        try easy.set(CURLOPT_CLOSESOCKETDATA, pointer: poolContext)
        try easy.set(CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS)
        try easy.set(CURLOPT_PIPEWAIT, policy.waitsForMultiplexing)
        try easy.set(CURLOPT_TCP_NODELAY, true)
        try easy.set(CURLOPT_MAXAGE_CONN, CurlDuration.seconds(limits.idleExpiry))

        // TLS: an explicit CAPATH of NULL lets libcurl cache the parsed CA store in the multi
        // handle (Debian's build has a built-in CApath that otherwise disables the cache).
        try easy.set(CURLOPT_CAPATH, pointer: nil)
        if let caFile = options.caFile { try easy.set(CURLOPT_CAINFO, caFile) }
        try easy.set(CURLOPT_SSL_VERIFYPEER, options.verifyTLS)
        try easy.set(CURLOPT_SSL_VERIFYHOST, options.verifyTLS ? 2 : 0)
        if let cert = options.clientCertificateFile { try easy.set(CURLOPT_SSLCERT, cert) }
        if let keyFile = options.clientKeyFile { try easy.set(CURLOPT_SSLKEY, keyFile) }
        if let proxy = options.proxy { try easy.set(CURLOPT_PROXY, proxy) }

        // Config values: saturated, never trapping (`1e300` and `.infinity` mean "no limit").
        let timeouts = request.timeouts
        if let connect = timeouts.connect {
            try easy.set(CURLOPT_CONNECTTIMEOUT_MS, CurlDuration.milliseconds(connect))
        }
        if let total = timeouts.total {
            try easy.set(CURLOPT_TIMEOUT_MS, CurlDuration.milliseconds(total))
        }

        switch request.method.uppercased() {
        case "GET": break
        case "HEAD": try easy.set(CURLOPT_NOBODY, true)
        case "POST": try easy.set(CURLOPT_POST, true)
        default: try easy.set(CURLOPT_CUSTOMREQUEST, request.method)
        }
        if let body = request.body {
            try easy.set(CURLOPT_POSTFIELDSIZE_LARGE, offset: curl_off_t(body.count))
            // COPYPOSTFIELDS copies the bytes, so the buffer need only live for this call.
            let copied = body.withUnsafeBufferPointer { buffer -> CURLcode in
                tp_easy_setopt_ptr(easy.raw, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: buffer.baseAddress))
            }
            if copied != CURLE_OK {
                throw .easyOption(name: "CURLOPT_COPYPOSTFIELDS", code: Int(copied.rawValue),
                                  message: String(cString: curl_easy_strerror(copied)))
            }
        }
        if transfer.headerList == nil {
            var lines = request.headers.map { "\($0.name): \($0.value)" }
            if request.body != nil { lines.append("Expect:") }
            for line in lines {
                // Kept on the transfer as it grows, so its deinit frees a partial list too.
                guard let appended = curl_slist_append(transfer.headerList, line) else {
                    throw .allocation("curl_slist_append")
                }
                transfer.headerList = appended
            }
        }
        if let list = transfer.headerList { try easy.set(CURLOPT_HTTPHEADER, list: list) }

        if request.freshConnection || transfer.purpose == .warmUp {
            try easy.set(CURLOPT_FRESH_CONNECT, true)
        }
        if transfer.closesConnectionAfter {
            try easy.set(CURLOPT_FORBID_REUSE, true)
        }
    }
}
