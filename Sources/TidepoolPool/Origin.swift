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
    ///
    /// Every request parses its URL, so an all-ASCII URL (all of them, in practice) is read
    /// as bytes; anything else takes the general path below, which compares characters.
    public init?(url: String) {
        switch url.utf8.withContiguousStorageIfAvailable(Self.parseASCII) ?? .notASCII {
        case .origin(let origin): self = origin
        case .invalid: return nil
        case .notASCII: self.init(parsingCharacters: url)
        }
    }

    /// What the byte-level reading of a URL found.
    private enum ASCIIParse {
        case origin(Origin)
        case invalid
        case notASCII
    }

    /// The same rules as ``init(parsingCharacters:)``, on the bytes of an all-ASCII URL.
    private static func parseASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> ASCIIParse {
        let colon = UInt8(ascii: ":"), slash = UInt8(ascii: "/")
        for byte in bytes where byte >= 0x80 { return .notASCII }
        func text(_ range: Range<Int>, lowercased: Bool) -> String {
            String(decoding: bytes[range].lazy.map { lowercased && $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
        }
        var schemeEnd: Int?
        var index = 0
        while index + 2 < bytes.count {
            if bytes[index] == colon && bytes[index + 1] == slash && bytes[index + 2] == slash {
                schemeEnd = index
                break
            }
            index += 1
        }
        guard let schemeEnd else { return .invalid }
        let scheme = text(0..<schemeEnd, lowercased: true)
        guard scheme == "http" || scheme == "https" else { return .invalid }
        var start = schemeEnd + 3
        var end = start
        while end < bytes.count, bytes[end] != slash, bytes[end] != UInt8(ascii: "?"), bytes[end] != UInt8(ascii: "#") {
            end += 1
        }
        if let at = bytes[start..<end].lastIndex(of: UInt8(ascii: "@")) { start = at + 1 }
        var host: Range<Int>
        var portText: Range<Int>?
        if start < end, bytes[start] == UInt8(ascii: "[") {
            guard let close = bytes[start..<end].firstIndex(of: UInt8(ascii: "]")) else { return .invalid }
            host = (start + 1)..<close
            if close + 1 < end {
                guard bytes[close + 1] == colon else { return .invalid }
                portText = (close + 2)..<end
            }
        } else if let last = bytes[start..<end].lastIndex(of: colon) {
            host = start..<last
            portText = (last + 1)..<end
        } else {
            host = start..<end
        }
        guard !host.isEmpty else { return .invalid }
        let port: Int
        if let portText {
            guard let parsed = Int(text(portText, lowercased: false)), (1...65535).contains(parsed) else { return .invalid }
            port = parsed
        } else {
            port = scheme == "https" ? 443 : 80
        }
        return .origin(Origin(scheme: scheme, host: text(host, lowercased: true), port: port))
    }

    /// The general parser (any URL text), comparing characters.
    private init?(parsingCharacters url: String) {
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
