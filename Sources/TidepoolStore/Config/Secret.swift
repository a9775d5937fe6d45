import Foundation

/// A secret such as an API key: it can be handed around, but printing, interpolating,
/// dumping or mirroring it shows only `<redacted>`, so it cannot leak into history, logs,
/// exports or crash output by accident.
///
/// The value is reachable only through ``withValue(_:)``, which makes each place that needs
/// the raw key (building the `Authorization` header) easy to find.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    private let storage: String

    /// Wraps `value`. Surrounding whitespace and newlines (common at the end of key files,
    /// CRLF from Windows editors included) and a leading UTF-8 byte order mark are removed.
    public init(_ value: String) {
        var text = value.trimmingCharacters(in: .whitespacesAndNewlines)
        while text.hasPrefix("\u{FEFF}") {
            text = String(text.dropFirst()).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        storage = text
    }

    /// Whether the value holds a line break or another control character: such a key would
    /// end the request header it is put in.
    public var hasControlCharacters: Bool {
        storage.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }

    /// Whether the secret is empty (an empty key file or variable).
    public var isEmpty: Bool { storage.isEmpty }

    /// Calls `body` with the raw value; keep the value inside the closure.
    public func withValue<Result>(_ body: (String) throws -> Result) rethrows -> Result {
        try body(storage)
    }

    /// Always `<redacted>`.
    public var description: String { "<redacted>" }
    /// Always `Secret(<redacted>)`.
    public var debugDescription: String { "Secret(<redacted>)" }
    /// A mirror with no children, so `dump` and reflection show nothing of the value.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
