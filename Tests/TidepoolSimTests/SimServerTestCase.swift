import TidepoolSim
import XCTest

/// A test case with a fresh simulator on a free loopback port for every test.
class SimServerTestCase: XCTestCase {
    /// The running simulator.
    var server: SimServer!
    /// Its port on 127.0.0.1.
    var port = 0

    override func setUp() async throws {
        server = SimServer()
        port = try await server.start()
    }

    override func tearDown() async throws {
        await server.stop()
    }
}
