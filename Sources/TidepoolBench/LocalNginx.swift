import Foundation
import Synchronization

/// An nginx server on loopback with a throw-away self-signed certificate, for benchmarks and
/// end-to-end tests: one plain HTTP/1.1 port, one TLS HTTP/1.1 port and one TLS HTTP/2 port.
///
/// It logs each request with nginx's own `$connection` serial and `$connection_requests`, so
/// a test can compare the pool's counts with the server's. Started and stopped by its owner;
/// everything lives in a temporary directory removed by ``stop()``.
///
/// Sendable (tests share one instance between test cases) because its only mutable state, the
/// running process and its ports, sits behind a `Mutex`; everything else is immutable.
public final class LocalNginx: Sendable {
    /// Why nginx could not be started.
    public enum LaunchError: Error, CustomStringConvertible {
        case notInstalled
        case certificateFailed(String)
        case didNotStart(String)

        public var description: String {
            switch self {
            case .notInstalled:
                "nginx is not installed (looked for /usr/sbin/nginx and nginx on PATH); install it with `apt-get install -y nginx`"
            case .certificateFailed(let output):
                "could not make a self-signed certificate with openssl (install it with `apt-get install -y openssl`): \(output)"
            case .didNotStart(let log):
                "nginx did not start: \(log)"
            }
        }
    }

    /// The ports nginx listens on, all on 127.0.0.1.
    public struct Ports: Sendable {
        /// Plain HTTP/1.1.
        public let plain: Int
        /// HTTP/1.1 over TLS.
        public let tls: Int
        /// HTTP/2 over TLS.
        public let h2: Int
    }

    /// One line of the access log.
    public struct LoggedRequest: Sendable, Equatable {
        /// nginx's serial number of the connection the request came on.
        public let connection: Int
        /// The request's number on that connection, from 1.
        public let requestOnConnection: Int
        /// The response status.
        public let status: Int
        /// The request path.
        public let path: String
        /// The server port the request came to.
        public let port: Int
    }

    /// The temporary directory holding config, certificate and logs.
    public let directory: URL
    /// The self-signed certificate (PEM) to trust as a CA file.
    public var certificatePath: String { directory.appendingPathComponent("cert.pem").path }
    /// The system's CA bundle with the self-signed certificate appended: what a real client
    /// trusts (the whole public store) plus this server. Loading it costs what loading the
    /// system store costs, so memory figures measured with it are realistic.
    public var systemTrustPlusCertificatePath: String {
        directory.appendingPathComponent("system-plus-cert.pem").path
    }
    /// The running nginx and its ports, nil while stopped.
    private let running = Mutex(Running())

    /// A started nginx (both nil while stopped).
    private struct Running {
        var process: Process?
        var ports: Ports?
    }
    /// The ports nginx listens on, nil while stopped.
    public var ports: Ports? { running.withLock { $0.ports } }

    /// Prepares a directory and certificate; call ``start()`` to run nginx.
    public init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("tidepool-nginx-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try makeCertificate()
    }

    deinit { stop() }

    /// The nginx binary, or nil when not installed.
    public static var executable: String? {
        let candidates = ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"]
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) {
            return found
        }
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let path = "\(dir)/nginx"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// Starts nginx and waits until all three ports accept connections.
    @discardableResult
    public func start() throws -> Ports {
        try running.withLock { running in
            if let ports = running.ports { return ports }
            let (process, ports) = try launch()
            running = Running(process: process, ports: ports)
            return ports
        }
    }

    private func launch() throws -> (Process, Ports) {
        guard let nginx = Self.executable else { throw LaunchError.notInstalled }
        var lastError = ""
        for _ in 0..<5 {
            let chosen = Ports(plain: Self.freePort(), tls: Self.freePort(), h2: Self.freePort())
            try config(for: chosen).write(to: directory.appendingPathComponent("nginx.conf"), atomically: true,
                                          encoding: .utf8)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: nginx)
            process.arguments = ["-p", directory.path, "-c", directory.appendingPathComponent("nginx.conf").path,
                                 "-e", directory.appendingPathComponent("error.log").path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            if Self.waitForPorts([chosen.plain, chosen.tls, chosen.h2], process: process) {
                return (process, chosen)
            }
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            lastError = (try? String(contentsOf: directory.appendingPathComponent("error.log"), encoding: .utf8)) ?? ""
        }
        throw LaunchError.didNotStart(lastError.split(separator: "\n").suffix(3).joined(separator: " | "))
    }

