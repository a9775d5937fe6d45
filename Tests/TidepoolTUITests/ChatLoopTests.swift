import Foundation
import TidepoolChat
import TidepoolPool
import TidepoolProviders
import TidepoolTUI
import XCTest

/// The chat loop itself, over the in-memory terminal: keys go through the key map and the
/// program, effects come back to the loop as the host, and frames show the result. No tmux.
final class ChatLoopTests: XCTestCase {
    private var pool: PoolManager!

    override func setUp() { pool = PoolManager() }
    override func tearDown() { pool.shutdown() }

    private func keys(_ text: String) -> [[Key]] { [text.map { Key.character($0) }] }

    /// A loop over `terminal` on `state`; panes on an unknown provider fail at once, so
    /// nothing leaves the machine.
    private func loop(_ state: AppState, _ terminal: MemoryTerminal, environment: [String: String] = [:]) -> ChatLoop {
        let inbox = ChatLoop.Inbox(wake: {})
        let catalog = ProviderCatalog.builtIn()
        let runtime = ChatRuntime(directory: catalog.directory(transport: pool), pool: pool) { inbox.post($0) }
        let program = ChatProgram(state: state, recorder: HistoryRecorder(disabledBecause: "--no-history"),
                                  runtime: runtime, resolveModel: { text in try catalog.parse(text) })
        let pool = self.pool!
        return ChatLoop(program: program, terminal: terminal, inbox: inbox, poolStats: { pool.stats() },
                        themes: ThemeCatalog(directories: []), stopRequested: ChatLoop.StopRequest(),
                        environment: environment)
    }

    private func text(_ screen: Screen?) -> String { screen?.lines.joined(separator: "\n") ?? "" }

    func testTypedPromptIsSentAndItsFailureShownThenRecalledWithUp() {
        let terminal = MemoryTerminal(width: 100, height: 24)
        terminal.script = keys("hello there") + [[.enter]]
        var idleFrames: [String] = []
        terminal.onIdle = { terminal in
            idleFrames.append(self.text(terminal.lastFrame))
            return idleFrames.count == 1 ? [.arrow(.up, [])] : [.control("q")]
        }
        let chat = loop(AppState(panes: AppState.panes([("nosuch", "model-x")])), terminal)
        chat.run()
        XCTAssertEqual(idleFrames.count, 2)
        XCTAssertTrue(idleFrames[0].contains("› hello there"), idleFrames[0])
        XCTAssertTrue(idleFrames[0].contains("nosuch"), "the pane shows why it failed:\n\(idleFrames[0])")
        XCTAssertEqual(chat.program.state.panes[0].status, .error)
        XCTAssertEqual(chat.program.state.input.editor.text, "hello there", "Up recalls the prompt")
        XCTAssertTrue(idleFrames[1].contains("hello there"))
    }

    func testTheModelPickerTitleAndAnswerOpenAPane() {
        let terminal = MemoryTerminal(width: 100, height: 24)
        terminal.script = [[.alt("n")]]
        var frames: [String] = []
        terminal.onIdle = { terminal in
            frames.append(self.text(terminal.lastFrame))
            switch frames.count {
            case 1: return [.paste("nosuch2:x"), .enter]
            case 2: return [.control("u"), .paste("sim:sim-fast"), .enter]
            default: return [.control("q")]
            }
        }
        let chat = loop(AppState(panes: AppState.panes([("nosuch", "model-x")])), terminal)
        chat.run()
        XCTAssertTrue(frames[0].contains("✎ new pane: PROVIDER:MODEL"), frames[0])
        XCTAssertTrue(frames[0].contains(InputView.oneOffPlaceholder), frames[0])
        XCTAssertTrue(frames[1].contains("nosuch2"), "rejected and asked again:\n\(frames[1])")
        XCTAssertEqual(chat.program.state.panes.map(\.label), ["nosuch:model-x", "sim:sim-fast"])
        XCTAssertEqual(chat.program.state.input.mode, .prompt)
        XCTAssertTrue(frames[2].contains("2 sim:sim-fast"), frames[2])
    }

