import CCurlShim

/// One libcurl easy handle with checked setters and typed getters.
///
/// Every `set` throws ``PoolSetupError/easyOption(name:code:message:)`` naming the option
/// libcurl refused, instead of discarding `curl_easy_setopt`'s result (modelled on
/// swift-corelibs-foundation's `EasyHandle.swift`, written for this pool).
///
/// Intentionally not thread safe: a handle belongs to the ``NetworkThread`` that made it, and
/// libcurl's callbacks for it run on that thread. A value, not an owner: ``cleanup()`` is
/// called by exactly one place (``CurlPool``'s recycling or teardown).
struct EasyHandle {
    /// The `CURL *`.
    let raw: UnsafeMutableRawPointer

    /// Wraps an existing handle.
    init(raw: UnsafeMutableRawPointer) {
        self.raw = raw
    }

    /// A new handle (`curl_easy_init`).
    static func make() throws(PoolSetupError) -> EasyHandle {
        guard let raw = curl_easy_init() else { throw .allocation("curl_easy_init") }
        return EasyHandle(raw: raw)
    }

    // MARK: Options

    func set(_ option: CURLoption, _ value: Int) throws(PoolSetupError) {
        try check(tp_easy_setopt_long(raw, option, value), option)
    }

    func set(_ option: CURLoption, _ value: Bool) throws(PoolSetupError) {
        try check(tp_easy_setopt_long(raw, option, value ? 1 : 0), option)
    }

    func set(_ option: CURLoption, _ value: String) throws(PoolSetupError) {
        try check(tp_easy_setopt_string(raw, option, value), option)
    }

    func set(_ option: CURLoption, offset value: curl_off_t) throws(PoolSetupError) {
        try check(tp_easy_setopt_off_t(raw, option, value), option)
    }

    func set(_ option: CURLoption, pointer value: UnsafeMutableRawPointer?) throws(PoolSetupError) {
        try check(tp_easy_setopt_ptr(raw, option, value), option)
    }

    func set(_ option: CURLoption, list value: UnsafeMutablePointer<curl_slist>) throws(PoolSetupError) {
        try check(tp_easy_setopt_slist(raw, option, value), option)
    }

    func set(_ option: CURLoption, callback: tp_curl_data_callback) throws(PoolSetupError) {
        try check(tp_easy_setopt_data_callback(raw, option, callback), option)
    }

    func set(share: UnsafeMutableRawPointer) throws(PoolSetupError) {
        try check(tp_easy_setopt_share(raw, share), CURLOPT_SHARE)
    }

    func set(openSocket callback: tp_curl_opensocket_callback) throws(PoolSetupError) {
        try check(tp_easy_setopt_opensocket_callback(raw, callback), CURLOPT_OPENSOCKETFUNCTION)
    }

    func set(closeSocket callback: tp_curl_closesocket_callback) throws(PoolSetupError) {
        try check(tp_easy_setopt_closesocket_callback(raw, callback), CURLOPT_CLOSESOCKETFUNCTION)
    }

    // MARK: Information

    /// A `long` item, 0 when libcurl has none.
    func long(_ info: CURLINFO) -> Int {
        var value = 0
        return tp_easy_getinfo_long(raw, info, &value) == CURLE_OK ? value : 0
    }

    /// A `curl_off_t` item (the `*_T` timings in microseconds), 0 when libcurl has none.
    func offset(_ info: CURLINFO) -> curl_off_t {
        var value: curl_off_t = 0
        return tp_easy_getinfo_off_t(raw, info, &value) == CURLE_OK ? value : 0
    }

    /// The `CURLOPT_PRIVATE` pointer.
    func privatePointer() -> UnsafeMutableRawPointer? {
        var pointer: UnsafeMutableRawPointer?
        return tp_easy_getinfo_ptr(raw, CURLINFO_PRIVATE, &pointer) == CURLE_OK ? pointer : nil
    }

    // MARK: Lifecycle

    /// Clears every option so the handle can carry another request (keeps its caches).
    func reset() { curl_easy_reset(raw) }

    /// Frees the handle. It must not be in a multi handle.
    func cleanup() { curl_easy_cleanup(raw) }

    private func check(_ code: CURLcode, _ option: CURLoption) throws(PoolSetupError) {
        guard code != CURLE_OK else { return }
        throw .easyOption(name: Self.name(of: option), code: Int(code.rawValue),
                          message: String(cString: curl_easy_strerror(code)))
    }

    /// The option's name as libcurl spells it (`CURLOPT_URL`), for error messages.
    static func name(of option: CURLoption) -> String {
        if let name = curl_easy_option_by_id(option)?.pointee.name {
            return "CURLOPT_" + String(cString: name)
        }
        return "option \(option.rawValue)"
    }
}
