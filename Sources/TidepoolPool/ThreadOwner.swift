#if canImport(Glibc)
import Glibc
#endif

/// Which thread owns an object, checked in debug builds only (the idea of swift-nio's
/// `NIOLoopBound`, as an assertion): a call from another thread stops a debug build at the
/// call site; a release build never checks and never traps.
struct ThreadOwner {
    private var owner: pthread_t?

    /// Makes the calling thread the owner.
    mutating func claim() {
        owner = pthread_self()
    }

    /// Asserts (debug builds only) that the calling thread is the owner, once one claimed it.
    func assertOwned(_ what: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line) {
        assert(isOwnedOrUnclaimed, "\(what()) used off its owning thread", file: file, line: line)
    }

    /// True on the owning thread, or before any thread claimed ownership.
    var isOwnedOrUnclaimed: Bool {
        guard let owner else { return true }
        return pthread_equal(owner, pthread_self()) != 0
    }
}
