import Foundation
import Synchronization

/// A loopback server that speaks the OpenAI-compatible chat API badly on purpose, one fault
/// per path, for the fault matrix: point a provider's base URL at ``baseURL(_:)`` and every
/// `POST …/chat/completions` gets that fault's answer.
///
/// HTTP/1.1 with keep-alive, so a fault that leaves the connection usable really is followed
/// by a reused connection. One thread accepts; one thread serves each connection. Nothing
/// here depends on timing: stalls wait for the client to give up, endless streams run until
/// the client closes (or a safety limit, so a client without an answer cap still ends).
public final class HostileHTTPServer: @unchecked Sendable {
    /// How a 429 or 503 states its `Retry-After`.
    public enum RetryAfterForm: String, CaseIterable, Sendable {
        case seconds, httpDate = "date", garbage, huge, negative

        /// The header value sent.
        public func value(now: Date = Date()) -> String {
            switch self {
            case .seconds: "7"
            case .httpDate: HostileHTTPServer.httpDate(now.addingTimeInterval(120))
            case .garbage: "soon-ish, maybe"
            case .huge: "1e19"
            case .negative: "-5"
            }
        }
    }

    /// One misbehaviour; its `path` is the first segment of the request path.
    public enum Fault: Hashable, Sendable, CustomStringConvertible {
        /// A well-formed stream of ``HostileHTTPServer/okWords``.
        case ok
        /// A few events, then a TCP reset.
        case resetMidStream
        /// A head and one event, then silence until the client gives up.
        case stall
        /// HTTP 429 with a `Retry-After` in the given form.
        case rateLimited(RetryAfterForm)
        /// HTTP 503 with a `Retry-After` in the given form.
        case unavailable(RetryAfterForm)
        /// HTTP 401 with an OpenAI-style error body.
        case unauthorized
        /// HTTP 500 with an nginx-style HTML page.
        case serverErrorHTML
        /// A `data:` line that is not JSON.
        case malformedLine
        /// One line longer than the decoders' 4 MiB bound, without a line ending.
        case lineOverLimit
        /// Content with bytes that are not UTF-8.
        case invalidUTF8
        /// Content with NUL, C0 and C1 controls.
        case controls
        /// Content with terminal escape sequences (OSC 52 clipboard, title, clear screen).
        case escapeSequences
        /// A few events, then a clean end of the body with neither a finish reason nor `[DONE]`.
        case truncated
        /// HTTP 200 with an HTML page (a captive portal, a wrong base URL).
        case htmlWithStatus200
        /// Events without end (until the client closes, or 64 MiB).
        case endless

        /// Every fault, each `Retry-After` form included.
        public static var all: [Fault] {
            [.resetMidStream, .stall]
                + RetryAfterForm.allCases.map(Fault.rateLimited) + RetryAfterForm.allCases.map(Fault.unavailable)
                + [.unauthorized, .serverErrorHTML, .malformedLine, .lineOverLimit, .invalidUTF8, .controls,
                   .escapeSequences, .truncated, .htmlWithStatus200, .endless]
        }

        /// The path segment that selects this fault.
        public var path: String {
            switch self {
            case .ok: "ok"
            case .resetMidStream: "reset"
            case .stall: "stall"
            case .rateLimited(let form): "429-\(form.rawValue)"
            case .unavailable(let form): "503-\(form.rawValue)"
            case .unauthorized: "401"
            case .serverErrorHTML: "500-html"
            case .malformedLine: "malformed"
            case .lineOverLimit: "long-line"
            case .invalidUTF8: "bad-utf8"
            case .controls: "controls"
            case .escapeSequences: "escapes"
            case .truncated: "truncated"
            case .htmlWithStatus200: "html-200"
            case .endless: "endless"
            }
        }

        public var description: String { path }

        init?(path: String) {
            guard let fault = ([Fault.ok] + Fault.all).first(where: { $0.path == path }) else { return nil }
            self = fault
        }
    }

    /// The words a healthy answer (``Fault/ok``) streams, one event each.
    public static let okWords = ["The ", "pool ", "is ", "healthy."]
    /// The visible text of ``Fault/controls`` and ``Fault/escapeSequences``, around the hostile parts.
    public static let controlText = "nul\u{0}bel\u{7}bs\u{8}c1\u{85}csi\u{9B}31mdel\u{7F}end"
    public static let escapeText =
        "before\u{1B}]52;c;ZWNobyBwd25lZA==\u{7}\u{1B}]0;owned\u{7}\u{1B}[2J\u{1B}[31mred\u{1B}[0m\u{1B}P1$r\u{1B}\\after"
    /// How much ``Fault/endless`` sends at most before it gives up on the client.
    public static let endlessSafetyLimit = 64 << 20

