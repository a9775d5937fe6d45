import ArgumentParser
import Foundation
import TidepoolApp
import TidepoolBench

/// `tidepool bench`: measurements that back the project's speed and memory claims.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the connection pool against the alternatives, what the screen costs, and that faults leak nothing.",
        subcommands: [PoolBench.self, PoolBenchRun.self, ScreenBench.self, FaultBench.self, AutoSizeBench.self, HistoryBench.self]
    )
}

/// `tidepool bench pool`.
struct PoolBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pool",
        abstract: "Shared pool vs one pool per provider vs no pooling vs raw libcurl, on loopback nginx.",
        discussion: """
        Starts nginx on 127.0.0.1 (plain HTTP/1.1, TLS and HTTP/2 with a throw-away self-signed \
        certificate), then for each transport and mode runs a child process in which N provider \
        instances take turns sending M sequential small requests. Modes: shared (one pool \
        manager for all instances, as Tidepool does), per_instance (a pool manager per instance: \
        one HTTP client per provider), per_request (a new connection for every request), raw (one \
        libcurl easy handle in a tight loop: the floor). Reports the median and p99 latency per \
        request, connections opened, the child's peak RSS and its growth over the child's \
        resident memory before the first request ("pool RSS"). TLS clients trust the system CA \
        bundle plus the test certificate, as a real client loads the whole store. Each figure is \
        the median over --rounds interleaved rounds. Needs nginx and openssl \
        (`apt-get install -y nginx openssl`).
        """
    )

    @Option(help: "Provider instances taking turns.")
    var instances = 10

    @Option(help: "Sequential requests per instance.")
    var requests = 100

    @Option(help: "Comma-separated transports: plain, tls, h2.")
    var transports = "plain,tls,h2"

    @Option(help: "Comma-separated modes: shared, per_instance, per_request, raw.")
    var modes = "shared,per_instance,per_request,raw"

    @Option(help: "Times every cell runs, interleaved; figures are medians over rounds.")
    var rounds = 3

    @Flag(help: "Print the results as JSON keyed by transport, then mode.")
    var json = false

    func validate() throws {
        guard instances >= 1, requests >= 1, rounds >= 1 else {
            throw ValidationError("--instances, --requests and --rounds must be at least 1")
        }
        _ = try parsedTransports()
        _ = try parsedModes()
    }

    private func parsedTransports() throws -> [BenchTransport] {
        try transports.split(separator: ",").map { name in
            guard let transport = BenchTransport(rawValue: String(name)) else {
                throw ValidationError("unknown transport '\(name)'; choose from plain, tls, h2")
            }
            return transport
        }
    }

    private func parsedModes() throws -> [BenchMode] {
        try modes.split(separator: ",").map { name in
            guard let mode = BenchMode(rawValue: String(name)) else {
                throw ValidationError("unknown mode '\(name)'; choose from shared, per_instance, per_request, raw")
            }
            return mode
        }
    }

    func run() async throws {
        let benchmark = PoolBenchmark(
            instances: instances, requestsPerInstance: requests,
            transports: try parsedTransports(), modes: try parsedModes(), rounds: rounds)
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        let quiet = json
        do {
            let results = try benchmark.run(executable: executable, childArguments: ["bench", "pool-run"]) { cell in
                if !quiet { TerminalOutput().writeError("running \(cell)...\n") }
            }
            TerminalOutput().line(json ? PoolBenchmark.json(results) : benchmark.table(results))
        } catch {
            TerminalOutput().writeError("error: \(error)\n")
            throw ExitCode.failure
        }
    }
}

/// `tidepool bench pool-run`: one benchmark cell, in the child process `bench pool` starts.
struct PoolBenchRun: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pool-run",
        abstract: "Run one cell of `bench pool` and print its result as JSON (used internally).",
        shouldDisplay: false
    )

    @Option var mode: String
    @Option var url: String
    @Option var caFile: String?
    @Option var instances = 10
    @Option var requests = 100

    func run() async throws {
        guard let mode = BenchMode(rawValue: mode) else { throw ValidationError("unknown mode '\(mode)'") }
        let result = await PoolBenchmarkRun(
            mode: mode, url: url, caFile: caFile, instances: instances, requestsPerInstance: requests
        ).run()
        let data = try JSONEncoder().encode(result)
        TerminalOutput().line(String(decoding: data, as: UTF8.self))
    }
}

/// `tidepool bench faults`.
struct FaultBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "faults",
        abstract: "Soak one pool manager in mixed server faults; check that memory and descriptors stay put.",
        discussion: """
        Starts a hostile loopback server that answers the OpenAI-compatible chat API with one \
        fault per request (reset mid-stream, 429 and 503 with every Retry-After form, 401, an \
        HTML 500, malformed and over-long lines, invalid UTF-8, control and escape characters, \
        a truncated stream, an HTML page with status 200, a stall) mixed with healthy requests, \
        and sends them through one pool manager and the real provider, --width at a time. \
        Reports resident memory after the 100th and the last request, open descriptors before \
        the first request and after closeAll(), and whether every healthy request between the \
        faults was answered in full. Exit status 1 when memory grew more than 10%, a descriptor \
        was left open, or a failure was not a provider error. Takes about a second per 50 \
        requests (each stall waits out its 1 s idle timeout).
        """
    )

    @Option(help: "Requests in all (at least 100).")
    var requests = 1000

    @Option(help: "Requests at once.")
    var width = 4

    @Flag(help: "Print the result as JSON.")
    var json = false

    func validate() throws {
        guard requests >= 100 else { throw ValidationError("--requests must be at least 100 (memory is compared with the 100th)") }
        guard (1...64).contains(width) else { throw ValidationError("--width must be from 1 to 64") }
    }

    func run() async throws {
        let result = try await FaultSoak(requests: requests, width: width).run()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        } else {
            print("fault soak: " + result.summary)
        }
        let healthy = result.unexpected.isEmpty && result.healthyAnswered == result.healthy
            && result.residentGrowthPercent <= 10 && result.descriptorsAfter <= result.descriptorsBefore
        if !healthy {
            FileHandle.standardError.write(Data("error: the soak found growth or a leak (see the figures above)\n".utf8))
            throw ExitCode.failure
        }
    }
}
