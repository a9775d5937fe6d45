/// The fenced code blocks of an answer, for copying one of them (Alt-O). Fences follow the
/// screen's Markdown rules (`MarkdownRenderer`): ``` or ~~~, three or more, indented at most
/// three spaces, closed by a run of the same character at least as long; a backtick fence's
/// info string holds no backtick. A block still open at the end (a streaming answer) counts.
public enum CodeBlocks {
    /// One code block.
    public struct Block: Sendable, Equatable {
        /// The info string's first word (`swift`, `sh`), empty when none.
        public var language: String
        /// The lines between the fences, joined by newlines.
        public var text: String

        /// Creates a block.
        public init(language: String, text: String) {
            self.language = language
            self.text = text
        }

        /// How many lines it holds.
        public var lineCount: Int { text.isEmpty ? 0 : text.split(separator: "\n", omittingEmptySubsequences: false).count }

        /// `swift, 12 lines`.
        public var summary: String {
            let lines = lineCount == 1 ? "1 line" : "\(lineCount) lines"
            return language.isEmpty ? lines : "\(language), \(lines)"
        }
    }

    /// Every code block of `text`, in order.
    public static func extract(_ text: String) -> [Block] {
        var blocks: [Block] = []
        var open: (marker: Character, length: Int, language: String, lines: [Substring])?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = line.hasSuffix("\r") ? line.dropLast() : line
            if let current = open {
                let trimmed = line.drop(while: { $0 == " " })
                let run = trimmed.prefix(while: { $0 == current.marker }).count
                if run >= current.length && trimmed.dropFirst(run).allSatisfy({ $0 == " " }) {
                    blocks.append(Block(language: current.language, text: current.lines.joined(separator: "\n")))
                    open = nil
                } else {
                    open?.lines.append(line)
                }
                continue
            }
            let trimmed = line.drop(while: { $0 == " " })
            guard line.count - trimmed.count <= 3, let marker = trimmed.first, marker == "`" || marker == "~" else { continue }
            let length = trimmed.prefix(while: { $0 == marker }).count
            guard length >= 3 else { continue }
            let info = trimmed.dropFirst(length)
            if marker == "`" && info.contains("`") { continue }
            let language = info.split(separator: " ").first.map(String.init) ?? ""
            open = (marker, length, language, [])
        }
        if let current = open {
            blocks.append(Block(language: current.language, text: current.lines.joined(separator: "\n")))
        }
        return blocks
    }
}
