import Foundation
import TestSupport
import XCTest

/// Issue 13 "Resend, branch, reuse" keys driven in tmux on the simulator: `@path` attachments
/// (and a missing file giving the prompt back), Alt-P edit-and-resend, Alt-O code-block copy.
final class ResendAndReuseEndToEndTests: XCTestCase {
    private var home: URL!

    override func setUpWithError() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("tidepool-reuse-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: home)
    }

    private func session(_ arguments: String) throws -> TmuxSession {
        try TmuxSession.tidepool(arguments, home: home.path, in: home.path)
    }

    func testAttachResendAndCopyACodeBlockFromTheKeys() throws {
        try "tidal notes\n".write(to: home.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let tmux = try session("-m sim:sim-fast:instant")
        defer { tmux.stop() }
        tmux.wait { $0.contains("sim:sim-fast") }

        // A missing file: a message naming it, and the prompt back in the input box.
        tmux.type("Read @missing.txt")
        tmux.press("Enter")
        var screen = tmux.wait { $0.contains("no such file") }
        XCTAssertTrue(screen.contains("@missing.txt: no such file"), screen)
        XCTAssertTrue(screen.contains("Read @missing.txt"), "the prompt was lost:\n\(screen)")
        tmux.press("C-u")

        // An attachment relative to the working folder: sent, and listed under the prompt.
        tmux.type("Summarise @notes.txt")
        tmux.press("Enter")
        screen = tmux.wait(timeout: 20) { $0.contains("tok/s") }
        XCTAssertTrue(screen.contains("+ notes.txt (12 B)"), screen)

        // Alt-P: the last prompt comes back to edit; Enter sends it in place of the exchange.
        tmux.press("M-p")
        screen = tmux.wait { $0.contains("resend to pane 1") }
        XCTAssertTrue(screen.contains("Summarise @notes.txt"), screen)
        tmux.press("C-u")
        tmux.type("Explain connection pooling")
        tmux.press("Enter")
        screen = tmux.wait(timeout: 20) { $0.contains("sent again") && $0.contains("tok/s") }
        XCTAssertTrue(screen.contains("Explain connection pooling"), screen)
        // The replaced exchange is above the new answer: scroll up to it.
        screen = tmux.wait { screen in
            if screen.contains("replaced by the resend below") { return true }
            tmux.press("PPage")
            return false
        }
        XCTAssertTrue(screen.contains("replaced by the resend below"), screen)
        XCTAssertTrue(screen.contains("Summarise @notes.txt"), screen)
        tmux.press("C-End")

        // Alt-O: copies the answer's code block, asks which, or says there is none.
        tmux.press("M-o")
        screen = tmux.wait { $0.contains("code block") }
        XCTAssertTrue(screen.contains("copied code block") || screen.contains("copy which code block")
                      || screen.contains("no code block in the last answer"), screen)

        tmux.press("Escape")
        tmux.press("C-q")
        XCTAssertTrue(tmux.wait { $0.contains("TIDEPOOL-EXITED") }.contains("TIDEPOOL-EXITED-0"))
    }
}