    /// The port it listens on.
    public let port: Int
    private let listener: Int32
    private let stopping = Atomic<Bool>(false)
    private let connections = Mutex<Set<Int32>>([])
    private let requestCount = Atomic<Int>(0)
    private let activeConnections = Atomic<Int>(0)

    /// Starts listening on a free port of 127.0.0.1.
    public init() throws {
        (listener, port) = try LoopbackListener.open()
        Thread { [self] in acceptLoop() }.start()
    }

    deinit { stop() }

    /// The base URL of an OpenAI-compatible server that answers with `fault`.
    public func baseURL(_ fault: Fault) -> String { "http://127.0.0.1:\(port)/\(fault.path)/v1" }

    /// Requests read so far.
    public var requests: Int { requestCount.load(ordering: .relaxed) }

    /// Connections being served now.
    public var openConnections: Int { activeConnections.load(ordering: .relaxed) }

    /// Stops accepting and closes every connection, returning once every connection's thread
    /// has closed its descriptor (at most 5 s): a test that counts the process's descriptors
    /// next must not see this server's last ones close under it. Idempotent.
    public func stop() {
        guard !stopping.exchange(true, ordering: .relaxed) else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        for fd in connections.withLock({ $0 }) { shutdown(fd, Int32(SHUT_RDWR)) }
        let deadline = Date().addingTimeInterval(5)
        while activeConnections.load(ordering: .relaxed) > 0 && Date() < deadline { usleep(1_000) }
    }

