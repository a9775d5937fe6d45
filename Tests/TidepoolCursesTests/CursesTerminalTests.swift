import CCursesShim
import Foundation
import TidepoolCurses
import TidepoolTUI
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// Drives real ncurses on a pseudo-terminal (no real terminal needed, and independent of the
/// host's $TERM: the test names its own terminfo entry).
final class CursesTerminalTests: XCTestCase {
    func readAvailable(_ fd: Int32) -> [UInt8] {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while poll(&descriptor, 1, 200) > 0 {
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            result += buffer[0..<n]
        }
        return result
    }

    /// Runs `body` with a curses screen on a fresh pseudo-terminal of `rows` x `columns` (the
    /// setup output already read), and its master side to read what the screen wrote.
    func withTerminal(rows: Int32, columns: Int32, _ body: (CursesTerminal, Int32) throws -> Void) throws {
        var master: Int32 = 0
        var slave: Int32 = 0
        guard tp_openpty(&master, &slave, rows, columns) == 0 else { throw XCTSkip("no pty available") }
        defer { close(master); close(slave) }
        let terminal = try CursesTerminal(term: "xterm-256color", inputFD: slave, outputFD: slave, environment: [:])
        defer { terminal.restore() }
        _ = readAvailable(master)
        try body(terminal, master)
    }

    func testPresentPaintsOnlyChangesAndKeysArrive() throws {
        var master: Int32 = 0
        var slave: Int32 = 0
        guard tp_openpty(&master, &slave, 10, 40) == 0 else { throw XCTSkip("no pty available") }
        defer { close(master); close(slave) }
        let terminal = try CursesTerminal(term: "xterm-256color", inputFD: slave, outputFD: slave, environment: [:])
        XCTAssertEqual(terminal.size.width, 40)
        XCTAssertEqual(terminal.size.height, 10)
        XCTAssertEqual(terminal.colorMode, .xterm256)
        let setup = String(decoding: readAvailable(master), as: UTF8.self)
        XCTAssertTrue(setup.contains("\u{1B}[?2004h"), "bracketed paste enabled")

        var screen = Screen(width: 40, height: 10)
        screen.put("hello 中文", x: 2, y: 1, style: Style(foreground: .indexed(111), attributes: .bold))
        terminal.present(screen)
        let first = String(decoding: readAvailable(master), as: UTF8.self)
        XCTAssertTrue(first.contains("hello"), first.debugDescription)
        XCTAssertTrue(first.contains("中文"))
        XCTAssertTrue(first.contains("38;5;111"), "256-colour foreground sent")

        screen.put("J", x: 2, y: 1, style: .plain)
        terminal.present(screen)
        let second = String(decoding: readAvailable(master), as: UTF8.self)
        XCTAssertTrue(second.contains("J"))
        XCTAssertFalse(second.contains("ello"), "unchanged cells are not repainted: \(second.debugDescription)")

        terminal.present(screen)
        XCTAssertFalse(String(decoding: readAvailable(master), as: UTF8.self).contains("J"))

        // Keys typed on the terminal side arrive decoded; a wake-up returns with no keys.
        var typed = Array("a\u{1B}[200~pasted\u{1B}[201~".utf8)
        _ = write(master, &typed, typed.count)
        var keys: [Key] = []
        for _ in 0..<10 where keys.count < 2 { keys += terminal.nextInput(timeoutMilliseconds: 200) }
        XCTAssertEqual(keys, [.character("a"), .paste("pasted")])
        terminal.waker.wake()
        let started = Date()
        XCTAssertEqual(terminal.nextInput(timeoutMilliseconds: 5000), [])
        XCTAssertLessThan(Date().timeIntervalSince(started), 2, "the wake-up ended the wait")

        terminal.restore()
        terminal.restore()  // idempotent
        XCTAssertTrue(String(decoding: readAvailable(master), as: UTF8.self).contains("\u{1B}[?2004l"))
    }

    /// `present` compares the two grids in place: a cluster of several code points reaches
    /// the terminal whole, and a wide character overwritten by two narrow ones is replaced by
    /// both (the second sits where the continuation was).
    func testPresentPaintsClustersAndReplacedWideCharacters() throws {
        try withTerminal(rows: 4, columns: 20) { terminal, master in
            var screen = Screen(width: 20, height: 4)
            screen.put("e\u{301}x", x: 0, y: 0, style: .plain)
            screen.put("中", x: 4, y: 0, style: .plain)
            terminal.present(screen)
            let first = readAvailable(master)
            XCTAssertTrue(first.contains([0x65, 0xCC, 0x81]), "e + combining acute sent as one cell: \(first)")
            XCTAssertTrue(String(decoding: first, as: UTF8.self).contains("中"))

            screen.put("ab", x: 4, y: 0, style: .plain)
            terminal.present(screen)
            let second = String(decoding: readAvailable(master), as: UTF8.self)
            XCTAssertTrue(second.contains("ab"), second.debugDescription)
            XCTAssertFalse(second.contains("x"), "unchanged cells are not repainted: \(second.debugDescription)")
        }
    }

    /// A wait in nanoseconds lasts that long (not a thousand times more or less: the chat loop
    /// waits for its frame with it).
    func testNanosecondWaitLastsItsTimeout() throws {
        try withTerminal(rows: 4, columns: 20) { terminal, _ in
            // A wait taken as milliseconds would last hours: a wake-up ends it after 3 s.
            let waker = terminal.waker
            DispatchQueue.global().asyncAfter(deadline: .now() + 3) { waker.wake() }
            let started = DispatchTime.now().uptimeNanoseconds
            XCTAssertEqual(terminal.nextInput(timeoutNanoseconds: 40_000_000), [])
            let elapsed = DispatchTime.now().uptimeNanoseconds - started
            XCTAssertGreaterThanOrEqual(elapsed, 40_000_000, "returned before its timeout")
            XCTAssertLessThan(elapsed, 2_500_000_000, "the timeout was not taken as nanoseconds")
        }
    }

    private func openDescriptors() throws -> Set<String> {
        Set(try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))
    }

    private func handler(of number: Int32) -> Int {
        var current = sigaction()
        _ = sigaction(number, nil, &current)
        return unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self)
    }

    /// Issue 8 defect 8: closing the screen closes the descriptors it duplicated (and its
    /// self-pipe) and gives SIGWINCH and the other signals curses took back their dispositions.
    func testRestoreClosesItsDescriptorsAndPutsSignalsBack() throws {
        var master: Int32 = 0
        var slave: Int32 = 0
        guard tp_openpty(&master, &slave, 10, 40) == 0 else { throw XCTSkip("no pty available") }
        defer { close(master); close(slave) }
        let signals = [SIGWINCH, SIGTSTP, SIGINT, SIGTERM]
        let handlersBefore = signals.map(handler(of:))
        let before = try openDescriptors()
        do {
            let terminal = try CursesTerminal(term: "xterm", inputFD: slave, outputFD: slave, environment: [:])
            XCTAssertGreaterThan(try openDescriptors().count, before.count, "the screen holds descriptors of its own")
            XCTAssertNotEqual(handler(of: SIGWINCH), handlersBefore[0], "SIGWINCH wakes the screen while it is open")
            terminal.restore()
            XCTAssertEqual(signals.map(handler(of:)), handlersBefore)
        }
        XCTAssertEqual(try openDescriptors(), before)
    }
}
