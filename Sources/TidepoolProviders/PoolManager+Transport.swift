import TidepoolPool

/// The shared pool is the transport every provider uses in the app.
extension PoolManager: Transport {}
