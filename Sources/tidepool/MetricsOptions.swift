import ArgumentParser
import TidepoolStore

/// `--metrics-listen` and `--metrics-allow-remote`, shared by `chat` and `compare`.
struct MetricsOptions: ParsableArguments {
    @Option(name: .customLong("metrics-listen"), help: ArgumentHelp(
        "Serve the pool's numbers for Prometheus at http://HOST:PORT/metrics while this runs "
            + "(overrides the config's [metrics] listen). Loopback only unless --metrics-allow-remote.",
        valueName: "host:port"))
    var listen: String?

    @Flag(name: .customLong("metrics-allow-remote"), help: ArgumentHelp(
        "Let --metrics-listen name a non-loopback address (the metrics name every server you talk to)."))
    var allowRemote = false

    func validate() throws {
        if let listen {
            do {
                _ = try MetricsListenAddress(parsing: listen, allowRemote: allowRemote)
            } catch {
                throw ValidationError("--metrics-listen: \(error)")
            }
        }
    }

    /// The address to serve on: the command line's, else the config's, else none.
    func address(config: TidepoolConfig) -> MetricsListenAddress? {
        if let listen, let parsed = try? MetricsListenAddress(parsing: listen, allowRemote: allowRemote) {
            return parsed
        }
        return config.metricsListen
    }
}
