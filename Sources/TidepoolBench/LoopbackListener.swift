import Foundation

/// A listening TCP socket on a free port of 127.0.0.1: the one set-up of the loopback servers
/// the tests and benchmarks run in-process (the hostile fault server, the scripted pool server).
public enum LoopbackListener {
    /// Opens, binds and listens; returns the descriptor (the caller closes it) and the port.
    /// Throws `EADDRINUSE` when binding or listening fails, `EADDRNOTAVAIL` when no port was
    /// given.
    public static func open(backlog: Int32 = 128) throws -> (descriptor: Int32, port: Int) {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw POSIXError(.EMFILE) }
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) }
        }
        guard bound == 0, listen(listener, backlog) == 0 else {
            close(listener)
            throw POSIXError(.EADDRINUSE)
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        let port = Int(UInt16(bigEndian: address.sin_port))
        guard port > 0 else {
            close(listener)
            throw POSIXError(.EADDRNOTAVAIL)
        }
        return (listener, port)
    }

    /// Waits for the next connection on `listener` and returns its descriptor with Nagle's
    /// delay off (the servers write small chunks that must leave at once), or nil when
    /// `accept` failed (the listener was closed to stop the server, or a transient error).
    public static func accept(on listener: Int32) -> Int32? {
        let descriptor = Foundation.accept(listener, nil, nil)
        guard descriptor >= 0 else { return nil }
        var yes: Int32 = 1
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
        return descriptor
    }
}
