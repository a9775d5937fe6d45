/// Where a request goes, as far as connections are concerned: scheme, host and port.
///
/// Two requests with the same origin (and the same ``ConnectionOptions``) can share a
/// connection; nothing else about a request (path, model, API key, timeouts) matters to that.
public struct Origin: Hashable, Sendable, CustomStringConvertible {
    /// `http` or `https`, lower-cased.
    public let scheme: String
    /// The host name or address, lower-cased, IPv6 addresses without brackets.
    public let host: String
    /// The port, with the scheme's default filled in.
    public let port: Int

    /// Creates an origin from its parts; the scheme and host are lower-cased.
    public init(scheme: String, host: String, port: Int) {
        self.scheme = scheme.lowercased()
        self.host = host.lowercased()
        self.port = port
    }

    /// Parses the origin of an absolute `http` or `https` URL, or returns nil.
    public init?(url: String) {
        guard let schemeEnd = url.firstRange(of: "://") else { return nil }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        var rest = url[schemeEnd.upperBound...]
        if let end = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) {
            rest = rest[..<end]
        }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        var host: Substring
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty { return nil }
        } else if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        } else {
            host = rest
        }
        guard !host.isEmpty else { return nil }
        let port: Int
        if let portText {
            guard let parsed = Int(portText), (1...65535).contains(parsed) else { return nil }
            port = parsed
        } else {
            port = scheme == "https" ? 443 : 80
        }
        self.init(scheme: scheme, host: String(host), port: port)
    }

    /// True for `https`.
    public var usesTLS: Bool { scheme == "https" }

    /// `scheme://host:port`, with IPv6 hosts in brackets.
    public var description: String { "\(scheme)://\(hostAndPort)" }

    /// `host:port`, with IPv6 hosts in brackets: the form shown in the pool panel.
    public var hostAndPort: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
