import ArgumentParser
import Foundation
import TidepoolApp
import TidepoolChat
import TidepoolPool
import TidepoolProviders

/// `tidepool models`: what can be talked to right now.
struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the models of local servers found, hosted providers with a key, and the simulator.",
        discussion: """
        Probes Ollama (:11434), LM Studio (:1234), llama.cpp (:8080) and vLLM (:8000) on 127.0.0.1 \
        in parallel through the shared pool (about 300 ms in all), lists hosted providers whose \
        API key variable is set (OPENAI_API_KEY, ANTHROPIC_API_KEY, OPENROUTER_API_KEY), and the \
        built-in simulator. Use a listed name as PROVIDER:MODEL, e.g. ollama:qwen3:4b.
        """
    )

    @Flag(help: "Print JSON: a list of {provider, name, base_url, models, status}.")
    var json = false

    @Option(help: "Seconds to wait for hosted providers' model lists.")
    var timeout = 5.0

    /// A NaN, infinite or huge timeout would trap when turned into the pool's clocks.
    func validate() throws {
        guard timeout.isFinite, timeout > 0, timeout <= 86_400 else {
            throw ValidationError("--timeout must be a number of seconds above 0 and at most 86400, got \(timeout)")
        }
    }

    struct Row: Encodable {
        var provider: String
        var name: String
        var baseURL: String
        var models: [String]
        var status: String

        enum CodingKeys: String, CodingKey {
            case provider, name, models, status
            case baseURL = "base_url"
        }
    }

    func run() async throws {
        let pool = PoolManager.shared
        let found = await Discovery(transport: pool).run()
        var rows: [Row] = []
        for preset in Discovery.localPresets {
            let base = preset.defaultBaseURL ?? ""
            if let hit = found.first(where: { $0.preset.id == preset.id }) {
                rows.append(Row(provider: preset.id, name: preset.displayName, baseURL: hit.baseURL,
                                models: hit.models, status: "running"))
            } else {
                rows.append(Row(provider: preset.id, name: preset.displayName, baseURL: base, models: [],
                                status: "not running (\(preset.startHint))"))
            }
        }
        let hosted = ProviderPreset.all.filter { $0.apiKeyEnvironmentVariable != nil }
        let environment = ProcessInfo.processInfo.environment
        await withTaskGroup(of: Row.self) { group in
            for preset in hosted {
                group.addTask {
                    let base = preset.defaultBaseURL ?? ""
                    guard let variable = preset.apiKeyEnvironmentVariable, environment[variable]?.isEmpty == false else {
                        return Row(provider: preset.id, name: preset.displayName, baseURL: base, models: [],
                                   status: "\(preset.apiKeyEnvironmentVariable ?? "its key") not set")
                    }
                    do {
                        var provider = try Provider(preset: preset, environment: environment, transport: pool)
                        provider.timeouts = RequestTimeouts(connect: timeout, firstByte: timeout, idle: timeout, total: timeout)
                        let models = try await provider.listModels()
                        return Row(provider: preset.id, name: preset.displayName, baseURL: base, models: models, status: "ok")
                    } catch {
                        return Row(provider: preset.id, name: preset.displayName, baseURL: base, models: [],
                                   status: "error: \(error)")
                    }
                }
            }
            for await row in group { rows.append(row) }
        }
        rows.sort { order($0.provider) < order($1.provider) }
        rows.append(Row(provider: "sim", name: "Simulator (built in)", baseURL: "in-process",
                        models: EmbeddedSimulator.modelNames,
                        status: "always available as sim:, sim-ollama: and sim-anthropic:"))
        let output = TerminalOutput()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            output.line(String(decoding: try encoder.encode(rows), as: UTF8.self))
            return
        }
        for row in rows {
            output.line("\(row.name) [\(row.provider)]  \(row.baseURL)")
            if row.models.isEmpty {
                output.line("    \(row.status)")
            } else {
                for model in row.models { output.line("    \(row.provider):\(model)") }
            }
        }
    }

    private func order(_ provider: String) -> Int {
        ["ollama", "lmstudio", "llamacpp", "vllm", "openai", "anthropic", "openrouter"].firstIndex(of: provider) ?? 99
    }
}
