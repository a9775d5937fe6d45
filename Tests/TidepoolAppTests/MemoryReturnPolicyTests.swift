import XCTest

@testable import TidepoolApp

final class MemoryReturnPolicyTests: XCTestCase {
    /// The shim compiles to a no-op where it cannot see glibc (it once did on glibc too, when
    /// `__GLIBC__` was tested before any header defined it): on Linux the call must take effect.
    func testTheThresholdIsFixedOnGlibc() {
        #if os(Linux)
        XCTAssertTrue(MemoryReturnPolicy.apply())
        #endif
    }
}
