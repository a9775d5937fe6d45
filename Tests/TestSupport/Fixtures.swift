import Foundation

/// Locates the recorded provider wire streams the tests read: `Tests/Fixtures` in this
/// repository (copied byte for byte from the team's shared recordings, provenance in its
/// `README.md`), so a clone alone passes its own tests. Tests read them and never modify them.
public enum Fixtures {
    /// The fixtures directory: `$TIDEPOOL_FIXTURES` if set, else `Tests/Fixtures` beside this
    /// source file's folder.
    public static var directory: URL {
        if let override = ProcessInfo.processInfo.environment["TIDEPOOL_FIXTURES"] {
            return URL(fileURLWithPath: override)
        }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // TestSupport
            .deletingLastPathComponent()  // Tests
            .appendingPathComponent("Fixtures")
    }

    /// The raw bytes of one fixture file.
    public static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    /// Every JSON document of the recorded wire streams (the `servers/` monitoring bodies are
    /// a folder of their own): each line with an object or array, its `data:` prefix removed.
    public static func wireJSONDocuments() throws -> [String] {
        var documents: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path)
        where name != "README.md" && name != "servers" {
            let text = String(decoding: try bytes(name), as: UTF8.self)
            for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
                var body = Substring(line)
                if body.hasPrefix("data:") { body = body.dropFirst(5) }
                guard body.contains("{") || body.contains("[") else { continue }
                documents.append(String(body))
            }
        }
        return documents
    }
}
