import Foundation

/// Reads HTTP/1.1 requests (head and Content-Length body) from one keep-alive connection of an
/// in-process loopback test server, one after another: the one reader of the hostile fault
/// server and the scripted pool server. Owned by the connection's thread.
public struct LoopbackRequestReader {
    /// One request: its target (path and query) and body.
    public struct Request {
        public let target: String
        public let body: [UInt8]
    }

    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private var chunk = [UInt8](repeating: 0, count: 16384)

    /// A reader of the connection on `descriptor` (the caller keeps and closes it).
    public init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// The next request, or nil when the client closed the connection (or it failed).
    public mutating func next() -> Request? {
        var headEnd: Int?
        while headEnd == nil {
            if let found = Self.find(buffer, [13, 10, 13, 10]) { headEnd = found; break }
            guard fill() else { return nil }
        }
        let head = String(decoding: buffer[0..<headEnd!], as: UTF8.self)
        buffer.removeFirst(headEnd! + 4)
        let lines = head.split(separator: "\r\n")
        let target = lines.first?.split(separator: " ").dropFirst().first.map(String.init) ?? "/"
        var contentLength = 0
        for line in lines.dropFirst() where line.lowercased().hasPrefix("content-length:") {
            let value = line.split(separator: ":", maxSplits: 1).last ?? ""
            contentLength = max(0, Int(value.filter { !$0.isWhitespace }) ?? 0)
        }
        while buffer.count < contentLength {
            guard fill() else { return nil }
        }
        let body = Array(buffer.prefix(contentLength))
        buffer.removeFirst(contentLength)
        return Request(target: target, body: body)
    }

    /// Reads what the socket has into the buffer; false at end of stream or on an error.
    private mutating func fill() -> Bool {
        let count = read(descriptor, &chunk, chunk.count)
        guard count > 0 else { return false }
        buffer.append(contentsOf: chunk[0..<count])
        return true
    }

    /// The offset of the first `needle` in `haystack`, or nil.
    static func find(_ haystack: [UInt8], _ needle: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        return (0...(haystack.count - needle.count)).first { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
