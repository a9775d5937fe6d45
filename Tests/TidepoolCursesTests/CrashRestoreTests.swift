import CCursesShim
import Foundation
import TidepoolCurses
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// Issue 8 defect 8: a crash while the screen is open leaves the terminal as it was. A child
/// process (this test binary, running only this test with the pty's name in its environment)
/// takes over a pty with `CursesTerminal`, reports the raw settings curses set, and dies of
/// SIGSEGV; the pty's settings afterwards must be the ones from before, and the reset sequence
/// (bracketed paste off) must have been written.
final class CrashRestoreTests: XCTestCase {
    private static let childVariable = "TIDEPOOL_CRASH_TEST_PTY"

    func testAFatalSignalRestoresTheTerminalSettings() throws {
        if let path = ProcessInfo.processInfo.environment[Self.childVariable] {
            Self.crashOnTerminal(path)  // the child: never returns
        }
        var master: Int32 = 0
        var slave: Int32 = 0
        guard tp_openpty(&master, &slave, 24, 80) == 0 else { throw XCTSkip("no pty available") }
        defer { close(master); close(slave) }
        var before = termios()
        XCTAssertEqual(tcgetattr(slave, &before), 0)
        XCTAssertNotEqual(before.c_lflag & tcflag_t(ICANON), 0, "a new pty starts in canonical mode")
        let name = String(cString: ttyname(slave))

        let child = Process()
        child.executableURL = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        child.arguments = ["TidepoolCursesTests.CrashRestoreTests/testAFatalSignalRestoresTheTerminalSettings"]
        var environment = ProcessInfo.processInfo.environment
        environment[Self.childVariable] = name
        environment["SWIFT_BACKTRACE"] = "enable=no"
        child.environment = environment
        let report = Pipe()
        child.standardError = report
        child.standardOutput = FileHandle.nullDevice
        try child.run()
        // Keep the pty drained so curses never blocks on a full buffer.
        var written: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while child.isRunning || Self.readable(master) {
            if Self.readable(master) {
                let n = read(master, &buffer, buffer.count)
                if n > 0 { written += buffer[0..<n] } else { break }
            }
        }
        child.waitUntilExit()
        let stderr = String(decoding: report.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)

        XCTAssertEqual(child.terminationReason, .uncaughtSignal, stderr)
        XCTAssertEqual(child.terminationStatus, SIGSEGV, stderr)
        XCTAssertTrue(stderr.contains("raw: icanon=0"), "curses had switched canonical mode off:\n\(stderr)")
        var after = termios()
        XCTAssertEqual(tcgetattr(slave, &after), 0)
        XCTAssertEqual(after.c_lflag, before.c_lflag, "local modes (ICANON, ECHO, ISIG) restored")
        XCTAssertEqual(after.c_iflag, before.c_iflag, "input modes restored")
        XCTAssertEqual(after.c_oflag, before.c_oflag, "output modes restored")
        let output = String(decoding: written, as: UTF8.self)
        XCTAssertTrue(output.contains("\u{1B}[?2004h"), "the screen had switched bracketed paste on")
        let reset = try XCTUnwrap(output.range(of: "\u{1B}[?2004l\u{1B}[?1000l"), "reset written by the handler")
        XCTAssertTrue(output[reset.upperBound...].contains("\u{1B}[?25h"), "cursor shown again")
    }

    private static func readable(_ fd: Int32) -> Bool {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 20) > 0 && descriptor.revents & Int16(POLLIN) != 0
    }

    private static func crashOnTerminal(_ path: String) -> Never {
        let fd = open(path, O_RDWR | O_NOCTTY)
        guard fd >= 0, let terminal = try? CursesTerminal(term: "xterm", inputFD: fd, outputFD: fd, environment: [:])
        else {
            FileHandle.standardError.write(Data("cannot open the screen on \(path)\n".utf8))
            exit(3)
        }
        var settings = termios()
        _ = tcgetattr(fd, &settings)
        FileHandle.standardError.write(Data("raw: icanon=\(settings.c_lflag & tcflag_t(ICANON) == 0 ? 0 : 1)\n".utf8))
        withExtendedLifetime(terminal) { _ = raise(SIGSEGV) }
        exit(4)
    }
}
