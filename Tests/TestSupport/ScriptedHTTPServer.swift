import Foundation
import Synchronization
import TidepoolBench

/// A small HTTP/1.1 keep-alive server on 127.0.0.1 whose answers misbehave on purpose
/// (slow heads, streams, stalls, dropped connections), for pool tests that nginx cannot script.
///
/// It counts, from the server's side, accepted connections, requests per connection and
/// connections the client closed. One thread accepts; one thread serves each connection.
/// Paths: `/ok`, `/echo` (body back), `/stream?chunks=N&ms=M` (chunked, M ms apart),
/// `/stall` (a head and one chunk, then silence), `/slow?ms=M` (head after M ms),
/// `/drop` (closes without answering), `/stepped?chunks=N` (chunked; each chunk waits for one
/// ``step()`` from the test, so "delivered as it arrived" is checked without a clock).
public final class ScriptedHTTPServer: @unchecked Sendable {
    /// The server's own counts.
    public struct Counts: Sendable, Equatable {
        /// Connections accepted.
        public var accepted = 0
        /// Requests read, over all connections.
        public var requests = 0
        /// Connections that ended (closed by either side).
        public var closed = 0
        /// Requests per connection, by accept order.
        public var requestsPerConnection: [Int] = []
        /// Writes of `/stepped` streams made (each chunk and each end is one).
        public var steppedWrites = 0
    }

    /// The port it listens on.
    public let port: Int
    private let listener: Int32
    private let counts = Mutex(Counts())
    private let stopping = Atomic<Bool>(false)
    private let connections = Mutex<Set<Int32>>([])
    private let steps = DispatchSemaphore(value: 0)

    /// Starts listening on a free port of 127.0.0.1.
    public init() throws {
        (listener, port) = try LoopbackListener.open()
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    deinit { stop() }

    /// `http://127.0.0.1:PORT` followed by `path`.
    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// A snapshot of the counts.
    public var snapshot: Counts { counts.withLock { $0 } }

    /// Stops accepting and closes every connection. Idempotent.
    public func stop() {
        guard !stopping.exchange(true, ordering: .relaxed) else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        for fd in connections.withLock({ $0 }) { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    /// Lets a `/stepped` stream send its next chunk.
    public func step() { steps.signal() }

    /// Waits up to `seconds` for `condition` on the counts to hold (server threads update
    /// them a moment after the client sees its answer).
    public func wait(seconds: Double = 2, until condition: (Counts) -> Bool) -> Counts {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let now = snapshot
            if condition(now) { return now }
            usleep(5_000)
        }
        return snapshot
    }

    // MARK: Private

    private func acceptLoop() {
        while !stopping.load(ordering: .relaxed) {
            guard let fd = LoopbackListener.accept(on: listener) else {
                if stopping.load(ordering: .relaxed) { return }
                continue
            }
            let index = counts.withLock { counts -> Int in
                counts.accepted += 1
                counts.requestsPerConnection.append(0)
                return counts.requestsPerConnection.count - 1
            }
            connections.withLock { _ = $0.insert(fd) }
            let thread = Thread { [self] in serve(fd, index: index) }
            thread.start()
        }
    }

    private func serve(_ fd: Int32, index: Int) {
        defer {
            connections.withLock { _ = $0.remove(fd) }
            close(fd)
            counts.withLock { $0.closed += 1 }
        }
        var reader = LoopbackRequestReader(descriptor: fd)
        while let request = reader.next() {
            let (target, body) = (request.target, request.body)
            counts.withLock {
                $0.requests += 1
                $0.requestsPerConnection[index] += 1
            }
            guard respond(fd, target: target, body: body) else { return }
        }
    }

    /// Answers one request; false when the connection must end.
    private func respond(_ fd: Int32, target: String, body: [UInt8]) -> Bool {
        let parts = target.split(separator: "?", maxSplits: 1)
        let path = String(parts.first ?? "/")
        var query: [String: Int] = [:]
        if parts.count > 1 {
            for pair in parts[1].split(separator: "&") {
                let kv = pair.split(separator: "=")
                if kv.count == 2 { query[String(kv[0])] = Int(kv[1]) }
            }
        }
        switch path {
        case "/drop":
            return false
        case "/echo":
            return send(fd, "HTTP/1.1 200 OK\r\nContent-Length: \(body.count)\r\n\r\n", body: body)
        case "/slow":
            usleep(UInt32((query["ms"] ?? 100) * 1000))
            return send(fd, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        case "/stream":
            guard send(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n") else {
                return false
            }
            for number in 0..<(query["chunks"] ?? 5) {
                let text = "chunk \(number)\n"
                guard send(fd, String(text.utf8.count, radix: 16) + "\r\n" + text + "\r\n") else { return false }
                usleep(UInt32((query["ms"] ?? 10) * 1000))
            }
            return send(fd, "0\r\n\r\n")
        case "/stepped":
            guard send(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n") else {
                return false
            }
            for number in 0..<(query["chunks"] ?? 5) {
                // A missing step ends the wait after 10 s so a broken test fails instead of hanging.
                _ = steps.wait(timeout: .now() + 10)
                let text = "chunk \(number)\n"
                guard send(fd, String(text.utf8.count, radix: 16) + "\r\n" + text + "\r\n") else { return false }
                counts.withLock { $0.steppedWrites += 1 }
            }
            defer { counts.withLock { $0.steppedWrites += 1 } }
            return send(fd, "0\r\n\r\n")
        case "/status":
            // Any status, with an empty body (`/status?code=429`): overload answers for auto sizing.
            let code = query["code"] ?? 200
            return send(fd, "HTTP/1.1 \(code) Status\r\nContent-Length: 0\r\n\r\n")
        case "/stall":
            guard send(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nhello\n\r\n") else { return false }
            var byte: UInt8 = 0
            _ = read(fd, &byte, 1)  // until the client gives up and closes
            return false
        default:
            return send(fd, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Type: text/plain\r\n\r\nok\n")
        }
    }

    private func send(_ fd: Int32, _ text: String, body: [UInt8] = []) -> Bool {
        let bytes = Array(text.utf8) + body
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }
}
