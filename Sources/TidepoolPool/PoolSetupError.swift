import CCurlShim

#if canImport(Glibc)
import Glibc
#endif

/// Why the pool could not set something up: a libcurl option refused, a handle not
/// allocated, a system call failed. Internal; it reaches callers as a ``PoolError``
/// (``PoolError/transport(origin:code:message:)`` for one transfer,
/// ``PoolError/unavailable(_:)`` for the whole manager).
enum PoolSetupError: Error, Equatable, CustomStringConvertible {
    /// `curl_easy_setopt` refused an option (an unsupported protocol feature, out of memory).
    case easyOption(name: String, code: Int, message: String)
    /// `curl_multi_setopt` refused an option.
    case multiOption(name: String, code: Int, message: String)
    /// `curl_share_setopt` refused an option.
    case shareOption(name: String, code: Int, message: String)
    /// A libcurl constructor (`curl_easy_init`, `curl_multi_init`, `curl_share_init`) returned NULL.
    case allocation(String)
    /// A system call failed with `errno`.
    case system(call: String, errno: Int32)

    /// libcurl's code for the option failures, -1 otherwise.
    var code: Int {
        switch self {
        case .easyOption(_, let code, _), .multiOption(_, let code, _), .shareOption(_, let code, _): code
        case .allocation, .system: -1
        }
    }

    var description: String {
        switch self {
        case .easyOption(let name, _, let message), .multiOption(let name, _, let message),
            .shareOption(let name, _, let message):
            "libcurl refused \(name): \(message)"
        case .allocation(let function):
            "\(function) returned no handle (out of memory?)"
        case .system(let call, let errno):
            "\(call) failed: \(String(cString: strerror(errno)))"
        }
    }

    /// The failure of one transfer to `origin` that this set-up error caused.
    func transportError(origin: String) -> PoolError {
        .transport(origin: origin, code: code, message: description)
    }
}
