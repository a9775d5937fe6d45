import Foundation

/// Minimal parsers for the test's view of the wire: NDJSON lines and SSE events. Deliberately
/// independent of the app's decoders (which are tested against the fixtures), so a simulator bug
/// and a decoder bug cannot cancel out.
enum WireParsing {
    struct SSEEvent {
        var event: String?
        var data: String

        var json: [String: Any]? {
            (try? JSONSerialization.jsonObject(with: Data(data.utf8))) as? [String: Any]
        }
    }

    /// One JSON object per non-empty line; a line that is not a JSON object yields nil.
    static func ndjson(_ body: [UInt8]) -> [[String: Any]?] {
        String(decoding: body, as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: true)
            .map { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
    }

    /// SSE events separated by blank lines (the simulator sends `\n` line endings only).
    static func sse(_ body: [UInt8]) -> [SSEEvent] {
        String(decoding: body, as: UTF8.self)
            .components(separatedBy: "\n\n")
            .filter { !$0.isEmpty }
            .map { block in
                var event = SSEEvent(event: nil, data: "")
                var data: [String] = []
                for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
                    if line.hasPrefix("event: ") { event.event = String(line.dropFirst(7)) }
                    if line.hasPrefix("data: ") { data.append(String(line.dropFirst(6))) }
                }
                event.data = data.joined(separator: "\n")
                return event
            }
    }

    static func object(_ body: [UInt8]) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
    }
}
