import Foundation
import TestSupport
import TidepoolPool
import TidepoolProviders
import XCTest

/// What one request through the real pipeline (provider, pool, libcurl) ended with.
struct FaultOutcome: CustomStringConvertible {
    /// The text deltas received, joined.
    var text = ""
    /// Whether the stream said how it finished (a finish reason).
    var finished = false
    /// The error the stream ended with, if any.
    var error: ProviderError?
    /// Any other error type (there should be none: every failure is a ``ProviderError``).
    var otherError: String?

    var description: String {
        "text \(text.debugDescription.prefix(120)), finished \(finished), error \(error.map { "\($0)" } ?? otherError ?? "none")"
    }
}

/// Process-wide figures the fault matrix and the soak check: open descriptors and resident memory.
enum ProcessFigures {
    /// Open file descriptors of this process (entries of /proc/self/fd, minus the one
    /// the listing itself holds open).
    static func openDescriptors() -> Int {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return entries.count - 1
    }

    /// Resident set size in bytes (/proc/self/statm, second field, in pages), after giving
    /// free heap pages back to the system: the 4-5 MiB buffers of big faults, freed on four
    /// threads' malloc arenas, would otherwise count as growth though nothing holds them.
    static func residentBytes() -> Int {
        trimHeap()
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// glibc's `malloc_trim(0)`, looked up at run time (its header is not part of the Glibc module).
    private static func trimHeap() {
        typealias Trim = @convention(c) (Int) -> Int32
        guard let symbol = dlsym(nil, "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: Trim.self)(0)
    }

    /// Waits until `openDescriptors()` equals `expected` (connections close on the network
    /// thread a moment after the stream reports its end), at most `seconds`; returns the last count.
    static func waitForDescriptors(_ expected: Int, seconds: Double = 10) -> Int {
        let deadline = Date().addingTimeInterval(seconds)
        var count = openDescriptors()
        while count != expected && Date() < deadline {
            usleep(10_000)
            count = openDescriptors()
        }
        return count
    }
}

/// Sends requests to a ``HostileHTTPServer`` through one pool.
struct FaultClient {
    let pool: PoolManager
    let server: HostileHTTPServer
    /// A stall ends after this much silence.
    var idleTimeout = 1.0

    /// A provider for `fault` with no retries (a 429 must not make the test wait its
    /// Retry-After), short clocks, and an API key so the 401 is a rejected key.
    func provider(_ fault: HostileHTTPServer.Fault) throws -> Provider {
        try Provider(
            preset: .openAICompatible, baseURL: server.baseURL(fault), apiKey: "sk-hostile-test",
            transport: pool,
            timeouts: RequestTimeouts(connect: 5, firstByte: 10, idle: idleTimeout, total: 60),
            retryPolicy: .none)
    }

    /// Streams one request for `fault` and returns what came back.
    func run(_ fault: HostileHTTPServer.Fault) async throws -> FaultOutcome {
        try await run(provider(fault))
    }

    func run(_ provider: Provider) async -> FaultOutcome {
        var outcome = FaultOutcome()
        let request = ChatRequest(model: "hostile", messages: [ChatMessage(role: .user, text: "are you well?")])
        do {
            for try await event in provider.stream(request) {
                switch event {
                case .textDelta(let text): outcome.text += text
                case .finish: outcome.finished = true
                default: break
                }
            }
        } catch let error as ProviderError {
            outcome.error = error
        } catch {
            outcome.otherError = "\(type(of: error)): \(error)"
        }
        return outcome
    }
}
