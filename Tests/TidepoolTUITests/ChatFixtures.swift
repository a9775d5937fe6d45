import TidepoolChat
@testable import TidepoolPool
import TidepoolProviders
import TidepoolTUI

/// Realistic states for the view tests, built by hand through public initialisers.
enum ChatFixtures {
    static let prompt = "Explain HTTP keep-alive briefly"
    static let markdownAnswer = """
        **Keep-alive** lets a client reuse one TCP connection.

        - fewer handshakes
        - lower latency
        """
    static let ollamaError = "no server at 127.0.0.1:11434; is Ollama running? `ollama serve`"

    /// Three panes after a broadcast: one done (markdown, timings), one streaming, one failed.
    static func threePaneState() -> AppState {
        var state = AppState(panes: AppState.panes([
            (provider: "ollama", model: "llama3.2"), (provider: "sim", model: "sim-fast"),
            (provider: "ollama", model: "qwen3:8b"),
        ]))
        let group = 7
        for index in 0..<3 {
            state.panes[index].turns.append(Turn(id: 10 + index, role: .user, text: prompt, broadcastGroup: group))
        }
        var done = Turn(id: 20, role: .assistant, text: markdownAnswer, status: .done, broadcastGroup: group)
        done.timings = ChatTimings(firstByte: 0.3, timeToFirstToken: 0.42, total: 5.6, tokensPerSecond: 38.1, outputTokens: 212)
        done.inputTokens = 5
        done.outputTokens = 212
        state.panes[0].turns.append(done)
        state.panes[0].status = .done

        var streaming = Turn(id: 21, role: .assistant, text: "Keep-alive keeps the socket open so the next", status: .streaming, broadcastGroup: group)
        streaming.reasoning = "The user wants a short answer."
        state.panes[1].turns.append(streaming)
        state.panes[1].status = .streaming
        state.panes[1].activeRequest = 21

        var failed = Turn(id: 22, role: .assistant, text: "", status: .error, broadcastGroup: group)
        failed.error = ollamaError
        state.panes[2].turns.append(failed)
        state.panes[2].status = .error

        state.focused = 1
        state.lastBroadcast = group
        state.pool = twoPools()
        return state
    }

    /// A busy plain-HTTP pool with samples, and a TLS pool with none yet.
    static func twoPools() -> PoolManagerStats {
        var local = PoolStats(
            name: "http://127.0.0.1:11434", origin: Origin(scheme: "http", host: "127.0.0.1", port: 11434),
            limits: PoolLimits(maxConnections: 4))
        local.httpVersion = .http1_1
        local.open = 3
        local.active = 2
        local.idle = 1
        local.socketsOpened = 3
        local.requestsStarted = 20
        local.requestsFinished = 17
        local.requestsFailed = 1
        local.reusedConnections = 16
        local.newConnections = 1
        local.queuedNow = 2
        local.queueExhaustionEvents = 3
        local.maxQueued = 2
        local.bytesIn = 48_000
        local.latency[.connect] = LatencySummary(count: 3, p50: 0.00042, p95: 0.0011)
        local.latency[.firstByte] = LatencySummary(count: 17, p50: 0.012, p95: 0.04)
        local.latency[.timeToFirstToken] = LatencySummary(count: 17, p50: 0.31, p95: 0.9)
        local.latency[.total] = LatencySummary(count: 17, p50: 1.2, p95: 3.4)
        local.recentTotals = [1.0, 1.2, 0.8, 3.4, 1.1]

        var remote = PoolStats(
            name: "https://api.example.com", origin: Origin(scheme: "https", host: "api.example.com", port: 443),
            limits: PoolLimits())
        remote.httpVersion = .http2

        var total = PoolStats(name: "total", origin: nil, limits: PoolLimits())
        total.open = 3
        total.active = 2
        total.idle = 1
        total.requestsStarted = 20
        total.requestsFinished = 17
        total.reusedConnections = 16
        total.newConnections = 1
        total.bytesIn = 48_000
        return PoolManagerStats(pools: [local, remote], total: total)
    }
}
