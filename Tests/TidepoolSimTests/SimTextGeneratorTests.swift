import Foundation
@testable import TidepoolSim
import XCTest

final class SimTextGeneratorTests: XCTestCase {
    func testSameSeedSameTextDifferentSeedDifferentText() {
        let a = SimTextGenerator(seed: SimTextGenerator.seed(model: "sim-fast", prompt: "How do tides work?"))
        let b = SimTextGenerator(seed: SimTextGenerator.seed(model: "sim-fast", prompt: "How do tides work?"))
        let c = SimTextGenerator(seed: SimTextGenerator.seed(model: "sim-fast", prompt: "How do I bake bread?"))
        let d = SimTextGenerator(seed: SimTextGenerator.seed(model: "sim-steady", prompt: "How do tides work?"))
        XCTAssertEqual(a.answer(tokens: 150), b.answer(tokens: 150))
        XCTAssertNotEqual(a.answer(tokens: 150), c.answer(tokens: 150))
        XCTAssertNotEqual(a.answer(tokens: 150), d.answer(tokens: 150))
        XCTAssertEqual(a.reasoning(tokens: 40), b.reasoning(tokens: 40))
    }

    func testExactTokenCountsAndPrefixStability() {
        let generator = SimTextGenerator(seed: 42)
        for count in [0, 1, 7, 160, 1000] {
            XCTAssertEqual(generator.answer(tokens: count).count, count)
            XCTAssertEqual(generator.reasoning(tokens: count).count, count)
        }
    }

    /// A finished answer ends on a full sentence whatever its length (a newcomer's first sight of
    /// the simulator used to stop mid-sentence and still say `stop`).
    func testEveryAnswerEndsOnAFullSentence() {
        for seed in 0..<40 {
            let generator = SimTextGenerator(seed: UInt64(seed))
            for count in [1, 2, 5, 9, 11, 17, 40, 80, 140, 160, 1000] {
                let tokens = generator.answer(tokens: count)
                XCTAssertEqual(tokens.count, count)
                let text = tokens.joined()
                let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
                XCTAssertTrue([".", "!", "?"].contains(trimmed.last.map(String.init) ?? ""),
                              "seed \(seed), \(count) tokens ends mid-sentence: …\(text.suffix(60).debugDescription)")
                XCTAssertEqual(text.components(separatedBy: "```").count % 2, 1, "an unclosed code block: \(text)")
            }
        }
    }

    func testClosingSentencesHaveExactlyTheWordsAsked() {
        for count in 0...60 {
            let tokens = SimClosing.sentences(tokens: count)
            XCTAssertEqual(tokens.count, count)
            if count > 0 { XCTAssertTrue(tokens.joined().hasSuffix(".\n")) }
        }
    }

    func testTheFirstTopicFollowsAWordOfThePrompt() {
        let pooling = SimTextGenerator(seed: 5, prompt: "Explain connection pooling").answer(tokens: 60).joined()
        XCTAssertTrue(SimTopic.all[0].titles.contains { pooling.hasPrefix("## \($0)") }, pooling)
        let tides = SimTextGenerator(seed: 5, prompt: "Tell me about tidal bores").answer(tokens: 60).joined()
        let tideTopic = SimTopic.all.first { $0.name == "tide prediction" }!
        XCTAssertTrue(tideTopic.titles.contains { tides.hasPrefix("## \($0)") }, tides)
        XCTAssertNil(SimTopic.named(by: "hi"))
        XCTAssertNil(SimTopic.named(by: "What should I do about it?"))
    }

    func testTokensAreWordsWithTrailingSpaceOrPunctuation() {
        let tokens = SimTextGenerator(seed: 7).answer(tokens: 400)
        for token in tokens {
            XCTAssertFalse(token.isEmpty)
            XCTAssertFalse(token.first!.isWhitespace, "token starts with whitespace: \(token.debugDescription)")
            let word = token.trimmingCharacters(in: .whitespacesAndNewlines)
            XCTAssertFalse(word.contains(" "), "one word per token: \(token.debugDescription)")
        }
    }

    func testTokenizeRoundTrips() {
        let text = "## Title\n\nSome **bold** text, and `code`.\n\n- item one\n- item two\n"
        let tokens = SimTextGenerator.tokenize(text)
        XCTAssertEqual(tokens.joined(), text)
        XCTAssertEqual(tokens.prefix(3), ["## ", "Title\n\n", "Some "])
    }

    func testAnswersUseMarkdownAndVaryAcrossSeeds() {
        let texts = (0..<40).map { SimTextGenerator(seed: UInt64($0)).answer(tokens: 200).joined() }
        for text in texts {
            XCTAssertTrue(text.hasPrefix("## "), "opens with a heading")
            XCTAssertTrue(text.contains("**"), "has bold")
            XCTAssertTrue(text.contains("\n- "), "has a list")
            XCTAssertFalse(text.lowercased().contains("lorem"))
        }
        XCTAssertTrue(texts.contains { $0.contains("```") }, "some answers carry a fenced code block")
        XCTAssertTrue(texts.contains { $0.contains("`") && !$0.contains("```") }, "inline code appears")
        let headings = Set(texts.map { $0.prefix { $0 != "\n" } })
        XCTAssertGreaterThan(headings.count, 10, "topics vary: \(headings)")
    }

    func testNoSentenceRepeatsWithinAParagraph() {
        for seed in 0..<30 {
            let text = SimTextGenerator(seed: UInt64(seed)).answer(tokens: 300).joined()
            for paragraph in text.components(separatedBy: "\n\n") {
                let sentences = paragraph.components(separatedBy: ". ").filter { $0.count > 20 }
                XCTAssertEqual(Set(sentences).count, sentences.count, "seed \(seed): \(paragraph)")
            }
        }
    }

    func testReasoningReadsAsPlainThoughts() {
        let text = SimTextGenerator(seed: 3).reasoning(tokens: 60).joined()
        XCTAssertFalse(text.contains("## "))
        XCTAssertTrue(text.contains(". ") || text.contains("? "))
    }
}
