import TidepoolProviders
import TidepoolStore

/// Which panes the chat screen opens, and which models its picker offers: the fallback chain
/// from a resumed session, the command line, the config, the servers found on this machine,
/// down to the built-in simulator, so the screen always starts with something that answers.
public enum PaneSelection {
    /// The simulator's demo panes: its three wire formats on one loopback server.
    public static let simulatorPanes: [(provider: String, model: String)] = [
        ("sim", "sim-fast"), ("sim-ollama", "sim-steady"), ("sim-anthropic", "sim-thinker"),
    ]

    /// The status line's explanation when the simulator panes were chosen.
    public static let simulatorNotice =
        "no model server found: these panes talk to the built-in simulator (tidepool -m PROVIDER:MODEL for real ones)"

    /// The panes to open: the resumed session's, else those given with `-m`, else the config's,
    /// else the first model of up to four servers found, else the simulator's (with a notice).
    public static func choose(
        resumed: AppState?, commandLine: [(provider: String, model: String)],
        configured: [(provider: String, model: String)], discovered: [Discovery.Found]
    ) -> (panes: [(provider: String, model: String)], notice: String?) {
        if let resumed { return (resumed.panes.map { ($0.provider, $0.model) }, nil) }
        if !commandLine.isEmpty { return (commandLine, nil) }
        if !configured.isEmpty { return (configured, nil) }
        let found = discovered.prefix(4).compactMap { server in server.models.first.map { (server.preset.id, $0) } }
        if !found.isEmpty { return (found, nil) }
        return (simulatorPanes, simulatorNotice)
    }

    /// The opening notice for the config's `panes` entries that were left out, naming each
    /// entry and why (`skipped a panes entry: pane 'ghost:x' names provider 'ghost', which is
    /// not configured; did you mean 'host'?`); nil when none was. The fix is given for a single
    /// entry only, so several still fit on the status line; `tidepool config check` lists them.
    public static func skippedNotice(_ skipped: [ConfigIssue]) -> String? {
        switch skipped.count {
        case 0:
            return nil
        case 1:
            return "skipped a panes entry: " + skipped[0].message + (skipped[0].fix.map { "; " + $0 } ?? "")
        default:
            return "skipped \(skipped.count) panes entries: " + skipped.map(\.message).joined(separator: "; ")
                + " (`tidepool config check` says how to fix them)"
        }
    }

    /// The `provider:model` names the model picker offers, each once: the models of the servers
    /// found, the config's panes, the simulator's models (when it runs), the open panes.
    public static func modelSuggestions(
        discovered: [Discovery.Found], configured: [(provider: String, model: String)],
        simulatorModels: [String]?, panes: [(provider: String, model: String)]
    ) -> [String] {
        var suggestions = discovered.flatMap { server in server.models.map { "\(server.preset.id):\($0)" } }
        suggestions += configured.map { "\($0.provider):\($0.model)" }
        if let simulatorModels {
            suggestions += simulatorModels.filter { !$0.hasPrefix("fault-") }.map { "sim:\($0)" }
        }
        suggestions += panes.map { "\($0.provider):\($0.model)" }
        var seen = Set<String>()
        return suggestions.filter { seen.insert($0).inserted }
    }
}
