import Foundation

/// `tidepool bench pool`: the seed's experiment, honestly, on loopback. It starts nginx (plain,
/// TLS and HTTP/2 ports, self-signed certificate), runs every mode on every transport in its own
/// child process (so memory figures don't mix), stops nginx, and reports a table or JSON.
public struct PoolBenchmark: Sendable {
    /// Why the benchmark could not run.
    public enum Failure: Error, CustomStringConvertible {
        case childFailed(mode: BenchMode, transport: BenchTransport, output: String)

        public var description: String {
            switch self {
            case .childFailed(let mode, let transport, let output):
                "the \(mode.rawValue) run over \(transport.rawValue) failed: \(output)"
            }
        }
    }

    /// Results keyed by transport, then mode.
    public typealias Results = [BenchTransport: [BenchMode: BenchResult]]

    /// Provider instances taking turns.
    public var instances: Int
    /// Sequential requests per instance.
    public var requestsPerInstance: Int
    /// Transports to run, in order.
    public var transports: [BenchTransport]
    /// Modes to run, in order.
    public var modes: [BenchMode]
    /// How many times every cell runs. Rounds are interleaved (all cells, then all cells
    /// again) so that a machine whose speed drifts affects every mode alike; each figure
    /// reported is the median over rounds.
    public var rounds: Int

    /// Creates a benchmark plan.
    public init(instances: Int, requestsPerInstance: Int, transports: [BenchTransport], modes: [BenchMode], rounds: Int) {
        self.instances = instances
        self.requestsPerInstance = requestsPerInstance
        self.transports = transports
        self.modes = modes
        self.rounds = max(1, rounds)
    }

    /// Runs every cell. `childCommand` is the argument list that runs one cell in a child
    /// process given `--mode`, `--url`, `--ca-file`, `--instances` and `--requests`
    /// (the hidden `tidepool bench pool-run`); `progress` hears about each cell as it starts.
    public func run(executable: String, childArguments: [String], progress: (String) -> Void) throws -> Results {
        let nginx = try LocalNginx()
        defer { nginx.stop() }
        let ports = try nginx.start()
        var samples: [BenchTransport: [BenchMode: [BenchResult]]] = [:]
        for round in 1...rounds {
            for transport in transports {
                for mode in modes {
                    progress("round \(round)/\(rounds): \(transport.rawValue) / \(mode.rawValue)")
                    var arguments = childArguments + [
                        "--mode", mode.rawValue, "--url", transport.url(ports),
                        "--instances", "\(instances)", "--requests", "\(requestsPerInstance)",
                    ]
                    if transport != .plain { arguments += ["--ca-file", nginx.systemTrustPlusCertificatePath] }
                    let result = try runChild(executable: executable, arguments: arguments, mode: mode, transport: transport)
                    samples[transport, default: [:]][mode, default: []].append(result)
                }
            }
        }
        return samples.mapValues { $0.mapValues(Self.median) }
    }

    /// The median of each figure over rounds.
    static func median(_ results: [BenchResult]) -> BenchResult {
        func middle<T: Comparable>(_ values: [T]) -> T { values.sorted()[values.count / 2] }
        return BenchResult(
            medianMicroseconds: middle(results.map(\.medianMicroseconds)),
            p99Microseconds: middle(results.map(\.p99Microseconds)),
            connectionsOpened: middle(results.map(\.connectionsOpened)),
            peakRSSKilobytes: middle(results.map(\.peakRSSKilobytes)),
            poolRSSKilobytes: middle(results.map(\.poolRSSKilobytes)),
            requests: middle(results.map(\.requests)),
            failures: results.map(\.failures).max() ?? 0)
    }

    private func runChild(executable: String, arguments: [String], mode: BenchMode, transport: BenchTransport) throws -> BenchResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let result = try? JSONDecoder().decode(BenchResult.self, from: data) else {
            throw Failure.childFailed(mode: mode, transport: transport,
                                      output: errorText.isEmpty ? String(decoding: data, as: UTF8.self) : errorText)
        }
        if result.failures > 0 {
            throw Failure.childFailed(mode: mode, transport: transport, output: "\(result.failures) requests failed")
        }
        return result
    }

    // MARK: Reports

    /// The results as JSON: `{transport: {mode: {median_us, p99_us, connections_opened,
    /// peak_rss_kb, pool_rss_kb, requests, failures}}}`.
    public static func json(_ results: Results) -> String {
        var object: [String: [String: BenchResult]] = [:]
        for (transport, modes) in results {
            object[transport.rawValue] = Dictionary(uniqueKeysWithValues: modes.map { ($0.key.rawValue, $0.value) })
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: (try? encoder.encode(object)) ?? Data(), as: UTF8.self)
    }

    /// The results as an aligned table, then the ratios the README quotes.
    public func table(_ results: Results) -> String {
        var lines = [
            "\(instances) instances x \(requestsPerInstance) sequential requests each, round-robin, loopback nginx;"
                + " median of \(rounds) interleaved round\(rounds == 1 ? "" : "s")",
            "",
            Self.row(["transport", "mode", "median", "p99", "conns", "peak RSS", "pool RSS"]),
        ]
        for transport in transports {
            for mode in modes {
                guard let result = results[transport]?[mode] else { continue }
                lines.append(Self.row([
                    transport.rawValue, mode.rawValue,
                    Self.micros(result.medianMicroseconds), Self.micros(result.p99Microseconds),
                    "\(result.connectionsOpened)",
                    Self.kilobytes(result.peakRSSKilobytes), Self.kilobytes(result.poolRSSKilobytes),
                ]))
            }
        }
        lines.append("")
        for transport in transports {
            guard let cells = results[transport], let shared = cells[.shared] else { continue }
            var notes: [String] = []
            if let raw = cells[.raw], raw.medianMicroseconds > 0 {
                notes.append(String(format: "shared/raw median %.2fx", shared.medianMicroseconds / raw.medianMicroseconds))
            }
            if let before = cells[.perInstance] {
                notes.append(String(format: "shared/per_instance median %.2fx", shared.medianMicroseconds / before.medianMicroseconds))
                if before.poolRSSKilobytes > 0 {
                    notes.append(String(format: "pool memory %.0f%% below per_instance",
                                        100 * (1 - Double(shared.poolRSSKilobytes) / Double(before.poolRSSKilobytes))))
                }
            }
            if let fresh = cells[.perRequest], fresh.medianMicroseconds > 0 {
                notes.append(String(format: "%.0f%% faster than per_request", 100 * (1 - shared.medianMicroseconds / fresh.medianMicroseconds)))
            }
            if !notes.isEmpty { lines.append("\(transport.rawValue): " + notes.joined(separator: ", ")) }
        }
        return lines.joined(separator: "\n")
    }

    private static func row(_ cells: [String]) -> String {
        let widths = [10, 13, 10, 10, 6, 10, 10]
        return zip(cells, widths).enumerated().map { index, pair in
            index < 2 ? pair.0.padding(toLength: pair.1, withPad: " ", startingAt: 0)
                : String(repeating: " ", count: max(0, pair.1 - pair.0.count)) + pair.0
        }.joined(separator: " ")
    }

    private static func micros(_ value: Double) -> String {
        value >= 10_000 ? String(format: "%.1f ms", value / 1000) : String(format: "%.0f us", value)
    }

    private static func kilobytes(_ value: Int) -> String {
        value >= 10_240 ? String(format: "%.1f MB", Double(value) / 1024) : "\(value) KB"
    }
}
