import Foundation
import TidepoolChat
import TidepoolProviders

/// One model's outcome in `tidepool compare`.
struct CompareRow {
    var label: String
    var status: PaneStatus
    var text: String
    var reasoning: String
    var error: String?
    var timings: ChatTimings?
    var inputTokens: Int?
    var outputTokens: Int?

    init(pane: Pane) {
        label = pane.label
        let answer = pane.lastAnswer
        status = answer?.status ?? pane.status
        text = answer?.text ?? ""
        reasoning = answer?.reasoning ?? ""
        error = answer?.error
        timings = answer?.timings
        inputTokens = answer?.inputTokens
        outputTokens = answer?.outputTokens ?? answer?.timings?.outputTokens
    }
}

/// The printed forms of a comparison: an aligned table, the answers, or one JSON document.
enum CompareReport {
    static let headers = ["model", "ttft", "tok/s", "total", "tokens", "status"]

    /// The table, one row per model, columns padded to their widest cell.
    static func table(_ rows: [CompareRow]) -> String {
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
    static func answers(_ rows: [CompareRow]) -> String {
        rows.map { row in
            var section = "\n### \(row.label)\n\n"
            if !row.text.isEmpty { section += row.text + (row.text.hasSuffix("\n") ? "" : "\n") }
            if let error = row.error { section += "error: \(error)\n" }
            return section
        }.joined()
    }

    /// `{"prompt", "system"?, "session_id"?, "results": [{"model", "status", "text", ...}]}`.
    static func json(prompt: String, system: String?, sessionID: Int64?, rows: [CompareRow]) -> String {
        var document: [String: Any] = ["prompt": prompt]
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
        let data = (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .prettyPrinted]))
            ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
