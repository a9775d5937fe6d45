/// Removes credentials from text that may be shown, logged or stored.
///
/// A base URL can carry a password (`https://user:pass@host/v1`) or a key in its query
/// (`?key=...`, `api_key=...`), and a server may quote the API key back in an error body.
/// Everything that can reach a screen, a log, a pool name or the history goes through here.
public enum CredentialRedaction {
    /// What replaces a removed credential.
    public static let mark = "[redacted]"

    /// Query parameter names whose values are credentials (compared case-insensitively).
    static let secretParameters: Set<String> = [
        "key", "api_key", "apikey", "api-key", "access_token", "token", "auth", "password",
        "passwd", "secret", "client_secret", "sig", "signature", "x-api-key",
    ]

    /// `url` with a `user:password@` part and the values of credential query parameters
    /// replaced by ``mark``. Text that is not a URL comes back unchanged.
    public static func url(_ url: String) -> String {
        var result = url
        if let schemeEnd = result.firstRange(of: "://") {
            let authorityStart = schemeEnd.upperBound
            let rest = result[authorityStart...]
            let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
            if let at = rest[..<authorityEnd].lastIndex(of: "@") {
                result.replaceSubrange(authorityStart..<at, with: mark)
            }
        }
        guard let question = result.firstIndex(of: "?") else { return result }
        let fragmentStart = result[question...].firstIndex(of: "#") ?? result.endIndex
        let query = result[result.index(after: question)..<fragmentStart]
        let cleaned = query.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            guard let equals = pair.firstIndex(of: "=") else { return String(pair) }
            let name = pair[..<equals].lowercased()
            return secretParameters.contains(name) ? String(pair[..<equals]) + "=" + mark : String(pair)
        }.joined(separator: "&")
        result.replaceSubrange(result.index(after: question)..<fragmentStart, with: cleaned)
        return result
    }

    /// `text` with every URL in it (`http://` or `https://` up to white space or a quote)
    /// passed through ``url(_:)``.
    public static func urls(in text: String) -> String {
        guard text.contains("://") else { return text }
        var result = ""
        var rest = text[...]
        while let start = rest.firstRange(of: "http")?.lowerBound {
            result += rest[..<start]
            let candidate = rest[start...]
            let end = candidate.firstIndex(where: { $0.isWhitespace || $0 == "\"" || $0 == "'" || $0 == "<" || $0 == ">" })
                ?? candidate.endIndex
            var word = candidate[..<end]
            // Sentence punctuation after a URL is not part of it.
            var trailing = ""
            while let last = word.last, ".,;:)]".contains(last) {
                trailing = String(last) + trailing
                word = word.dropLast()
            }
            result += (word.hasPrefix("http://") || word.hasPrefix("https://") ? url(String(word)) : String(word)) + trailing
            rest = candidate[end...]
        }
        return result + rest
    }

    /// `text` with every occurrence of `secret` replaced, and also a piece of it cut off at
    /// the end of the text (an excerpt that stopped in the middle of the key): at least 4
    /// characters of the key's start followed only by an ellipsis or nothing.
    public static func secret(_ secret: String?, in text: String) -> String {
        guard let secret, !secret.isEmpty else { return text }
        var result = text.replacingAll(secret, with: mark)
        var body = result[...]
        let ellipsis = body.hasSuffix("…")
        if ellipsis { body = body.dropLast() }
        let longest = min(secret.count - 1, body.count)
        if longest >= 4 {
            for length in stride(from: longest, through: 4, by: -1) where body.hasSuffix(secret.prefix(length)) {
                result = String(body.dropLast(length)) + mark + (ellipsis ? "…" : "")
                break
            }
        }
        return result
    }
}
