/// Finds the `@path` attachments in a prompt. Pure: no file is touched here
/// (``AttachmentLoader`` reads them).
///
/// The rule:
/// - `@` starts a reference only at the start of the prompt or after whitespace, and only
///   when a path follows at once: `a@b.com`, `user@host` and a lone `@` are plain text.
/// - The path runs to the next whitespace; `@"a path with spaces"` takes what is between the
///   quotes. Trailing punctuation (`. , ; : ! ? ) ] } ' "`) ends a sentence, not a path, and
///   is left out: `look at @notes.txt.` attaches `notes.txt`.
/// - `@@` where a reference could start is an escaped `@`: `@@property` is sent as
///   `@property` and attaches nothing. `@@` elsewhere (`a@@b`) is left as written.
/// - The same path written twice is attached once.
public enum PromptAttachments {
    /// One `@path` in a prompt.
    public struct Reference: Sendable, Equatable {
        /// The path as written (without `@` and quotes).
        public var path: String

        /// Creates a reference.
        public init(path: String) { self.path = path }
    }

    /// A prompt read for attachments: the text to send (escapes undone) and the files named.
    public struct Parsed: Sendable, Equatable {
        /// The prompt with every `@@` escape turned into `@`; references stay as written.
        public var text: String
        /// The files named, in order of first mention, each once.
        public var references: [Reference]
    }

    /// Reads `prompt`.
    public static func parse(_ prompt: String) -> Parsed {
        let characters = Array(prompt)
        var text = ""
        var references: [Reference] = []
        var index = 0
        while index < characters.count {
            let character = characters[index]
            let atBoundary = index == 0 || characters[index - 1].isWhitespace
            guard character == "@", atBoundary, index + 1 < characters.count else {
                text.append(character)
                index += 1
                continue
            }
            let next = characters[index + 1]
            if next == "@" {
                // Escaped: one literal `@`, and what follows is plain text.
                text.append("@")
                index += 2
                while index < characters.count, !characters[index].isWhitespace {
                    text.append(characters[index])
                    index += 1
                }
                continue
            }
            if next.isWhitespace {
                text.append(character)
                index += 1
                continue
            }
            if next == "\"", let close = characters[(index + 2)...].firstIndex(of: "\""), close > index + 2 {
                let path = String(characters[(index + 2)..<close])
                if !path.contains(where: \.isNewline) {
                    add(path, to: &references)
                    text.append(contentsOf: characters[index...close])
                    index = close + 1
                    continue
                }
            }
            var end = index + 1
            while end < characters.count, !characters[end].isWhitespace { end += 1 }
            var pathEnd = end
            while pathEnd > index + 1, trailingPunctuation.contains(characters[pathEnd - 1]) { pathEnd -= 1 }
            if pathEnd > index + 1 { add(String(characters[(index + 1)..<pathEnd]), to: &references) }
            text.append(contentsOf: characters[index..<end])
            index = end
        }
        return Parsed(text: text, references: references)
    }

    /// Whether `prompt` names any file (cheap check before ``parse(_:)``'s work matters).
    public static func hasReferences(_ prompt: String) -> Bool {
        prompt.contains("@") && !parse(prompt).references.isEmpty
    }

    private static let trailingPunctuation: Set<Character> = [".", ",", ";", ":", "!", "?", ")", "]", "}", "'", "\""]

    private static func add(_ path: String, to references: inout [Reference]) {
        if !references.contains(where: { $0.path == path }) { references.append(Reference(path: path)) }
    }
}
