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
}
