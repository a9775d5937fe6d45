import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A deliberately plain HTTP/1.1 client over one blocking TCP socket, so tests control exactly
/// which requests share a connection and see exactly what the server did on the wire (including
/// a connection dropped mid-body or a body that stops arriving). Each blocking call runs on its
/// own thread, never on the Swift concurrency pool the server's handlers need.
///
/// Used by one test at a time, sequentially: `@unchecked Sendable` because the socket is only
/// touched by one thread at a time.
final class RawHTTPConnection: @unchecked Sendable {
    enum Failure: Error {
        case connectFailed(Int32)
        case sendFailed(Int32)
        case badResponse(String)
    }

    /// How a response read ended.
    enum Ending: Equatable {
        /// The whole message arrived (Content-Length satisfied or the final chunk seen).
        case complete
        /// The server closed the connection before the message was complete.
        case closedEarly
        /// Nothing arrived for the read timeout.
        case timedOut
    }

    struct Response {
        var status: Int
        var headers: [(name: String, value: String)]
        /// The body after chunked decoding (what arrived of it, if the message was cut short).
        var body: [UInt8]
        var ending: Ending

        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        var text: String { String(decoding: body, as: UTF8.self) }
    }

    private let fd: Int32
    private var buffer: [UInt8] = []

    /// Connects to 127.0.0.1:`port`; `timeout` bounds every read.
    init(port: Int, timeout: Double = 5) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if result != 0 {
            let code = errno
            close(fd)
            throw Failure.connectFailed(code)
        }
        var interval = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &interval, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    /// Sends one request and reads its response, off the concurrency pool.
    func exchange(
        _ method: String, _ path: String, body: String? = nil, headers: [String: String] = [:]
    ) async throws -> Response {
        try await Self.offPool {
            try self.send(method, path, body: body, headers: headers)
            return try self.readResponse()
        }
    }

    /// Sends a request without reading the response.
    func send(_ method: String, _ path: String, body: String? = nil, headers: [String: String] = [:]) throws {
        var request = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { request += "\(name): \(value)\r\n" }
        if let body {
            request += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
        }
        request += "\r\n" + (body ?? "")
        let bytes = Array(request.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { throw Failure.sendFailed(errno) }
            sent += n
        }
    }

    /// Whether the server has closed this connection (a read sees end of file within `timeout`).
    func isClosedByServer() async -> Bool {
        (try? await Self.offPool { () -> Bool in
            if !self.buffer.isEmpty { return false }
            switch self.fill() {
            case .closedEarly: return true
            default: return false
            }
        }) ?? false
    }

    /// Reads one response (blocking).
    func readResponse() throws -> Response {
        var headEnd: Int?
        while headEnd == nil {
            headEnd = Self.find([13, 10, 13, 10], in: buffer)
            if headEnd == nil {
                let ending = fill()
                if ending != .complete {
                    if buffer.isEmpty { return Response(status: 0, headers: [], body: [], ending: ending) }
                    throw Failure.badResponse("head cut short")
                }
            }
        }
        let head = String(decoding: buffer[..<headEnd!], as: UTF8.self)
        buffer.removeFirst(headEnd! + 4)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw Failure.badResponse(head) }
        let headers = lines.compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var response = Response(status: status, headers: headers, body: [], ending: .complete)
        if response.header("transfer-encoding")?.lowercased() == "chunked" {
            response.ending = readChunked(into: &response.body)
        } else {
            let length = Int(response.header("content-length") ?? "0") ?? 0
            while buffer.count < length {
                let ending = fill()
                if ending != .complete {
                    response.body = buffer
                    buffer = []
                    response.ending = ending
                    return response
                }
            }
            response.body = Array(buffer[..<length])
            buffer.removeFirst(length)
        }
        return response
    }

    private func readChunked(into body: inout [UInt8]) -> Ending {
        while true {
            guard let lineEnd = waitFor([13, 10]) else { return lastEnding }
            let sizeText = String(decoding: buffer[..<lineEnd], as: UTF8.self)
            let size = Int(sizeText.split(separator: ";").first ?? "", radix: 16) ?? 0
            buffer.removeFirst(lineEnd + 2)
            while buffer.count < size + 2 {
                let ending = fill()
                if ending != .complete {
                    body += buffer.prefix(size)
                    buffer = []
                    return ending
                }
            }
            body += buffer[..<size]
            buffer.removeFirst(size + 2)
            if size == 0 { return .complete }
        }
    }

    private var lastEnding: Ending = .complete

    private func waitFor(_ pattern: [UInt8]) -> Int? {
        while true {
            if let index = Self.find(pattern, in: buffer) { return index }
            let ending = fill()
            if ending != .complete {
                lastEnding = ending
                return nil
            }
        }
    }

    /// One recv into the buffer: `.complete` when bytes arrived.
    private func fill() -> Ending {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n > 0 {
            buffer += chunk[..<n]
            return .complete
        }
        if n == 0 { return .closedEarly }
        return (errno == EAGAIN || errno == EWOULDBLOCK) ? .timedOut : .closedEarly
    }

    private static func find(_ pattern: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= pattern.count else { return nil }
        for start in 0...(bytes.count - pattern.count) where bytes[start..<start + pattern.count].elementsEqual(pattern) {
            return start
        }
        return nil
    }

    /// Runs blocking work on a fresh thread and awaits its result.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try work() }) }
            thread.start()
        }
    }
}
