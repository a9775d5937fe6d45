import CCurlShim

#if canImport(Glibc)
import Glibc
#endif

/// Turns a finished transfer's libcurl result code into a ``PoolError`` a person can act on.
enum CurlErrorMapping {
    /// Maps `code` for a transfer to `origin`; `connected` tells a connect timeout from a total
    /// one, `message` is libcurl's error buffer (may be empty).
    /// `systemError` is the `errno` libcurl saw (`CURLINFO_OS_ERRNO`), 0 if none.
    static func error(
        code: CURLcode, origin: Origin, connected: Bool, timeouts: RequestTimeouts, message: String,
        systemError: Int
    ) -> PoolError {
        let detail = message.isEmpty ? String(cString: curl_easy_strerror(code)) : message
        switch code {
        case CURLE_COULDNT_CONNECT:
            if systemError == Int(ECONNREFUSED) || detail.lowercased().contains("refused") {
                return .connectionRefused(host: origin.host, port: origin.port)
            }
            return .transport(origin: origin.description, code: Int(code.rawValue), message: detail)
        case CURLE_COULDNT_RESOLVE_HOST:
            return .hostNotFound(origin.host)
        case CURLE_OPERATION_TIMEDOUT:
            if !connected {
                return .timedOut(.connect, after: timeouts.connect ?? 0, origin: origin.description)
            }
            return .timedOut(.total, after: timeouts.total ?? 0, origin: origin.description)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CIPHER, CURLE_SSL_ISSUER_ERROR:
            return .tls(origin: origin.description, message: detail)
        case CURLE_GOT_NOTHING, CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_PARTIAL_FILE,
            CURLE_HTTP2, CURLE_HTTP2_STREAM:
            return .connectionLost(origin: origin.description, message: detail)
        case CURLE_ABORTED_BY_CALLBACK, CURLE_WRITE_ERROR:
            return .cancelled
        default:
            return .transport(origin: origin.description, code: Int(code.rawValue), message: detail)
        }
    }
}