    /// Stops nginx (if running) and removes the temporary directory. Idempotent.
    public func stop() {
        let stopped = running.withLock { running in
            defer { running = Running() }
            return running.process
        }
        if let stopped, stopped.isRunning {
            stopped.terminate()
            stopped.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// Every request nginx has logged so far, in order.
    public func loggedRequests() -> [LoggedRequest] {
        let url = directory.appendingPathComponent("access.log")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count >= 5, let connection = Int(fields[0]), let number = Int(fields[1]),
                  let status = Int(fields[2]), let port = Int(fields[4]) else { return nil }
            return LoggedRequest(connection: connection, requestOnConnection: number, status: status,
                                 path: String(fields[3]), port: port)
        }
    }

    /// The logged requests once at least `count` are in (nginx writes a line just after it
    /// answers, so a client can be a moment ahead of the log), or what is there after 3 s.
    public func loggedRequests(atLeast count: Int, port: Int) -> [LoggedRequest] {
        let deadline = Date().addingTimeInterval(3)
        var found = loggedRequests().filter { $0.port == port }
        while found.count < count && Date() < deadline {
            usleep(5_000)
            found = loggedRequests().filter { $0.port == port }
        }
        return found
    }

    /// Empties the access log (nginx keeps appending to the same open file).
    public func clearLog() {
        let url = directory.appendingPathComponent("access.log")
        if let handle = try? FileHandle(forWritingTo: url) {
            try? handle.truncate(atOffset: 0)
            try? handle.close()
        }
    }

    // MARK: Private

    private func config(for ports: Ports) -> String {
        let dir = directory.path
        let locations = """
                location = /ping { default_type text/plain; return 200 "pong\\n"; }
                location = /small { default_type application/json; return 200 '{"ok":true,"model":"bench","text":"a small answer of about one hundred bytes, like a short completion chunk"}'; }
                location / { default_type text/plain; return 200 "tidepool test server\\n"; }
        """
        return """
        worker_processes 1;
        daemon off;
        master_process on;
        pid \(dir)/nginx.pid;
        error_log \(dir)/error.log warn;
        events { worker_connections 4096; }
        http {
            log_format counted '$connection $connection_requests $status $uri $server_port';
            access_log \(dir)/access.log counted;
            client_body_temp_path \(dir)/body;
            proxy_temp_path \(dir)/proxy;
            fastcgi_temp_path \(dir)/fastcgi;
            uwsgi_temp_path \(dir)/uwsgi;
            scgi_temp_path \(dir)/scgi;
            keepalive_requests 1000000;
            keepalive_timeout 300s;
            http2_max_requests 1000000;
            ssl_certificate \(dir)/cert.pem;
            ssl_certificate_key \(dir)/key.pem;
            ssl_session_cache shared:tidepool:1m;
            server {
                listen 127.0.0.1:\(ports.plain);
        \(locations)
            }
            server {
                listen 127.0.0.1:\(ports.tls) ssl;
        \(locations)
            }
            server {
                listen 127.0.0.1:\(ports.h2) ssl http2;
        \(locations)
            }
        }
        """
    }

    private func makeCertificate() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", directory.appendingPathComponent("key.pem").path,
            "-out", directory.appendingPathComponent("cert.pem").path,
            "-days", "2", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        do { try process.run() } catch { throw LaunchError.certificateFailed("\(error)") }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw LaunchError.certificateFailed(text) }
        let system = (try? Data(contentsOf: URL(fileURLWithPath: "/etc/ssl/certs/ca-certificates.crt"))) ?? Data()
        let own = try Data(contentsOf: URL(fileURLWithPath: certificatePath))
        try (system + Data("\n".utf8) + own).write(to: URL(fileURLWithPath: systemTrustPlusCertificatePath))
    }

    /// A port the kernel says is free now (bound to port 0, then released).
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Waits up to five seconds for every port to accept a connection.
    private static func waitForPorts(_ ports: [Int], process: Process) -> Bool {
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            guard process.isRunning else { return false }
            if ports.allSatisfy(canConnect) { return true }
            usleep(20_000)
        }
        return false
    }

    private static func canConnect(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
