import Foundation
import TidepoolChat
import TidepoolProviders
import TidepoolStore
import XCTest

/// Resend (branch), `@path` attachments and code-block copy in the pure update function.
final class ResendAndReuseTests: XCTestCase {
    private func twoPanes(broadcast: Bool = false) -> AppState {
        AppState(panes: AppState.panes([("sim", "sim-fast"), ("sim-ollama", "sim-steady")]), broadcast: broadcast)
    }

    private func starts(_ effects: [AppEffect]) -> [(pane: Int, id: Int, request: ChatRequest)] {
        effects.compactMap {
            if case .startChat(let pane, let id, _, let request) = $0 { return (pane, id, request) }
            return nil
        }
    }

    /// Sends `prompt` and completes each started answer with `answer`.
    private func exchange(_ prompt: String, answer: String, _ state: inout AppState) {
        for start in starts(ChatApp.update(&state, .submit(prompt))) {
            _ = ChatApp.update(&state, .chatEvent(pane: start.pane, request: start.id, .textDelta(answer)))
            _ = ChatApp.update(&state, .chatEnded(pane: start.pane, request: start.id))
        }
    }

    private func typeAndEnter(_ text: String, _ state: inout AppState) -> [AppEffect] {
        state.input.editor.setText(text)
        return ChatApp.update(&state, .submitInput)
    }

    // MARK: Resend

    func testResendReplacesTheLastExchangeInTheContext() throws {
        var state = twoPanes()
        exchange("What is TCP?", answer: "A transport protocol.", &state)
        exchange("Shorter please", answer: "Transport.", &state)

        _ = ChatApp.update(&state, .beginResend)
        XCTAssertEqual(state.input.mode, .resend(allPanes: false))
        XCTAssertEqual(state.input.editor.text, "Shorter please")
        let started = starts(typeAndEnter("One word please", &state))

        XCTAssertEqual(started.count, 1)
        XCTAssertEqual(started[0].request.messages, [
            ChatMessage(role: .user, text: "What is TCP?"),
            ChatMessage(role: .assistant, text: "A transport protocol."),
            ChatMessage(role: .user, text: "One word please"),
        ])
        // The earlier exchange is still there, marked superseded; the first one is not.
        let turns = state.panes[0].turns
        XCTAssertEqual(turns.map(\.text), ["What is TCP?", "A transport protocol.", "Shorter please", "Transport.",
                                           "One word please", ""])
        XCTAssertEqual(turns.map(\.superseded), [false, false, true, true, false, false])
        XCTAssertTrue(turns[4].replacesLastExchange)
        XCTAssertEqual(state.input.mode, .prompt)
        XCTAssertEqual(state.panes[1].turns, [], "without broadcast only the focused pane resends")

        // A second resend replaces the resent exchange, never the first one.
        _ = ChatApp.update(&state, .chatEvent(pane: started[0].pane, request: started[0].id, .textDelta("Transport")))
        _ = ChatApp.update(&state, .chatEnded(pane: started[0].pane, request: started[0].id))
        _ = ChatApp.update(&state, .beginResend)
        let again = starts(typeAndEnter("Two words", &state))
        XCTAssertEqual(again[0].request.messages.map(\.text), ["What is TCP?", "A transport protocol.", "Two words"])
    }

    func testResendWithBroadcastGoesToEveryPaneAndEscKeepsTheDraft() {
        var state = twoPanes(broadcast: true)
        exchange("hello", answer: "hi", &state)
        state.input.editor.setText("half-typed draft")
        _ = ChatApp.update(&state, .beginResend)
        XCTAssertEqual(state.input.editor.text, "hello")
        _ = ChatApp.update(&state, .cancelInput)
        XCTAssertEqual(state.input.editor.text, "half-typed draft")

        _ = ChatApp.update(&state, .beginResend)
        XCTAssertEqual(ChatApp.inputTitle(state), "resend to every pane (replaces the last exchange)")
        let started = starts(typeAndEnter("hello again", &state))
        XCTAssertEqual(started.map(\.pane), [1, 2])
        for start in started { XCTAssertEqual(start.request.messages.map(\.text), ["hello again"]) }
        XCTAssertEqual(state.input.editor.text, "half-typed draft", "the draft comes back after the resend")
    }

