import CCursesShim
import Foundation
import XCTest

extension CLIRunner {
    /// Runs `tidepool arguments...` with standard output and error on a pseudo-terminal (so
    /// `isatty` is true for both, as for a person at a terminal) and returns every byte the
    /// terminal received. The line discipline turns `\n` into `\r\n`.
    func runOnTerminal(_ arguments: [String], timeout: TimeInterval = 20,
                       file: StaticString = #filePath, line: UInt = #line) throws -> (status: Int32, output: [UInt8]) {
        var master: Int32 = -1
        var slave: Int32 = -1
        guard tp_openpty(&master, &slave, 24, 200) == 0 else { throw XCTSkip("no pty available") }
        defer { close(master) }
        let terminal = FileHandle(fileDescriptor: slave, closeOnDealloc: true)
        let process = try start(arguments, standardOutput: terminal, standardError: terminal)
        // Our copy of the slave closes now, so the master reads EIO once the child is gone.
        try terminal.close()
        let collected = Collected()
        let masterFD = master
        let reader = Thread {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = read(masterFD, &buffer, buffer.count)
                if count > 0 {
                    collected.append(buffer[0..<count])
                } else if count < 0 && errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            collected.finish()
        }
        reader.start()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning {
            process.terminate()
            XCTFail("tidepool \(arguments.joined(separator: " ")) did not finish in \(timeout) s", file: file, line: line)
        }
        process.waitUntilExit()
        collected.waitUntilFinished()
        return (process.terminationStatus, collected.bytes)
    }
}

/// Bytes read on the reader thread, handed to the test thread once the terminal closed.
private final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var data: [UInt8] = []
    private let done = DispatchSemaphore(value: 0)

    func append(_ bytes: ArraySlice<UInt8>) {
        lock.lock()
        data += bytes
        lock.unlock()
    }

    func finish() { done.signal() }

    func waitUntilFinished() { done.wait() }

    var bytes: [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        return data
    }
}
