import CCurlShim

#if canImport(Glibc)
import Glibc
#endif

/// What a selector watches a descriptor for, and what it reports as ready.
struct SelectorEvents: OptionSet, Hashable {
    let rawValue: Int32

    /// Readable (or the peer closed).
    static let read = SelectorEvents(rawValue: Int32(TP_EVENT_IN))
    /// Writable.
    static let write = SelectorEvents(rawValue: Int32(TP_EVENT_OUT))
    /// An error or hang-up (reported only, never asked for).
    static let error = SelectorEvents(rawValue: Int32(TP_EVENT_ERROR))
}

/// A change to the set of watched descriptors (`epoll_ctl`'s operations).
enum SelectorOperation {
    case add
    case modify
    case remove

    fileprivate var shimValue: Int32 {
        switch self {
        case .add: Int32(TP_EPOLL_ADD)
        case .modify: Int32(TP_EPOLL_MODIFY)
        case .remove: Int32(TP_EPOLL_REMOVE)
        }
    }
}

/// The network thread's wait: an epoll instance plus an eventfd that other threads write to
/// when they post work (modelled on swift-nio's `SelectorEpoll.swift`).
///
/// Owned by the ``NetworkThread``: every method runs on it except ``wakeUp()``, which any
/// thread may call (one `write(2)` on a descriptor fixed at init).
final class EpollSelector {
    private let epollFD: Int32
    private let wakeFD: Int32
    private var readyFDs: [Int32]
    private var readyEvents: [Int32]

    /// How many readiness events one wait returns at most (the shim's buffer holds 64).
    static let capacity: Int32 = 64

    /// Creates the epoll instance and the wake-up eventfd. Throws (rather than keeping a -1
    /// that `epoll_wait` would fail on at once, forever) when the system refuses either.
    init() throws(PoolSetupError) {
        let epoll = tp_epoll_create()
        guard epoll >= 0 else { throw .system(call: "epoll_create1", errno: tp_errno()) }
        let wake = tp_eventfd_create()
        guard wake >= 0 else {
            let error = tp_errno()
            close(epoll)
            throw .system(call: "eventfd", errno: error)
        }
        guard tp_epoll_control(epoll, Int32(TP_EPOLL_ADD), wake, Int32(TP_EVENT_IN)) == 0 else {
            let error = tp_errno()
            close(epoll)
            close(wake)
            throw .system(call: "epoll_ctl", errno: error)
        }
        epollFD = epoll
        wakeFD = wake
        readyFDs = Array(repeating: 0, count: Int(Self.capacity))
        readyEvents = Array(repeating: 0, count: Int(Self.capacity))
    }

    deinit {
        close(epollFD)
        close(wakeFD)
    }

    /// Applies `operation` to `fd`; returns 0 or the `errno` of the failure.
    @discardableResult
    func apply(_ operation: SelectorOperation, _ fd: Int32, _ events: SelectorEvents = []) -> Int32 {
        tp_epoll_control(epollFD, operation.shimValue, fd, events.rawValue) == 0 ? 0 : tp_errno()
    }

    /// Watches `fd` for `events`, whether or not epoll knows it already (libcurl may reuse a
    /// descriptor number the kernel already dropped from the set, or not).
    func watch(_ fd: Int32, for events: SelectorEvents, known: Bool) {
        if known {
            if apply(.modify, fd, events) == ENOENT { apply(.add, fd, events) }
        } else if apply(.add, fd, events) == EEXIST {
            apply(.modify, fd, events)
        }
    }

    /// Waits up to `timeoutMilliseconds` (-1: no limit) and calls `ready` for each descriptor
    /// that became ready; wake-ups from ``wakeUp()`` are drained here and not reported.
    /// An interrupted wait (`EINTR`) simply returns; any other failure throws, so the loop
    /// stops instead of spinning on a wait that fails at once.
    func wait(timeoutMilliseconds: Int32, _ ready: (Int32, SelectorEvents) -> Void) throws(PoolSetupError) {
        let count = tp_epoll_wait(epollFD, &readyFDs, &readyEvents, Self.capacity, timeoutMilliseconds)
        if count < 0 {
            let error = tp_errno()
            if error == EINTR { return }
            throw .system(call: "epoll_wait", errno: error)
        }
        for index in 0..<Int(count) {
            let fd = readyFDs[index]
            if fd == wakeFD {
                var value: UInt64 = 0
                _ = read(wakeFD, &value, 8)
                continue
            }
            ready(fd, SelectorEvents(rawValue: readyEvents[index]))
        }
    }

    /// Waits up to `timeoutMilliseconds` for a ``wakeUp()`` only: the sockets stay unread and
    /// the wake-up undrained, so the next ``wait(timeoutMilliseconds:_:)`` returns at once
    /// with it (pacing, `NetworkThread+Pacing.swift`). An interrupted or failed `poll` simply
    /// returns: the next wait reports any real failure.
    func waitForWakeUp(timeoutMilliseconds: Int32) {
        var request = pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)
        _ = poll(&request, 1, timeoutMilliseconds)
    }

    /// Makes a current or the next ``wait(timeoutMilliseconds:_:)`` return. Any thread.
    func wakeUp() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }
}
