import Foundation
import TidepoolPool
import TidepoolProviders

extension ProviderCatalog {
    /// Which of `panes` talk to a server on this machine that refuses connections, each with
    /// what to do about it (the preset's ``ProviderPreset/startHint``, e.g. "is Ollama running?
    /// `ollama serve`"), by pane index. The chat screen opens those panes as
    /// ``PaneStatus/notRunning`` instead of a quiet "idle" that fails only at the first prompt.
    ///
    /// Only loopback servers are asked (one model-list request per address, all at once):
    /// a hosted API's absence is a network question, and its key is checked before sending
    /// anyway. Only a refused connection counts: a server that answers late or with an error
    /// is running, and a check still unanswered after `budget` seconds is left out, so the
    /// screen never waits on it. The simulator's names are skipped (the app starts it).
    ///
    /// - Parameters:
    ///   - panes: the panes about to open, in order.
    ///   - transport: where the checks go (the launcher passes a throw-away pool manager so
    ///     the panel does not count the refusals).
    ///   - budget: the whole check's time limit in seconds.
    public func serversNotRunning(
        for panes: [(provider: String, model: String)], transport: any Transport,
        environment: [String: String] = ProcessInfo.processInfo.environment, budget: Double = 0.5
    ) async -> [Int: String] {
        // One check per base URL, however many panes share it.
        var byURL: [String: (provider: Provider, panes: [Int])] = [:]
        for (index, pane) in panes.enumerated() where !Self.simulatorNames.contains(pane.provider) {
            guard let provider = try? provider(named: pane.provider, transport: transport, environment: environment),
                  Self.isLoopback(provider.origin)
            else { continue }
            byURL[provider.baseURL, default: (provider, [])].panes.append(index)
        }
        guard !byURL.isEmpty else { return [:] }
        var hints: [Int: String] = [:]
        await withTaskGroup(of: (hint: String, panes: [Int])?.self) { group in
            for (_, check) in byURL {
                group.addTask {
                    do {
                        _ = try await check.provider.listModels()
                        return nil
                    } catch let error as ProviderError {
                        guard case .serverNotRunning(_, _, let hint) = error else { return nil }
                        return (hint, check.panes)
                    } catch {
                        return nil
                    }
                }
            }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(Int64(budget.isFinite ? min(max(budget, 0), 60) * 1000 : 0)))
                return ("", [])
            }
            var answered = 0
            while let result = await group.next() {
                if let result, result.panes.isEmpty { break }  // the budget ran out
                if let result { for index in result.panes { hints[index] = result.hint } }
                answered += 1
                if answered == byURL.count { break }
            }
            group.cancelAll()
        }
        return hints
    }
}
