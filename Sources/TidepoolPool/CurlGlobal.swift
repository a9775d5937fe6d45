import CCurlShim

/// libcurl's process-wide initialisation, done once before the first handle is made.
/// `curl_global_init` is not thread-safe, so a Swift `static let` (run once, atomically) does it.
enum CurlGlobal {
    private static let initialised: Bool = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
    }()

    /// Initialises libcurl if it was not yet; returns false if libcurl refused.
    @discardableResult
    static func ensureInitialised() -> Bool { initialised }

    /// The version string of the libcurl in use, e.g. `libcurl/7.88.1 OpenSSL/3.0.17 ... nghttp2/1.52.0`.
    static var version: String { String(cString: curl_version()) }
}
