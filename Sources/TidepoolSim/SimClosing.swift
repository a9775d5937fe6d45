/// Closing sentences of an exact number of words, so a simulated answer of a fixed token count
/// can end on a full sentence: the generator keeps its draft up to the last sentence end and
/// fills the rest with these.
enum SimClosing {
    /// One sentence for each length from 1 to 8 words.
    private static let byLength = [
        "Done.",
        "That's all.",
        "That covers it.",
        "That is the gist.",
        "That is the short version.",
        "Those are the main points here.",
        "Those are the main points to remember.",
        "Those are the main points worth remembering here.",
    ]

    /// Fillers of at most eight words, used in turn while more than eight words remain (so each
    /// always fits and leaves at least one word for the closing sentence).
    private static let longer = [
        "Measure before you change anything else at all.",
        "Small steps are easier to judge and undo.",
        "The details always depend on your own setup.",
        "Keep notes on what you changed and why.",
        "Start from the defaults and adjust them slowly.",
    ]

    /// Exactly `count` tokens (words with their trailing space) forming whole sentences; the
    /// last token ends the text with a newline.
    static func sentences(tokens count: Int) -> [String] {
        guard count > 0 else { return [] }
        var words: [String] = []
        var remaining = count
        var next = 0
        while remaining > byLength.count {
            let sentence = longer[next % longer.count].split(separator: " ").map(String.init)
            next += 1
            words += sentence
            remaining -= sentence.count
        }
        words += byLength[remaining - 1].split(separator: " ").map(String.init)
        var tokens = words.map { $0 + " " }
        tokens[tokens.count - 1] = words[words.count - 1] + "\n"
        return tokens
    }
}