    /// An IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
    public static func httpDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }

    // MARK: Serving

    private func acceptLoop() {
        while !stopping.load(ordering: .relaxed) {
            guard let fd = LoopbackListener.accept(on: listener) else {
                if stopping.load(ordering: .relaxed) { return }
                continue
            }
            connections.withLock { _ = $0.insert(fd) }
            activeConnections.add(1, ordering: .relaxed)
            Thread { [self] in serve(fd) }.start()
        }
    }

    private func serve(_ fd: Int32) {
        var closeWithReset = false
        defer {
            connections.withLock { _ = $0.remove(fd) }
            if closeWithReset {
                var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
                setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
            }
            close(fd)
            activeConnections.subtract(1, ordering: .relaxed)
        }
        var reader = LoopbackRequestReader(descriptor: fd)
        while let request = reader.next() {
            let target = request.target
            requestCount.add(1, ordering: .relaxed)
            let segment = target.split(separator: "/").first.map(String.init) ?? ""
            switch respond(fd, fault: Fault(path: segment) ?? .ok, target: target) {
            case .keepAlive: continue
            case .close: return
            case .reset:
                closeWithReset = true
                return
            }
        }
    }

    private enum Ending { case keepAlive, close, reset }

    private func respond(_ fd: Int32, fault: Fault, target: String) -> Ending {
        if target.hasSuffix("/models") {
            let body = #"{"object":"list","data":[{"id":"hostile","object":"model"}]}"#
            return send(fd, Self.head(200, "application/json", length: body.utf8.count) + body) ? .keepAlive : .close
        }
        let streamHead = Self.head(200, "text/event-stream", length: nil)
        switch fault {
        case .ok:
            var text = streamHead
            for word in Self.okWords { text += Self.chunked(Self.event(word)) }
            text += Self.chunked(Self.finishEvent) + Self.chunked("data: [DONE]\n\n") + "0\r\n\r\n"
            return send(fd, text) ? .keepAlive : .close
        case .resetMidStream:
            _ = send(fd, streamHead + Self.chunked(Self.event("cut ")) + Self.chunked(Self.event("off ")))
            return .reset
        case .stall:
            guard send(fd, streamHead + Self.chunked(Self.event("waiting "))) else { return .close }
            var byte: UInt8 = 0
            _ = read(fd, &byte, 1)  // until the client gives up and closes
            return .close
        case .rateLimited(let form):
            return errorAnswer(fd, status: 429, retryAfter: form.value(), message: "slow down")
        case .unavailable(let form):
            return errorAnswer(fd, status: 503, retryAfter: form.value(), message: "overloaded")
        case .unauthorized:
            return errorAnswer(fd, status: 401, retryAfter: nil, message: "Incorrect API key provided")
        case .serverErrorHTML:
            let body = "<html>\r\n<head><title>500 Internal Server Error</title></head>\r\n<body>\r\n"
                + "<center><h1>500 Internal Server Error</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n"
            return send(fd, Self.head(500, "text/html", length: body.utf8.count) + body) ? .keepAlive : .close
        case .malformedLine:
            let text = streamHead + Self.chunked(Self.event("fine ")) + Self.chunked("data: {\"choices\": [oops\n\n")
                + Self.chunked(Self.finishEvent) + Self.chunked("data: [DONE]\n\n") + "0\r\n\r\n"
            return send(fd, text) ? .keepAlive : .close
        case .lineOverLimit:
            guard send(fd, streamHead + Self.chunked("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"")) else {
                return .close
            }
            let piece = Self.chunked(String(repeating: "a", count: 64 << 10))
            for _ in 0..<((5 << 20) / (64 << 10)) {
                guard send(fd, piece) else { return .close }
            }
            return .close
        case .invalidUTF8:
            var bytes = Array(streamHead.utf8)
            var event = Array("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"bad ".utf8)
            event += [0xFF, 0xFE, 0xC3, 0x28, 0xED, 0xA0, 0x80]
            event += Array(" bytes\"},\"finish_reason\":null}]}\n\n".utf8)
            bytes += Array(String(event.count, radix: 16).utf8) + [13, 10] + event + [13, 10]
            bytes += Array((Self.chunked(Self.finishEvent) + Self.chunked("data: [DONE]\n\n") + "0\r\n\r\n").utf8)
            return send(fd, bytes) ? .keepAlive : .close
        case .controls, .escapeSequences:
            let content = fault == .controls ? Self.controlText : Self.escapeText
            let text = streamHead + Self.chunked(Self.event(content)) + Self.chunked(Self.finishEvent)
                + Self.chunked("data: [DONE]\n\n") + "0\r\n\r\n"
            return send(fd, text) ? .keepAlive : .close
        case .truncated:
            let text = streamHead + Self.chunked(Self.event("half ")) + Self.chunked(Self.event("an ")) + "0\r\n\r\n"
            return send(fd, text) ? .keepAlive : .close
        case .htmlWithStatus200:
            let body = "<!DOCTYPE html><html><head><title>Hotel Wi-Fi</title></head><body>Please log in</body></html>"
            return send(fd, Self.head(200, "text/html; charset=utf-8", length: body.utf8.count) + body)
                ? .keepAlive : .close
        case .endless:
            guard send(fd, streamHead) else { return .close }
            let piece = Self.chunked(Self.event(String(repeating: "and on ", count: 1170)))
            var sent = 0
            while sent < Self.endlessSafetyLimit, !stopping.load(ordering: .relaxed) {
                guard send(fd, piece) else { return .close }
                sent += piece.utf8.count
            }
            return .close
        }
    }

    private func errorAnswer(_ fd: Int32, status: Int, retryAfter: String?, message: String) -> Ending {
        let body = #"{"error":{"message":"\#(message)","type":"hostile_error","code":null}}"#
        var head = "HTTP/1.1 \(status) \(Self.reason(status))\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.utf8.count)\r\n"
        if let retryAfter { head += "Retry-After: \(retryAfter)\r\n" }
        return send(fd, head + "\r\n" + body) ? .keepAlive : .close
    }

    // MARK: Wire helpers

    static func head(_ status: Int, _ type: String, length: Int?) -> String {
        "HTTP/1.1 \(status) \(reason(status))\r\nContent-Type: \(type)\r\n"
            + (length.map { "Content-Length: \($0)\r\n" } ?? "Transfer-Encoding: chunked\r\nCache-Control: no-cache\r\n")
            + "\r\n"
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 401: "Unauthorized"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }

    /// One SSE event carrying `content` as a text delta (JSON-escaped).
    static func event(_ content: String) -> String {
        let json = String(decoding: try! JSONEncoder().encode(content), as: UTF8.self)
        return #"data: {"id":"h","object":"chat.completion.chunk","model":"hostile","choices":[{"index":0,"delta":{"content":\#(json)},"finish_reason":null}]}"#
            + "\n\n"
    }

    static let finishEvent =
        #"data: {"id":"h","object":"chat.completion.chunk","model":"hostile","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#
        + "\n\n"

    /// `text` as one chunk of a chunked body.
    static func chunked(_ text: String) -> String {
        String(text.utf8.count, radix: 16) + "\r\n" + text + "\r\n"
    }

    private func send(_ fd: Int32, _ text: String) -> Bool { send(fd, Array(text.utf8)) }

    private func send(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }
}
