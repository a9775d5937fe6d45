/// The vocabulary the text generator writes about: a subject, its key terms, code identifiers
/// and a few short snippets, plus sentence templates shared by every subject.
struct SimTopic: Sendable {
    let name: String
    let titles: [String]
    let terms: [String]
    let identifiers: [String]
    let codeLanguage: String
    let snippets: [String]

    static let all: [SimTopic] = [
        SimTopic(
            name: "HTTP connection pooling",
            titles: ["Why connection pools matter", "Reusing connections well", "Sizing a pool"],
            terms: ["keep-alive", "idle timeout", "head-of-line blocking", "TLS handshake", "queue wait", "socket reuse"],
            identifiers: ["maxConnections", "idleTimeout", "Connection: keep-alive", "CURLMOPT_MAXCONNECTS"],
            codeLanguage: "swift",
            snippets: [
                "let limits = PoolLimits(maxConnections: 8, maxIdle: 4)\nlet pool = try PoolManager(limits: limits)",
                "for try await event in transport.stream(request) {\n    handle(event)\n}",
            ]
        ),
        SimTopic(
            name: "sourdough baking",
            titles: ["Getting an open crumb", "Feeding a starter", "Timing the bulk ferment"],
            terms: ["hydration", "levain", "autolyse", "stretch and fold", "oven spring", "proofing"],
            identifiers: ["75% hydration", "2% salt", "250 °C", "1:5:5 feed"],
            codeLanguage: "text",
            snippets: ["500 g flour\n375 g water\n100 g levain\n10 g salt"]
        ),
        SimTopic(
            name: "tide prediction",
            titles: ["How tides are forecast", "Reading a tide table", "Spring and neap tides"],
            terms: ["harmonic constituents", "lunar day", "spring tide", "neap tide", "tidal range", "datum"],
            identifiers: ["M2", "S2", "K1", "chart datum"],
            codeLanguage: "python",
            snippets: [
                "height = sum(a * cos(w * t + p) for a, w, p in constituents)",
                "for name, amplitude in constituents.items():\n    print(f\"{name}: {amplitude:.2f} m\")",
            ]
        ),
        SimTopic(
            name: "database indexing",
            titles: ["Choosing the right index", "When an index hurts", "Reading a query plan"],
            terms: ["B-tree", "covering index", "selectivity", "write amplification", "query planner", "full-text search"],
            identifiers: ["EXPLAIN QUERY PLAN", "CREATE INDEX", "WITHOUT ROWID", "ANALYZE"],
            codeLanguage: "sql",
            snippets: [
                "CREATE INDEX idx_messages_session ON messages(session_id, created_at);",
                "EXPLAIN QUERY PLAN\nSELECT * FROM messages WHERE session_id = ?;",
            ]
        ),
        SimTopic(
            name: "terminal user interfaces",
            titles: ["Drawing only what changed", "Handling resize", "Keeping the UI responsive"],
            terms: ["cell grid", "damage tracking", "alternate screen", "wide characters", "frame budget", "input decoding"],
            identifiers: ["SIGWINCH", "wcwidth", "newterm", "wget_wch"],
            codeLanguage: "swift",
            snippets: ["let diff = previous.changes(to: next)\nfor cell in diff { backend.paint(cell) }"]
        ),
        SimTopic(
            name: "alpine hiking",
            titles: ["Planning a hut-to-hut route", "Reading the weather", "Packing light"],
            terms: ["acclimatisation", "switchbacks", "scree", "early start", "layering", "turnaround time"],
            identifiers: ["T3", "1:25 000", "2 L of water", "06:00 start"],
            codeLanguage: "text",
            snippets: ["Day 1: valley to hut, 1,100 m up\nDay 2: pass crossing, 6 h\nDay 3: descent"]
        ),
        SimTopic(
            name: "structured concurrency",
            titles: ["Tasks and their lifetimes", "Cancelling cleanly", "Avoiding data races"],
            terms: ["task group", "cancellation", "actor isolation", "Sendable types", "back-pressure", "continuations"],
            identifiers: ["withTaskGroup", "Task.checkCancellation()", "Mutex", "AsyncStream"],
            codeLanguage: "swift",
            snippets: [
                "try await withThrowingTaskGroup(of: Void.self) { group in\n    group.addTask { try await fetch() }\n    try await group.waitForAll()\n}",
            ]
        ),
        SimTopic(
            name: "coffee brewing",
            titles: ["Dialling in a grinder", "Pour-over basics", "Water matters"],
            terms: ["extraction", "grind size", "bloom", "brew ratio", "water hardness", "contact time"],
            identifiers: ["1:16", "93 °C", "30 s bloom", "18 g dose"],
            codeLanguage: "text",
            snippets: ["Dose: 18 g\nWater: 288 g at 93 °C\nBloom: 40 g for 30 s\nTotal time: 3:00"]
        ),
        SimTopic(
            name: "streaming APIs",
            titles: ["Server-sent events in practice", "Parsing a stream safely", "Handling partial chunks"],
            terms: ["chunked encoding", "event framing", "partial lines", "back-pressure", "reconnection", "usage reporting"],
            identifiers: ["text/event-stream", "data: [DONE]", "application/x-ndjson", "Retry-After"],
            codeLanguage: "bash",
            snippets: [
                "curl -N http://127.0.0.1:11434/api/chat \\\n  -d '{\"model\":\"sim-fast\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}'",
            ]
        ),
        SimTopic(
            name: "urban beekeeping",
            titles: ["Starting a rooftop hive", "Inspecting a colony", "Harvesting honey"],
            terms: ["brood frames", "queen excluder", "swarming", "nectar flow", "varroa mites", "smoker"],
            identifiers: ["10-frame Langstroth", "super", "18% moisture", "oxalic acid"],
            codeLanguage: "text",
            snippets: ["Week 1: check for eggs\nWeek 3: add a super\nWeek 6: mite count"]
        ),
    ]

