/// Why a byte stream could not be split into lines or events.
///
/// These bound memory: a server that never sends a line ending (or a hostile one) fails with
/// a clear error instead of growing a buffer without limit.
public enum StreamFramingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One line grew past `limit` bytes without a line ending.
    case lineTooLong(limit: Int)
    /// One server-sent event's data grew past `limit` bytes before its blank line.
    case eventTooLarge(limit: Int)

    /// A sentence saying which bound was hit.
    public var description: String {
        switch self {
        case .lineTooLong(let limit):
            "a line in the stream exceeded \(Self.format(limit)) without a line ending"
        case .eventTooLarge(let limit):
            "an event in the stream exceeded \(Self.format(limit))"
        }
    }

    private static func format(_ bytes: Int) -> String {
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }
}
