/// Deterministic, readable model output for the simulator: English sentences about a plausible
/// topic with some Markdown (a heading, bold, a list, inline code, sometimes a fenced code block),
/// cut into word-ish tokens.
///
/// The same seed always gives the same text, so a test (or a person comparing panes) asking the
/// same question of the same model sees the same answer; the seed normally comes from
/// ``seed(model:prompt:salt:)``. Rendering code meets real Markdown shapes instead of lorem ipsum.
/// An answer opens on the topic a word of the prompt names, when one does ("Explain connection
/// pooling" gets pooling), and ends on a full sentence, as a finished answer from a real model
/// does.
public struct SimTextGenerator: Sendable {
    /// The seed every piece of text is drawn from.
    public let seed: UInt64
    /// The topic the prompt asks about, if a word of it names one.
    private let promptTopic: SimTopic?

    /// A generator drawing from `seed`; `prompt` (the question) picks the first topic when one of
    /// its words matches a topic's vocabulary.
    public init(seed: UInt64, prompt: String = "") {
        self.seed = seed
        promptTopic = SimTopic.named(by: prompt)
    }

    /// A stable seed from the model name, the prompt text and the configuration's salt: the same
    /// question to the same model gives the same answer; a different one usually does not.
    public static func seed(model: String, prompt: String, salt: UInt64 = 0) -> UInt64 {
        SimRandom.hash([model, prompt], into: 0xCBF2_9CE4_8422_2325 ^ salt)
    }

    /// Exactly `count` tokens of answer text (Markdown); joined they read as one document that
    /// ends on a full sentence. A request's token limit cuts a prefix of this (and says so with
    /// `length`); this is the answer as the model would finish it.
    public func answer(tokens count: Int) -> [String] {
        guard count > 0 else { return [] }
        let draft = draft(tokens: count)
        let cut = Self.lastSentenceEnd(in: draft, atMost: count)
        var tokens = Array(draft.prefix(cut))
        // Closing words after a line (a list item) start a paragraph of their own.
        if cut < count, let last = tokens.last, last.hasSuffix("\n"), !last.hasSuffix("\n\n") {
            tokens[tokens.count - 1] += "\n"
        }
        tokens += SimClosing.sentences(tokens: count - cut)
        return tokens
    }

    /// At least `count` tokens of whole sections, the first on the prompt's topic.
    private func draft(tokens count: Int) -> [String] {
        var random = SimRandom(seed: seed)
        var topic = random.pick(SimTopic.all)
        if let promptTopic { topic = promptTopic }
        var pieces: [String] = []
        var section = 0
        while pieces.count < count {
            var sectionPieces = Self.tokenize(Self.section(topic: topic, index: section, random: &random))
            // A section's leading blank line belongs to the previous token, as in one text.
            if let first = sectionPieces.first, first.allSatisfy(\.isWhitespace), !pieces.isEmpty {
                pieces[pieces.count - 1] += first
                sectionPieces.removeFirst()
            }
            pieces += sectionPieces
            section += 1
            let previous = topic.name
            repeat { topic = random.pick(SimTopic.all) } while topic.name == previous
        }
        return pieces
    }

    /// How many of `tokens` (at most `limit`) to keep so that the kept text ends a sentence
    /// outside a code block: after a token whose word ends in `.`, `!` or `?`. 0 when none does.
    static func lastSentenceEnd(in tokens: [String], atMost limit: Int) -> Int {
        var insideCode = false
        var best = 0
        for (index, token) in tokens.prefix(limit).enumerated() {
            let word = token.prefix { !$0.isWhitespace }
            if word.hasPrefix("```") || word.hasSuffix("```") {
                insideCode.toggle()
                continue
            }
            if !insideCode, let last = word.last, ".!?".contains(last) { best = index + 1 }
        }
        return best
    }

    /// Exactly `count` tokens of plain reasoning text (a model "thinking aloud" before it answers).
    public func reasoning(tokens count: Int) -> [String] {
        guard count > 0 else { return [] }
        var random = SimRandom(seed: seed ^ 0x5EED_0F7B_1A4C_2D3E)
        let topic = random.pick(SimTopic.all)
        var pieces: [String] = []
        var templates: [String] = []
        while pieces.count < count {
            // Each thought once before any repeats, in a seed-dependent order.
            if templates.isEmpty { templates = random.shuffled(SimTopic.reasoningTemplates) }
            let template = templates.removeFirst()
            pieces += Self.tokenize(Self.fill(template, topic: topic, random: &random) + " ")
        }
        return Array(pieces.prefix(count))
    }

    /// Splits text into tokens: each is a run of non-whitespace plus the whitespace after it, so
    /// joining the tokens gives back the text exactly.
    public static func tokenize(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        var inTrailingSpace = false
        for character in text {
            if character.isWhitespace {
                inTrailingSpace = true
                current.append(character)
            } else {
                if inTrailingSpace, !current.isEmpty {
                    tokens.append(current)
                    current = ""
                }
                inTrailingSpace = false
                current.append(character)
            }
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }

    /// One Markdown section: heading, paragraph with bold, a list, maybe code, a closing line.
    static func section(topic: SimTopic, index: Int, random: inout SimRandom) -> String {
        var out = index == 0 ? "" : "\n"
        out += "## \(random.pick(topic.titles))\n\n"
        for template in random.shuffled(SimTopic.openingTemplates).prefix(random.int(in: 2...3)) {
            out += fill(template, topic: topic, random: &random) + " "
        }
        out.removeLast()
        out += "\n\n"
        out += random.pick(SimTopic.listIntros) + "\n\n"
        var terms = topic.terms
        let itemTemplates = random.shuffled(SimTopic.listTemplates)
        for template in itemTemplates.prefix(random.int(in: 3...4)) {
            let term = terms.remove(at: Int(random.next() % UInt64(terms.count)))
            out += "- **\(term.capitalizedFirst)**: "
            out += fill(template, topic: topic, random: &random, term: term)
            out += "\n"
            if terms.isEmpty { terms = topic.terms }
        }
        out += "\n"
        if random.chance(0.4) {
            out += "For example:\n\n```\(topic.codeLanguage)\n\(random.pick(topic.snippets))\n```\n\n"
        }
        out += fill(random.pick(SimTopic.closingTemplates), topic: topic, random: &random) + "\n"
        return out
    }

    /// Replaces `{topic}`, `{term}`, `{other}`, `{code}`, `{adjective}` and `{verb}` in a template.
    static func fill(
        _ template: String, topic: SimTopic, random: inout SimRandom, term: String? = nil
    ) -> String {
        let chosen = term ?? random.pick(topic.terms)
        var other = random.pick(topic.terms)
        if other == chosen, topic.terms.count > 1 {
            other = topic.terms.first { $0 != chosen } ?? other
        }
        return template
            .replacingAll("{topic}", with: topic.name)
            .replacingAll("{term}", with: chosen)
            .replacingAll("{other}", with: other)
            .replacingAll("{code}", with: "`\(random.pick(topic.identifiers))`")
            .replacingAll("{adjective}", with: random.pick(SimTopic.adjectives))
            .replacingAll("{verb}", with: random.pick(SimTopic.verbs))
    }
}

extension String {
    /// This string with its first character upper-cased.
    var capitalizedFirst: String {
        guard let first else { return self }
        return first.uppercased() + dropFirst()
    }

    /// Every occurrence of `target` replaced (no Foundation needed).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            result += rest[rest.startIndex..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        result += rest
        return result
    }
}
