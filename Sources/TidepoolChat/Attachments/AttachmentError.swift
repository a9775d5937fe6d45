/// Why an `@path` attachment could not be used. Each message names the file and what to do;
/// the prompt itself is never lost (it goes back into the input box).
public enum AttachmentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Nothing at that path.
    case notFound(path: String)
    /// The path is a folder or a device, not a regular file.
    case notAFile(path: String)
    /// The file exists but cannot be read (permissions).
    case unreadable(path: String, reason: String)
    /// The file is larger than the cap for one attachment.
    case tooLarge(path: String, bytes: Int, limit: Int)
    /// All the prompt's attachments together are larger than the cap for one prompt.
    case totalTooLarge(bytes: Int, limit: Int)
    /// The file holds NUL bytes or is not valid UTF-8: not text a model can read.
    case binary(path: String)

    public var description: String {
        switch self {
        case .notFound(let path):
            "@\(path): no such file (write @@ for a literal @)"
        case .notAFile(let path):
            "@\(path) is not a regular file; attach a text file"
        case .unreadable(let path, let reason):
            "@\(path) cannot be read: \(reason)"
        case .tooLarge(let path, let bytes, let limit):
            "@\(path) is \(AttachmentError.size(bytes)); one attachment may be at most \(AttachmentError.size(limit))"
        case .totalTooLarge(let bytes, let limit):
            "the attachments add up to \(AttachmentError.size(bytes)); one prompt may attach at most \(AttachmentError.size(limit))"
        case .binary(let path):
            "@\(path) is not a text file (binary, or not UTF-8); attach text only"
        }
    }

    /// `812 bytes`, `12.5 KiB`, `3.1 MiB`.
    static func size(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) bytes" }
        let kib = Double(bytes) / 1024
        if kib < 1024 { return formatted(kib) + " KiB" }
        return formatted(kib / 1024) + " MiB"
    }

    private static func formatted(_ value: Double) -> String {
        let tenths = (value * 10).rounded()
        return tenths.truncatingRemainder(dividingBy: 10) == 0 ? "\(Int(tenths / 10))" : "\(tenths / 10)"
    }
}
