/// What changes a connection itself, beyond its origin: TLS verification, trust, client
/// identity and proxy. Requests that differ here never share a connection, so these are part
/// of a pool's key.
public struct ConnectionOptions: Hashable, Sendable {
    /// Verify the server's certificate and host name (on by default; turn off only for a
    /// local server with a self-signed certificate you cannot trust otherwise).
    public var verifyTLS: Bool
    /// A PEM file of trusted certificates to use instead of the system store.
    public var caFile: String?
    /// A PEM client certificate, for servers that ask for one.
    public var clientCertificateFile: String?
    /// The private key of ``clientCertificateFile``.
    public var clientKeyFile: String?
    /// A proxy URL (`http://host:port`, `socks5://host:port`), or nil for a direct connection.
    public var proxy: String?

    /// Creates options; the defaults are a direct, fully verified connection.
    public init(
        verifyTLS: Bool = true,
        caFile: String? = nil,
        clientCertificateFile: String? = nil,
        clientKeyFile: String? = nil,
        proxy: String? = nil
    ) {
        self.verifyTLS = verifyTLS
        self.caFile = caFile
        self.clientCertificateFile = clientCertificateFile
        self.clientKeyFile = clientKeyFile
        self.proxy = proxy
    }

    /// A direct, fully verified connection using the system's trust store.
    public static let standard = ConnectionOptions()
}
