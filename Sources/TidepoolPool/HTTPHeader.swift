/// One HTTP header field. Kept as a list, not a dictionary, because order and repeats are
/// meaningful on the wire.
public struct HTTPHeader: Hashable, Sendable {
    /// The field name as sent or received.
    public let name: String
    /// The field value, without surrounding white space.
    public let value: String

    /// Creates a header field.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    /// True for headers whose value is a secret and must never be logged or shown.
    public var isSensitive: Bool {
        let lower = name.lowercased()
        return lower == "authorization" || lower == "proxy-authorization" || lower == "x-api-key"
            || lower == "api-key" || lower == "cookie" || lower.contains("token")
            || lower.contains("secret")
    }
}

extension Array where Element == HTTPHeader {
    /// The value of the first field with this name, compared case-insensitively.
    public func value(for name: String) -> String? {
        let lower = name.lowercased()
        return first { $0.name.lowercased() == lower }?.value
    }
}
