import CCurlShim

/// The practical floor for the pool benchmark: one libcurl easy handle reused in a tight
/// `curl_easy_perform` loop on the calling thread, with no pool, queue or thread hop.
/// It lives here because this target is the only one that talks to libcurl.
public enum CurlBaseline {
    /// What the loop measured.
    public struct Result: Sendable {
        /// Seconds per request, in order.
        public var latencies: [Double]
        /// Connections libcurl opened (`CURLINFO_NUM_CONNECTS` summed).
        public var connectionsOpened: Int
        /// Requests that failed, with the first failure's message.
        public var failures: Int
        /// libcurl's message for the first failure, if any.
        public var firstError: String?
    }

    /// Sends `count` sequential GET requests to `url` on one easy handle, trusting `caFile`
    /// for TLS when given. Blocks the calling thread.
    public static func sequentialRequests(url: String, count: Int, caFile: String?) -> Result {
        CurlGlobal.ensureInitialised()
        var result = Result(latencies: [], connectionsOpened: 0, failures: 0)
        guard let easy = curl_easy_init() else {
            result.failures = count
            result.firstError = "libcurl could not allocate a handle"
            return result
        }
        defer { curl_easy_cleanup(easy) }
        _ = tp_easy_setopt_string(easy, CURLOPT_URL, url)
        _ = tp_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        _ = tp_easy_setopt_long(easy, CURLOPT_TCP_NODELAY, 1)
        _ = tp_easy_setopt_long(easy, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS)
        _ = tp_easy_setopt_ptr(easy, CURLOPT_CAPATH, nil)
        if let caFile { _ = tp_easy_setopt_string(easy, CURLOPT_CAINFO, caFile) }
        _ = tp_easy_setopt_data_callback(easy, CURLOPT_WRITEFUNCTION, { _, size, count, _ in size * count })
        result.latencies.reserveCapacity(count)
        for _ in 0..<count {
            let start = MonotonicClock.now()
            let code = curl_easy_perform(easy)
            result.latencies.append(MonotonicClock.seconds(from: start, to: MonotonicClock.now()))
            if code != CURLE_OK {
                result.failures += 1
                if result.firstError == nil { result.firstError = String(cString: curl_easy_strerror(code)) }
                continue
            }
            var connects = 0
            _ = tp_easy_getinfo_long(easy, CURLINFO_NUM_CONNECTS, &connects)
            result.connectionsOpened += connects
        }
        return result
    }
}
