import Foundation
import TidepoolPool
import TidepoolProviders

/// `tidepool bench autosize`: how a pool that sizes itself compares with fixed limits against
/// a server with fewer slots than requests.
///
/// One cell: `requests` chats at once through a fresh ``PoolManager`` and the real
/// OpenAI-format provider to a server (started by the caller, one per cell so no slot state
/// carries over), with the pool's concurrency limit fixed or auto-sized. A rejected request
/// (429, 503) is retried without limit: after the server's `Retry-After` when it sends one,
/// else after an exponential back-off (0.25 s doubling up to 4 s, equal jitter, as
/// ``RetryPolicy`` does). The provider's own retries are off so that every rejection is
/// counted here.
public struct AutoSizeBenchmark: Sendable {
    /// How the pool's limit is set in a cell.
    public enum Limit: Sendable, Hashable, CustomStringConvertible {
        /// A fixed concurrency limit.
        case fixed(Int)
        /// Auto sizing as a chat pool does it: slow start from 1 (nothing is known about the
        /// server), up to this maximum (the pool's connection limit).
        case auto(maximum: Int)

        /// `1`, `4`, `16`, `auto (max 16)`.
        public var description: String {
            switch self {
            case .fixed(let limit): "\(limit)"
            case .auto(let maximum): "auto (max \(maximum))"
            }
        }
    }

    /// The figures of one cell.
    public struct Cell: Sendable, Codable, Equatable {
        /// The server's overflow behaviour (`wait`, `busy503`, `reject429`).
        public var overflow: String
        /// The limit: `1`, `4`, `16`, `auto (max 16)`.
        public var limit: String
        /// Seconds from the first request to the last completion.
        public var makespan: Double
        /// 429 and 503 answers received.
        public var rejections: Int
        /// Requests sent again after a rejection.
        public var retries: Int
        /// Time to first token of each request from its first attempt (pool queue, rejections
        /// and waits included), median and 95th percentile, seconds.
        public var ttftP50: Double
        public var ttftP95: Double
        /// Requests answered in full.
        public var completed: Int
        /// Requests that failed for another reason (should be 0).
        public var failed: Int
        /// The pool's concurrency limit at the end (auto: where it settled).
        public var finalLimit: Double?
        /// Moves of the auto-sized limit.
        public var limitChanges: Int
        /// Those moves by direction and reason (`up start`, `down 503`...), in
        /// ``LimitChange/Key`` order: the limit's trajectory in short.
        public var limitMoves: [String: Int]
    }

    /// Concurrent requests per cell.
    public var requests: Int
    /// The model to ask for.
    public var model: String

    /// A benchmark of `requests` concurrent chats with `model`.
    public init(requests: Int = 16, model: String) {
        self.requests = max(1, requests)
        self.model = model
    }

    /// Runs one cell against the OpenAI-compatible server at `baseURL` (`http://127.0.0.1:PORT/v1`).
    public func run(baseURL: String, overflow: String, limit: Limit) async throws -> Cell {
        guard let origin = Origin(url: baseURL) else { throw ProviderError.invalidBaseURL(provider: "bench", url: baseURL) }
        let connections: Int
        switch limit {
        case .fixed: connections = max(requests, 16)
        case .auto(let maximum): connections = max(1, maximum)  // The auto-sized limit's ceiling.
        }
        let manager = PoolManager(defaultLimits: PoolLimits(maxConnections: connections, maxIdleConnections: connections))
        defer { manager.shutdown() }
        switch limit {
        case .fixed(let value): manager.setConcurrencyLimit(Double(value), for: origin)
        case .auto: manager.setAutoSizing(.standard, for: origin)
        }
        let preset = ProviderPreset(id: "bench", displayName: "bench", kind: .openAICompatible,
                                    defaultBaseURL: baseURL, startHint: "the benchmark's simulator stopped")
        let provider = try Provider(
            preset: preset, environment: [:], transport: manager,
            timeouts: RequestTimeouts(queue: nil, connect: 10, firstByte: 600, idle: 60), retryPolicy: .none)
        let request = ChatRequest(model: model, messages: [ChatMessage(role: .user, text: "Tell me about tides.")])
        let start = ContinuousClock.now
        let outcomes = await withTaskGroup(of: Outcome.self) { group in
            for _ in 0..<requests {
                group.addTask { await Self.chat(provider, request, start: start) }
            }
            var all: [Outcome] = []
            for await outcome in group { all.append(outcome) }
            return all
        }
        let end = outcomes.compactMap(\.finished).max() ?? start
        let delays = outcomes.compactMap(\.timeToFirstToken).sorted()
        let pool = manager.stats().pool(for: origin)
        return Cell(
            overflow: overflow, limit: limit.description, makespan: (end - start).seconds,
            rejections: outcomes.reduce(0) { $0 + $1.rejections }, retries: outcomes.reduce(0) { $0 + $1.retries },
            ttftP50: Self.percentile(delays, 0.50), ttftP95: Self.percentile(delays, 0.95),
            completed: outcomes.filter { $0.error == nil }.count, failed: outcomes.filter { $0.error != nil }.count,
            finalLimit: pool?.concurrencyLimit, limitChanges: pool?.limitChanges.values.reduce(0, +) ?? 0,
            limitMoves: Dictionary(uniqueKeysWithValues: (pool?.limitChanges ?? [:]).map {
                ("\($0.key.direction.rawValue) \($0.key.reason.rawValue)", $0.value)
            }))
    }

