import Foundation

/// This process's resident memory, read from `/proc/self/status`.
enum ProcessMemory {
    /// Resident set size now, in KiB (`VmRSS`).
    static var residentKilobytes: Int { field("VmRSS") }
    /// Peak resident set size so far, in KiB (`VmHWM`).
    static var peakResidentKilobytes: Int { field("VmHWM") }

    private static func field(_ name: String) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
        }
        return 0
    }
}
