import Foundation
import TidepoolStore

/// Reads the files a prompt names with `@path` (``PromptAttachments``), refusing what a model
/// cannot use: a missing file, a folder, an unreadable file, one over ``maxFileBytes``, a
/// prompt whose attachments add up to more than ``maxTotalBytes``, and binary or non-UTF-8
/// content. The size is checked before the file is read, so a huge file costs nothing.
public struct AttachmentLoader: Sendable {
    /// The most one attachment may hold (default 256 KiB: far more than a source file, far
    /// less than a model's context allows to be wasted).
    public var maxFileBytes: Int
    /// The most one prompt's attachments may hold together (default 1 MiB).
    public var maxTotalBytes: Int
    /// Where relative paths start (default: the current directory).
    public var baseDirectory: String?

    /// The default cap for one attachment.
    public static let defaultMaxFileBytes = 256 * 1024
    /// The default cap for one prompt's attachments.
    public static let defaultMaxTotalBytes = 1024 * 1024

    /// Creates a loader.
    public init(maxFileBytes: Int = defaultMaxFileBytes, maxTotalBytes: Int = defaultMaxTotalBytes,
                baseDirectory: String? = nil) {
        self.maxFileBytes = maxFileBytes
        self.maxTotalBytes = maxTotalBytes
        self.baseDirectory = baseDirectory
    }

    /// Reads every reference, in order; the first problem stops it. A bare word that names no
    /// file (``isBareWord(_:)``) is left as text instead.
    public func load(_ references: [PromptAttachments.Reference]) throws(AttachmentError) -> [StoredAttachment] {
        var attachments: [StoredAttachment] = []
        var total = 0
        for reference in references {
            let attachment: StoredAttachment
            do {
                attachment = try load(reference.path)
            } catch {
                if case .notFound = error, Self.isBareWord(reference.path) { continue }
                throw error
            }
            total += attachment.byteCount
            guard total <= maxTotalBytes else { throw .totalTooLarge(bytes: total, limit: maxTotalBytes) }
            attachments.append(attachment)
        }
        return attachments
    }

    /// Reads one file named `path` (as written after `@`).
    public func load(_ path: String) throws(AttachmentError) -> StoredAttachment {
        let full = resolve(path)
        var status = stat()
        guard stat(full, &status) == 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { throw .notFound(path: path) }
            throw .unreadable(path: path, reason: String(cString: strerror(code)))
        }
        guard status.st_mode & S_IFMT == S_IFREG else { throw .notAFile(path: path) }
        let size = Int(status.st_size)
        guard size <= maxFileBytes else { throw .tooLarge(path: path, bytes: size, limit: maxFileBytes) }
        guard let handle = FileHandle(forReadingAtPath: full) else {
            throw .unreadable(path: path, reason: "permission denied")
        }
        defer { try? handle.close() }
        // Read one byte past the cap: a file that grew since `stat` is still caught.
        let data: Data
        do {
            data = try handle.read(upToCount: maxFileBytes + 1) ?? Data()
        } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        guard data.count <= maxFileBytes else { throw .tooLarge(path: path, bytes: data.count, limit: maxFileBytes) }
        guard !data.contains(0), let text = String(data: data, encoding: .utf8) else { throw .binary(path: path) }
        return StoredAttachment(name: path, content: text)
    }

    /// Whether `path` is a bare word: no `/`, `.` or `~`. Such a word that names no file is
    /// more likely a decorator or a mention (`@MainActor`, `@here`) than a file, so a prompt
    /// pasted from code still sends; a missing `@notes.txt` or `@src/x` is still refused.
    static func isBareWord(_ path: String) -> Bool {
        !path.contains { $0 == "/" || $0 == "." || $0 == "~" }
    }

    /// `~/x` in the home folder, `/x` as is, anything else under ``baseDirectory``.
    func resolve(_ path: String) -> String {
        if path == "~" || path.hasPrefix("~/") {
            let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
            return home + path.dropFirst()
        }
        if path.hasPrefix("/") { return path }
        let base = baseDirectory ?? FileManager.default.currentDirectoryPath
        return base.hasSuffix("/") ? base + path : base + "/" + path
    }
}
