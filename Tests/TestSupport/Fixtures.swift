import Foundation

/// Locates the recorded provider wire streams in `../shared/fixtures` (beside the repository),
/// which tests read and never modify.
public enum Fixtures {
    /// The fixtures directory: `$TIDEPOOL_FIXTURES` if set, else `shared/fixtures` found by
    /// walking up from this source file.
    public static var directory: URL {
        if let override = ProcessInfo.processInfo.environment["TIDEPOOL_FIXTURES"] {
            return URL(fileURLWithPath: override)
        }
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<8 {
            let candidate = dir.appendingPathComponent("shared/fixtures")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: "../shared/fixtures")
    }

    /// The raw bytes of one fixture file.
    public static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }
}