    /// What one request went through.
    struct Outcome: Sendable {
        var rejections = 0
        var retries = 0
        var timeToFirstToken: Double?
        var finished: ContinuousClock.Instant?
        var error: String?
    }

    /// One chat, retried after every rejection until it is answered.
    static func chat(_ provider: Provider, _ request: ChatRequest, start: ContinuousClock.Instant) async -> Outcome {
        var outcome = Outcome()
        var attempt = 0
        while true {
            do {
                for try await event in provider.stream(request) {
                    if case .textDelta = event, outcome.timeToFirstToken == nil {
                        outcome.timeToFirstToken = (ContinuousClock.now - start).seconds
                    }
                }
                outcome.finished = .now
                return outcome
            } catch let error as ProviderError {
                let retryAfter: Double?
                switch error {
                case .rateLimited(_, let seconds, _), .unavailable(_, let seconds, _): retryAfter = seconds
                default:
                    outcome.error = error.description
                    outcome.finished = .now
                    return outcome
                }
                outcome.rejections += 1
                attempt += 1
                let delay = retryAfter ?? backoff(afterAttempt: attempt)
                try? await Task.sleep(for: .milliseconds(Int64((delay * 1000).rounded())))
                outcome.retries += 1
            } catch {
                outcome.error = "\(error)"
                outcome.finished = .now
                return outcome
            }
        }
    }

    /// 0.25 s doubling up to 4 s, half of it fixed and half random ("equal jitter").
    static func backoff(afterAttempt attempt: Int) -> Double {
        let exponential = min(4, 0.25 * Double(1 << min(attempt - 1, 10)))
        return exponential / 2 + Double.random(in: 0...(exponential / 2))
    }

    /// The `fraction` percentile of sorted `values` (nearest rank), 0 when empty.
    static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[min(sorted.count - 1, max(0, rank - 1))]
    }

    /// The cells as a table, one row per cell, grouped by overflow behaviour.
    public static func table(_ cells: [Cell]) -> String {
        var lines = ["overflow   limit          makespan  rejections  retries  ttft p50  ttft p95  final limit"]
        for cell in cells {
            let final = cell.limit.hasPrefix("auto") ? cell.finalLimit.map { String(format: "%.2f", $0) } ?? "-" : "-"
            lines.append(
                pad(cell.overflow, 11) + pad(cell.limit, 15) + pad(String(format: "%.2f s", cell.makespan), 10)
                    + pad("\(cell.rejections)", 12) + pad("\(cell.retries)", 9)
                    + pad(String(format: "%.2f s", cell.ttftP50), 10) + pad(String(format: "%.2f s", cell.ttftP95), 10)
                    + final + (cell.failed > 0 ? "  (\(cell.failed) failed)" : ""))
        }
        let moves = cells.filter { !$0.limitMoves.isEmpty }
        if !moves.isEmpty { lines.append("limit moves (auto):") }
        for cell in moves {
            let listed = cell.limitMoves.sorted { Self.moveOrder($0.key) < Self.moveOrder($1.key) }
                .map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
            lines.append("  " + pad(cell.overflow, 11) + listed)
        }
        return lines.joined(separator: "\n")
    }

    /// Slow start first, then ups, then downs (`up start`, `up full`, `down 503`...).
    private static func moveOrder(_ move: String) -> (Int, String) {
        (move.hasSuffix(" start") ? 0 : move.hasPrefix("up") ? 1 : 2, move)
    }

    /// The cells as JSON (an array of objects).
    public static func json(_ cells: [Cell]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return (try? encoder.encode(cells)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(1, width - text.count))
    }
}

extension Duration {
    /// The duration in seconds.
    fileprivate var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) / 1e18
    }
}
