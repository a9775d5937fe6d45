import Foundation

/// What a model server says about its own load at one moment: the numbers shown beside the
/// pool's ("queued at server 5 · slots 4/4 busy · kv 63%").
///
/// Every field is optional: nil means "no data" (the server's product does not tell it, or its
/// endpoint is off), never zero. A server may need several endpoints for a full picture
/// (llama.cpp's `/slots`, `/props` and `/metrics`): each parser fills what it knows and
/// ``merging(_:)`` combines them.
public struct ServerSnapshot: Sendable, Equatable {
    /// A model the server reports, loaded or (LM Studio) merely available.
    public struct Model: Sendable, Equatable {
        /// The model's name as the server writes it.
        public var name: String
        /// Whether it is in memory now (Ollama lists only loaded models).
        public var loaded: Bool
        /// Bytes it takes in total, and how many of them sit in GPU memory: a model with
        /// `vramBytes < sizeBytes` runs partly on the CPU, which is slow.
        public var sizeBytes: Int?
        public var vramBytes: Int?
        /// The context length it was loaded with (or, not loaded, the largest it supports).
        public var contextLength: Int?
        /// When the server will unload it if nothing uses it (Ollama's `expires_at`).
        public var expiresAt: Date?

        public init(
            name: String, loaded: Bool, sizeBytes: Int? = nil, vramBytes: Int? = nil,
            contextLength: Int? = nil, expiresAt: Date? = nil
        ) {
            self.name = name
            self.loaded = loaded
            self.sizeBytes = sizeBytes
            self.vramBytes = vramBytes
            self.contextLength = contextLength
            self.expiresAt = expiresAt
        }
    }

    /// Requests the server is working on now.
    public var requestsRunning: Int?
    /// Requests waiting at the server for a slot (vLLM's waiting, llama.cpp's deferred).
    public var requestsWaiting: Int?
    /// Slots (parallel sequences) busy, of ``slotsTotal``.
    public var slotsBusy: Int?
    /// Slots the server has: the most requests it runs at once.
    public var slotsTotal: Int?
    /// Share of the KV cache in use, 0...1.
    public var kvCacheUsage: Double?
    /// Tokens decoded so far by the requests running now (llama.cpp `/slots`).
    public var tokensDecoded: Int?
    /// The server's own average generation speed, tokens per second.
    public var generationTokensPerSecond: Double?
    /// The server's time to first token histogram, totals since it started: the monitor takes
    /// differences of two snapshots for a recent mean.
    public var timeToFirstTokenCount: Double?
    public var timeToFirstTokenSecondsSum: Double?
    /// Models loaded (or available), when the server lists them.
    public var models: [Model]?

    public init(
        requestsRunning: Int? = nil, requestsWaiting: Int? = nil, slotsBusy: Int? = nil,
        slotsTotal: Int? = nil, kvCacheUsage: Double? = nil, tokensDecoded: Int? = nil,
        generationTokensPerSecond: Double? = nil, timeToFirstTokenCount: Double? = nil,
        timeToFirstTokenSecondsSum: Double? = nil, models: [Model]? = nil
    ) {
        self.requestsRunning = requestsRunning
        self.requestsWaiting = requestsWaiting
        self.slotsBusy = slotsBusy
        self.slotsTotal = slotsTotal
        self.kvCacheUsage = kvCacheUsage
        self.tokensDecoded = tokensDecoded
        self.generationTokensPerSecond = generationTokensPerSecond
        self.timeToFirstTokenCount = timeToFirstTokenCount
        self.timeToFirstTokenSecondsSum = timeToFirstTokenSecondsSum
        self.models = models
    }

    /// True when no field holds a number: the server told nothing.
    public var isEmpty: Bool { self == ServerSnapshot() }

    /// The server's mean time to first token since it started, seconds.
    public var meanTimeToFirstToken: Double? {
        guard let count = timeToFirstTokenCount, count > 0, let sum = timeToFirstTokenSecondsSum else { return nil }
        return sum / count
    }

    /// This snapshot with every field it lacks taken from `other` (fields it has win).
    public func merging(_ other: ServerSnapshot) -> ServerSnapshot {
        ServerSnapshot(
            requestsRunning: requestsRunning ?? other.requestsRunning,
            requestsWaiting: requestsWaiting ?? other.requestsWaiting,
            slotsBusy: slotsBusy ?? other.slotsBusy,
            slotsTotal: slotsTotal ?? other.slotsTotal,
            kvCacheUsage: kvCacheUsage ?? other.kvCacheUsage,
            tokensDecoded: tokensDecoded ?? other.tokensDecoded,
            generationTokensPerSecond: generationTokensPerSecond ?? other.generationTokensPerSecond,
            timeToFirstTokenCount: timeToFirstTokenCount ?? other.timeToFirstTokenCount,
            timeToFirstTokenSecondsSum: timeToFirstTokenSecondsSum ?? other.timeToFirstTokenSecondsSum,
            models: models ?? other.models)
    }

    /// One line for the panel: "queued at server 5 · slots 4/4 busy · kv 63%", only the parts
    /// the server told; "no data" when it told nothing.
    public var summary: String {
        var parts: [String] = []
        if let waiting = requestsWaiting { parts.append("queued at server \(waiting)") }
        if let busy = slotsBusy ?? (slotsTotal != nil ? requestsRunning : nil), let total = slotsTotal {
            parts.append("slots \(busy)/\(total) busy")
        } else if let running = requestsRunning {
            parts.append("running \(running)")
        }
        if let kv = kvCacheUsage { parts.append("kv \(Int((kv * 100).rounded()))%") }
        if parts.isEmpty, let models {
            let loaded = models.filter(\.loaded).count
            parts.append("\(loaded) model\(loaded == 1 ? "" : "s") loaded")
        }
        return parts.isEmpty ? "no data" : parts.joined(separator: " · ")
    }
}

extension ServerSnapshot {
    /// A count from outside: whole, not negative, below 2^53; anything else is no data.
    /// (`Int(1e19)` traps; a server is not trusted with that.)
    static func count(_ value: Double?) -> Int? {
        guard let value, value.isFinite, value >= 0, value < 9_007_199_254_740_992 else { return nil }
        return Int(value.rounded(.down))
    }

    /// A JSON count, same rule.
    static func count(_ value: JSONValue?) -> Int? {
        if case .int(let whole)? = value { return whole >= 0 ? whole : nil }
        return count(value?.double)
    }

    /// A ratio from outside clamped to 0...1; NaN and infinities are no data.
    static func ratio(_ value: Double?) -> Double? {
        guard let value, value.isFinite else { return nil }
        return min(max(value, 0), 1)
    }

    /// A finite, non-negative rate, else no data.
    static func rate(_ value: Double?) -> Double? {
        guard let value, value.isFinite, value >= 0 else { return nil }
        return value
    }
}
