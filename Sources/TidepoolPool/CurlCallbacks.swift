import CCurlShim

#if canImport(Glibc)
import Glibc
#endif

// libcurl's callbacks: C function pointers, so no captures; the context comes back as
// userdata. All of them run on the network thread, inside a libcurl call made there.
//
// Transfer callbacks get the ``Transfer`` unretained: the handle's own retain (taken in
// `CurlPool.start`, given back in `CurlPool.finish`) keeps it alive while libcurl may call.
// Pool callbacks get the ``CurlPool`` unretained: the pool outlives its multi handle.

/// Body bytes of a transfer.
let transferWriteCallback: tp_curl_data_callback = { data, size, count, userdata in
    let length = size * count
    guard let userdata else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(userdata).takeUnretainedValue()
    transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: length))
    return length
}

/// One header line of a transfer (status lines included).
let transferHeaderCallback: tp_curl_data_callback = { data, size, count, userdata in
    let length = size * count
    guard let userdata else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(userdata).takeUnretainedValue()
    transfer.receiveHeaderLine(UnsafeRawBufferPointer(start: data, count: length))
    return length
}

/// Opens a socket for libcurl and counts it for the pool, under the purpose of the request
/// that needs it. The context is the ``Transfer`` (libcurl asks while connecting for that
/// transfer, so the handle's retain keeps it alive); the close callback's context stays the
/// pool, since libcurl may close a cached connection long after its opener ended.
let poolOpenSocketCallback: tp_curl_opensocket_callback = { clientp, purpose, address in
    guard let clientp, let address else { return CURL_SOCKET_BAD }
    let transfer = Unmanaged<Transfer>.fromOpaque(clientp).takeUnretainedValue()
    guard let pool = transfer.pool else { return CURL_SOCKET_BAD }
    let fd = socket(address.pointee.family, address.pointee.socktype, address.pointee.protocol)
    guard fd >= 0 else { return CURL_SOCKET_BAD }
    pool.socketOpened(fd, for: transfer.request.purpose)
    return fd
}

/// Closes a socket for libcurl and counts it for the pool.
let poolCloseSocketCallback: tp_curl_closesocket_callback = { clientp, fd in
    if let clientp {
        Unmanaged<CurlPool>.fromOpaque(clientp).takeUnretainedValue().socketClosed(fd)
    }
    return close(fd)
}

/// libcurl asks the network thread to watch (or stop watching) a socket.
let multiSocketCallback: tp_curl_socket_callback = { _, fd, what, userp, _ in
    guard let userp else { return 0 }
    let pool = Unmanaged<CurlPool>.fromOpaque(userp).takeUnretainedValue()
    pool.thread.watch(fd, what: what, for: pool)
    return 0
}

/// libcurl asks to be called back after `timeoutMs` (-1: cancel the timer).
let multiTimerCallback: tp_curl_timer_callback = { _, timeoutMs, userp in
    guard let userp else { return 0 }
    let pool = Unmanaged<CurlPool>.fromOpaque(userp).takeUnretainedValue()
    pool.timerDeadline = timeoutMs < 0 ? nil : MonotonicClock.adding(Double(timeoutMs) / 1000, to: MonotonicClock.now())
    return 0
}
