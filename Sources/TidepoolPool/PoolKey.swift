/// The identity of a pool: an origin plus the options that change the connection itself.
///
/// Timeouts, models and API keys are deliberately absent: they change requests, not
/// connections, and a key must never appear in a pool's name.
public struct PoolKey: Hashable, Sendable, CustomStringConvertible {
    /// Scheme, host and port.
    public let origin: Origin
    /// TLS trust, client identity and proxy.
    public let options: ConnectionOptions

    /// Creates a key.
    public init(origin: Origin, options: ConnectionOptions = .standard) {
        self.origin = origin
        self.options = options
    }

    /// The pool's display name: the origin, plus a marker when the options are not standard.
    /// Never contains credentials.
    public var description: String {
        var name = origin.description
        if !options.verifyTLS { name += " (unverified)" }
        if options.caFile != nil { name += " (custom CA)" }
        if options.clientCertificateFile != nil { name += " (client cert)" }
        if options.proxy != nil { name += " (via proxy)" }
        return name
    }
}
