import TidepoolChat
import TidepoolTUI
import XCTest

final class KeyMapTests: XCTestCase {
    private let plain = KeyMap.Context()

    private func action(_ key: Key, _ context: KeyMap.Context = KeyMap.Context()) -> String {
        String(describing: KeyMap.action(for: key, in: context))
    }

    private func message(_ message: AppMessage) -> String { String(describing: KeyAction.message(message)) }

    func testEveryUnconditionalBindingMapsToItsListedAction() {
        for binding in KeyMap.bindings where !binding.isConditional {
            for key in binding.keys {
                XCTAssertEqual(action(key), String(describing: binding.action), "\(binding.names) (\(key))")
            }
        }
    }

    func testNoKeyIsClaimedTwice() {
        var seen: [Key: String] = [:]
        for binding in KeyMap.bindings {
            for key in binding.keys {
                XCTAssertNil(seen[key], "\(key) is bound by both \(seen[key] ?? "") and \(binding.names)")
                seen[key] = binding.names
            }
        }
    }

    func testCommandsAndCallerActions() {
        XCTAssertEqual(action(.enter), String(describing: KeyAction.submit))
        XCTAssertEqual(action(.tab), message(.focusNext))
        XCTAssertEqual(action(.backTab), message(.focusPrevious))
        XCTAssertEqual(action(.alt("3")), message(.focus(2)))
        XCTAssertEqual(action(.alt("9")), message(.focus(8)))
        XCTAssertEqual(action(.control("b")), message(.toggleBroadcast))
        XCTAssertEqual(action(.control("p")), message(.togglePanel))
        XCTAssertEqual(action(.function(11)), message(.toggleZoom))
        XCTAssertEqual(action(.alt("z")), message(.toggleZoom))
        XCTAssertEqual(action(.control("x")), message(.cancelAll))
        XCTAssertEqual(action(.control("r")), message(.retryLast))
        XCTAssertEqual(action(.control("l")), message(.clearFocused))
        XCTAssertEqual(action(.alt("w")), message(.closeFocused))
        XCTAssertEqual(action(.alt("c")), message(.copyLastAnswer))
        XCTAssertEqual(action(.alt("l")), message(.toggleScrollLock))
        XCTAssertEqual(action(.alt("r")), message(.toggleReasoning))
        XCTAssertEqual(action(.function(2)), message(.toggleComparison))
        XCTAssertEqual(action(.alt("k")), message(.toggleComparison))
        XCTAssertEqual(action(.control("q")), message(.requestQuit))
        XCTAssertEqual(action(.control("c")), message(.requestQuit))
        XCTAssertEqual(action(.alt("n")), String(describing: KeyAction.openModelPicker(.newPane)))
        XCTAssertEqual(action(.alt("m")), String(describing: KeyAction.openModelPicker(.changeModel)))
        XCTAssertEqual(action(.alt("s")), String(describing: KeyAction.editSystemPrompt(allPanes: false)))
        XCTAssertEqual(action(.alt("S")), String(describing: KeyAction.editSystemPrompt(allPanes: true)))
        XCTAssertEqual(action(.alt("a")), String(describing: KeyAction.editSystemPrompt(allPanes: true)))
        XCTAssertEqual(action(.alt("e")), String(describing: KeyAction.openExternalEditor))
        XCTAssertEqual(action(.alt("h")), String(describing: KeyAction.searchHistory))
        XCTAssertEqual(action(.alt("t")), String(describing: KeyAction.renameSession))
        XCTAssertEqual(action(.control("t")), String(describing: KeyAction.nextTheme))
    }

    func testEditorKeepsItsOwnKeys() {
        let edit = String(describing: KeyAction.edit)
        for key: Key in [
            .character("a"), .control("j"), .control("w"), .control("y"), .control("e"), .control("a"),
            .control("k"), .control("u"), .alt("b"), .alt("f"), .arrow(.up, []), .arrow(.down, []),
            .backspace, .delete, .paste("pasted"), .home([]),
        ] {
            XCTAssertEqual(action(key), edit, "\(key)")
        }
    }

    func testContextDependentKeys() {
        let draft = KeyMap.Context(draftIsEmpty: false)
        XCTAssertEqual(action(.character("?")), message(.toggleHelp))
        XCTAssertEqual(action(.character("?"), draft), String(describing: KeyAction.edit))
        XCTAssertEqual(action(.function(1), draft), message(.toggleHelp))
        XCTAssertEqual(action(.end([])), message(.scrollToBottom))
        XCTAssertEqual(action(.end([]), draft), String(describing: KeyAction.edit))
        XCTAssertEqual(action(.end([.control]), draft), message(.scrollToBottom))
        XCTAssertEqual(action(.escape), message(.cancelFocused))
        XCTAssertEqual(action(.pageUp, KeyMap.Context(pageLines: 7)), message(.scroll(lines: 7)))
        XCTAssertEqual(action(.pageDown, KeyMap.Context(pageLines: 7)), message(.scroll(lines: -7)))
        XCTAssertEqual(action(.pageUp, KeyMap.Context(pageLines: 0)), message(.scroll(lines: 1)))
        XCTAssertEqual(action(.wheelUp), message(.scroll(lines: 3)))
        XCTAssertEqual(action(.wheelDown), message(.scroll(lines: -3)))
        XCTAssertEqual(action(.resize), String(describing: KeyAction.ignore))
    }

    func testOverlaysCloseAndSwallowOtherKeys() {
        let help = KeyMap.Context(helpVisible: true)
        for key: Key in [.escape, .function(1), .character("?")] {
            XCTAssertEqual(action(key, help), message(.toggleHelp), "\(key)")
        }
        XCTAssertEqual(action(.character("a"), help), String(describing: KeyAction.ignore))
        XCTAssertEqual(action(.control("q"), help), message(.requestQuit))
        let comparison = KeyMap.Context(comparisonVisible: true)
        for key: Key in [.escape, .function(2), .alt("k")] {
            XCTAssertEqual(action(key, comparison), message(.toggleComparison), "\(key)")
        }
        XCTAssertEqual(action(.enter, comparison), String(describing: KeyAction.ignore))
    }

    func testQuitConfirmation() {
        let asking = KeyMap.Context(confirmingQuit: true)
        XCTAssertEqual(action(.character("y"), asking), message(.confirmQuit))
        XCTAssertEqual(action(.character("Y"), asking), message(.confirmQuit))
        XCTAssertEqual(action(.character("n"), asking), message(.dismissQuit))
        XCTAssertEqual(action(.escape, asking), message(.dismissQuit))
        XCTAssertEqual(action(.control("q"), asking), message(.dismissQuit))
    }

    func testContextFromState() {
        var state = AppState(panes: [])
        state.helpVisible = true
        state.confirmingQuit = true
        let context = KeyMap.Context(state: state, draftIsEmpty: false, pageLines: 5)
        XCTAssertEqual(context, KeyMap.Context(helpVisible: true, confirmingQuit: true, draftIsEmpty: false, pageLines: 5))
    }
}