    /// The topic a word of `prompt` names (its name, a title or a term shares a word of at
    /// least five letters, or the same first five letters, with the prompt), or nil.
    static func named(by prompt: String) -> SimTopic? {
        let asked = Set(words(of: prompt).filter { $0.count >= 4 })
        guard !asked.isEmpty else { return nil }
        var best: (topic: SimTopic, score: Int)?
        for topic in all {
            let vocabulary = Set(words(of: ([topic.name] + topic.titles + topic.terms).joined(separator: " ")))
                .filter { $0.count >= 4 && !commonWords.contains($0) }
            let score = asked.filter { word in
                vocabulary.contains { $0 == word || ($0.count >= 5 && word.count >= 5 && $0.prefix(5) == word.prefix(5)) }
            }.count
            if score > 0, score > best?.score ?? 0 { best = (topic, score) }
        }
        return best?.topic
    }

    /// Lower-cased runs of letters.
    private static func words(of text: String) -> [String] {
        text.lowercased().split { !$0.isLetter }.map(String.init)
    }

    /// Words in titles that say nothing about a subject.
    private static let commonWords: Set<String> = ["matter", "matters", "well", "getting", "reading", "with", "what"]

    static let adjectives = [
        "practical", "surprisingly subtle", "well understood", "easy to overlook", "important",
        "counter-intuitive", "reliable", "often misread",
    ]
    static let verbs = ["shapes", "limits", "improves", "depends on", "interacts with", "changes"]

    static let openingTemplates = [
        "Most questions about {topic} come down to **{term}**, which {verb} almost everything else.",
        "A good place to start is {term}: it is {adjective}, and it {verb} {other}.",
        "People new to {topic} often focus on {other}, but **{term}** usually matters more.",
        "In short, {topic} rewards patience and a clear picture of {term}.",
        "The {adjective} part is how {term} {verb} {other} over time.",
        "If you remember one thing, make it this: {term} {verb} {other}.",
        "It helps to think of {topic} as a balance between {term} and {other}.",
    ]
    static let listIntros = [
        "The main points to keep in mind:",
        "Here is what tends to matter most:",
        "A few things worth checking:",
        "Broken down step by step:",
    ]
    static let listTemplates = [
        "it {verb} {other}, so measure it before changing anything.",
        "keep an eye on {code}; it is {adjective} in practice.",
        "small changes here have large effects on {other}.",
        "treat it as a budget rather than a fixed rule.",
        "write down what you observe, because {term} drifts from day to day.",
        "the defaults are {adjective}, but {code} is worth a second look.",
    ]
    static let closingTemplates = [
        "Start small, change one thing at a time, and let {term} guide the next step.",
        "With that in place, {topic} becomes far more predictable.",
        "Once {term} is under control, the rest of {topic} falls into place.",
        "None of this is exotic; it is mostly about noticing how {term} {verb} {other}.",
    ]
    static let reasoningTemplates = [
        "The user is asking about {topic}, so I should start with {term}.",
        "Let me think about how {term} {verb} {other} before answering.",
        "I want a short heading, a list of the key points, and maybe an example with {code}.",
        "They may be confusing {term} with {other}; worth a sentence to separate them.",
        "Keep it practical: one paragraph, then the list, then a closing tip.",
        "Is {term} really the main factor? Mostly yes, though {other} matters at the edges.",
    ]
}