    func testResendWithNothingSentSaysSo() {
        var state = twoPanes()
        _ = ChatApp.update(&state, .beginResend)
        XCTAssertEqual(state.input.mode, .prompt)
        XCTAssertEqual(state.notice, "nothing to resend yet: send a prompt first")
    }

    // MARK: Attachments

    func testAttachmentIsLoadedThenSentInAFrame() throws {
        var state = twoPanes()
        let effects = ChatApp.update(&state, .submit("summarise @notes.txt please"))
        XCTAssertEqual(effects, [.loadAttachments(prompt: "summarise @notes.txt please",
                                                  references: [.init(path: "notes.txt")], resend: false)])
        XCTAssertEqual(state.panes[0].turns, [], "nothing is sent before the file is read")

        let file = StoredAttachment(name: "notes.txt", content: "line 1\n")
        let started = starts(ChatApp.update(&state, .submitWithAttachments("summarise @notes.txt please", [file], resend: false)))
        XCTAssertEqual(started[0].request.messages, [ChatMessage(
            role: .user,
            text: "summarise @notes.txt please\n\n--- file: notes.txt ---\n```\nline 1\n```\n--- end of file: notes.txt ---")])
        XCTAssertEqual(state.panes[0].turns[0].text, "summarise @notes.txt please", "the screen shows the prompt as typed")
        XCTAssertEqual(state.panes[0].turns[0].attachments, [file])
    }

    func testFailedAttachmentGivesThePromptBack() {
        var state = twoPanes()
        _ = ChatApp.update(&state, .attachmentsFailed("read @gone.txt", reason: "@gone.txt: no such file", resend: false))
        XCTAssertEqual(state.input.editor.text, "read @gone.txt")
        XCTAssertEqual(state.notice, "@gone.txt: no such file (the prompt is back in the input box)")
        XCTAssertEqual(state.panes[0].turns, [])
    }

    func testEscapedAtAndEmailSendAtOnce() {
        var state = twoPanes()
        let started = starts(ChatApp.update(&state, .submit("mail bob@example.com about @@property")))
        XCTAssertEqual(started.count, 1)
        XCTAssertEqual(started[0].request.messages.map(\.text), ["mail bob@example.com about @property"])
    }

    // MARK: Code blocks

    func testCopyCodeBlockPicksOneOrAsks() {
        var state = twoPanes()
        exchange("code", answer: "A:\n```sh\nls -l\n```\nB:\n```\necho \u{1B}]52;c;aGk=\u{07}hi\n```\n", &state)

        XCTAssertEqual(ChatApp.update(&state, .copyCodeBlock(1)), [.copyToClipboard("ls -l")])
        XCTAssertEqual(state.notice, "copied code block 1 of 2 (sh, 1 line)")

        XCTAssertEqual(ChatApp.update(&state, .copyCodeBlock(nil)), [])
        XCTAssertEqual(state.input.mode, .codeBlock)
        XCTAssertEqual(state.notice, "copy which code block? 1: sh, 1 line · 2: 1 line; type its number, Enter (Esc cancels)")
        // The raw block goes to the host, which puts only what the screen shows on the clipboard.
        XCTAssertEqual(typeAndEnter("2", &state), [.copyToClipboard("echo \u{1B}]52;c;aGk=\u{07}hi")])
        XCTAssertEqual(state.input.mode, .prompt)

        XCTAssertEqual(ChatApp.update(&state, .copyCodeBlock(3)), [])
        XCTAssertEqual(state.notice, "no code block 3: the last answer has 2 (1 to 2)")
    }

    func testCopyCodeBlockWithOneBlockCopiesAtOnceAndNoneSaysSo() {
        var state = twoPanes()
        exchange("q", answer: "plain words", &state)
        XCTAssertEqual(ChatApp.update(&state, .copyCodeBlock(nil)), [])
        XCTAssertEqual(state.notice, "no code block in the last answer (Alt-C copies the whole answer)")
        exchange("q2", answer: "```py\nprint(1)\n```", &state)
        XCTAssertEqual(ChatApp.update(&state, .copyCodeBlock(nil)), [.copyToClipboard("print(1)")])
    }
}
