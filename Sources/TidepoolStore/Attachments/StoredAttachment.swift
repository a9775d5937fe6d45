/// A text file attached to a prompt (`@path`), as the history keeps it: the prompt refers to
/// it by ``name`` and ``hash``; the content is stored once per hash in the `attachments` table,
/// however many prompts attach it.
public struct StoredAttachment: Sendable, Equatable, Codable {
    /// The path as the user wrote it after `@` (what the prompt and the model saw).
    public var name: String
    /// SHA-256 of the content's UTF-8 bytes, 64 lowercase hex digits (``SHA256``).
    public var hash: String
    /// The content's size in UTF-8 bytes.
    public var byteCount: Int
    /// The file's text as it was sent.
    public var content: String

    /// Creates an attachment, hashing `content`.
    public init(name: String, content: String) {
        self.name = name
        self.content = content
        hash = SHA256.hex(content)
        byteCount = content.utf8.count
    }

    /// Creates an attachment from stored fields (as read back from the database).
    public init(name: String, hash: String, byteCount: Int, content: String) {
        self.name = name
        self.hash = hash
        self.byteCount = byteCount
        self.content = content
    }

    enum CodingKeys: String, CodingKey {
        case name, hash, content
        case byteCount = "bytes"
    }
}
