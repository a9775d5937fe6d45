import Foundation
import TidepoolProviders

/// The printed forms of a comparison: an aligned table, the answers, or one JSON document.
public enum CompareReport {
    /// The table's column titles.
    public static let headers = ["model", "ttft", "tok/s", "total", "tokens", "status"]

    /// The table, one row per model, columns padded to their widest cell.
    public static func table(_ rows: [BroadcastComparison.Entry]) -> String {
        let cells = [headers] + rows.map { row in
            [
                row.label,
                row.timings?.timeToFirstToken.map { String(format: "%.2f s", $0) } ?? "-",
                row.timings?.tokensPerSecond.map { String(format: "%.1f", $0) } ?? "-",
                row.timings.map { String(format: "%.2f s", $0.total) } ?? "-",
                row.outputTokens.map(String.init) ?? "-",
                row.error.map { "\(row.status.rawValue): \($0)" } ?? row.status.rawValue,
            ]
        }
        let widths = headers.indices.map { column in cells.map { $0[column].count }.max() ?? 0 }
        return cells.map { line in
            line.enumerated().map { column, cell in
                column == line.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    /// Each answer under a `### provider:model` heading.
    public static func answers(_ rows: [BroadcastComparison.Entry]) -> String {
        rows.map { row in
            var section = "\n### \(row.label)\n\n"
            if !row.text.isEmpty { section += row.text + (row.text.hasSuffix("\n") ? "" : "\n") }
            if let error = row.error { section += "error: \(error)\n" }
            return section
        }.joined()
    }

    /// `{"prompt", "system"?, "session_id"?, "results": [{"model", "status", "text", ...}],
    /// "vote"?: {"kind": "best|tie|all_bad", "winner"?, "note"?}}`.
    public static func json(prompt: String, system: String?, sessionID: Int64?, rows: [BroadcastComparison.Entry],
                            vote: BroadcastVote? = nil) -> String {
        var document: [String: Any] = ["prompt": prompt]
        if let vote {
            var object: [String: Any] = ["kind": vote.verdict.kind]
            if let winner = vote.verdict.winner { object["winner"] = winner }
            if let note = vote.note { object["note"] = note }
            document["vote"] = object
        }
        if let system { document["system"] = system }
        if let sessionID { document["session_id"] = sessionID }
        document["results"] = rows.map { row -> [String: Any] in
            var result: [String: Any] = ["model": row.label, "status": row.status.rawValue, "text": row.text]
            if !row.reasoning.isEmpty { result["reasoning"] = row.reasoning }
            if let error = row.error { result["error"] = error }
            if let input = row.inputTokens { result["input_tokens"] = input }
            if let output = row.outputTokens { result["output_tokens"] = output }
            if let timings = row.timings { result["timings"] = EventJSON.timingsObject(timings) }
            return result
        }
        let data = (try? JSONSerialization.data(withJSONObject: document, options: EventJSON.writingOptions.union(.prettyPrinted)))
            ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
