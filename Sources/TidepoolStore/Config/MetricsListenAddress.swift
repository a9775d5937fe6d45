import Foundation

/// Where `/metrics` is served: a host and a port, parsed from `--metrics-listen HOST:PORT` or
/// the config's `[metrics] listen`. The exposition names every host Tidepool talks to, so it
/// stays on loopback unless the user says otherwise in so many words.
public struct MetricsListenAddress: Equatable, Sendable, CustomStringConvertible {
    public let host: String
    public let port: Int

    /// Why an address was refused; each message names the value and what to write instead.
    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case missingPort(String)
        case badPort(String)
        case emptyHost(String)
        case remoteNotAllowed(String)

        public var description: String {
            switch self {
            case .missingPort(let text):
                return "metrics address \"\(text)\" has no port: write HOST:PORT, for example 127.0.0.1:9464"
            case .badPort(let text):
                return "metrics address \"\(text)\" has no valid port (1-65535): write HOST:PORT, for example 127.0.0.1:9464"
            case .emptyHost(let text):
                return "metrics address \"\(text)\" has no host: write HOST:PORT, for example 127.0.0.1:9464"
            case .remoteNotAllowed(let text):
                return "metrics address \"\(text)\" is not a loopback address: the metrics name every server you talk to, "
                    + "so serving them beyond this machine needs --metrics-allow-remote (or the config's [metrics] listen)"
            }
        }
    }

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT`, `[IPv6]:PORT` or `:PORT` (loopback). With `allowRemote` false, a
    /// host other than a loopback one is refused.
    public init(parsing text: String, allowRemote: Bool) throws(ParseError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let hostPart: Substring
        let portPart: Substring
        if trimmed.hasPrefix("[") {
            guard let close = trimmed.firstIndex(of: "]") else { throw .missingPort(text) }
            hostPart = trimmed[trimmed.index(after: trimmed.startIndex)..<close]
            let rest = trimmed[trimmed.index(after: close)...]
            guard rest.hasPrefix(":") else { throw .missingPort(text) }
            portPart = rest.dropFirst()
        } else {
            guard let colon = trimmed.lastIndex(of: ":") else { throw .missingPort(text) }
            hostPart = trimmed[..<colon]
            portPart = trimmed[trimmed.index(after: colon)...]
            if hostPart.contains(":") { throw .missingPort(text) }  // bare IPv6 needs brackets
        }
        guard let port = Int(portPart), (1...65535).contains(port) else { throw .badPort(text) }
        let host = hostPart.isEmpty ? "127.0.0.1" : String(hostPart)
        if host.trimmingCharacters(in: .whitespaces).isEmpty { throw .emptyHost(text) }
        if !allowRemote, !Self.isLoopback(host) { throw .remoteNotAllowed(text) }
        self.init(host: host, port: port)
    }

    /// Loopback by name or number: `localhost`, 127.0.0.0/8 and `::1`.
    public static func isLoopback(_ host: String) -> Bool {
        let lowered = host.lowercased()
        if lowered == "localhost" || lowered == "::1" { return true }
        let parts = lowered.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    public var isLoopback: Bool { Self.isLoopback(host) }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