    func testAltERunsTheEditorInTheForegroundAndTakesItsText() throws {
        let terminal = MemoryTerminal(width: 100, height: 24)
        terminal.script = keys("draft") + [[.alt("e")]]
        terminal.foregroundProgram = { arguments in
            // /bin/sh -c 'EDITOR "$1"' sh FILE: the editor edits FILE.
            let file = arguments[4]
            let before = (try? String(contentsOfFile: file, encoding: .utf8)) ?? "?"
            try? Data("\(before) edited\n\n".utf8).write(to: URL(fileURLWithPath: file))
            return 0
        }
        let chat = loop(AppState(panes: AppState.panes([("nosuch", "m")])), terminal, environment: ["EDITOR": "fake-editor"])
        chat.run()
        XCTAssertEqual(terminal.ranInForeground.count, 1)
        XCTAssertEqual(Array(terminal.ranInForeground[0].prefix(3)), ["/bin/sh", "-c", "fake-editor \"$1\""])
        XCTAssertEqual(chat.program.state.input.editor.text, "draft edited")
        XCTAssertEqual(chat.program.state.notice, "draft taken from fake-editor")
        XCTAssertFalse(FileManager.default.fileExists(atPath: terminal.ranInForeground[0][4]), "the draft file is removed")
    }

    func testAFailedEditorLeavesTheDraft() {
        let terminal = MemoryTerminal(width: 100, height: 24)
        terminal.script = keys("keep me") + [[.alt("e")]]
        terminal.foregroundProgram = { _ in 1 }
        let chat = loop(AppState(panes: AppState.panes([("nosuch", "m")])), terminal, environment: ["VISUAL": "ed"])
        chat.run()
        XCTAssertEqual(chat.program.state.input.editor.text, "keep me")
        XCTAssertEqual(chat.program.state.notice, "the editor (ed) exited with status 1; the draft is unchanged")
    }

    /// Issue 8 defect 3: Alt-C copies what the screen shows, never hidden sequences.
    func testAltCCopiesTheSanitisedAnswer() throws {
        var state = AppState(panes: AppState.panes([("nosuch", "m")]))
        state.panes[0].turns = [
            Turn(id: 1, role: .user, text: "hi"),
            Turn(id: 2, role: .assistant, text: "safe\u{1B}[201~rm -rf ~\u{1B}]52;c;ZXZpbA==\u{07} text", status: .done),
        ]
        let terminal = MemoryTerminal(width: 100, height: 24)
        terminal.script = [[.alt("c")]]
        loop(state, terminal).run()
        XCTAssertEqual(terminal.controls.count, 1)
        let control = try XCTUnwrap(terminal.controls.first)
        XCTAssertTrue(control.hasPrefix("\u{1B}]52;c;") && control.hasSuffix("\u{07}"), control)
        let payload = String(control.dropFirst(7).dropLast())
        let copied = String(decoding: try XCTUnwrap(Data(base64Encoded: payload)), as: UTF8.self)
        XCTAssertEqual(copied, "saferm -rf ~ text")
        XCTAssertFalse(copied.contains("\u{1B}"))
    }

    func testCtrlTCyclesThemesLoadedByName() {
        let terminal = MemoryTerminal(width: 80, height: 20)
        terminal.script = [[.control("t")]]
        let chat = loop(AppState(panes: AppState.panes([("nosuch", "m")]), theme: "tidepool-dark"), terminal)
        chat.run()
        // Only the built-in theme exists here: the cycle comes back to it.
        XCTAssertEqual(chat.program.state.themeNames, ["tidepool-dark"])
        XCTAssertEqual(chat.program.state.theme, "tidepool-dark")
        XCTAssertEqual(chat.program.state.notice, "theme: tidepool-dark")
    }
}
