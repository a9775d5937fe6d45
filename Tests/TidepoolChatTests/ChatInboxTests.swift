import Synchronization
import TidepoolChat
import TidepoolProviders
import XCTest

final class ChatInboxTests: XCTestCase {
    private func texts(_ messages: [AppMessage]) -> [String] {
        messages.map { message in
            switch message {
            case .chatEvent(let pane, let request, .textDelta(let text)): "\(pane)/\(request) text \(text)"
            case .chatEvent(let pane, let request, .reasoningDelta(let text)): "\(pane)/\(request) reasoning \(text)"
            case .chatEvent(_, let request, .finish(let reason)): "\(request) finish \(reason ?? "-")"
            case .chatEnded(_, let request): "\(request) ended"
            case .focusNext: "focusNext"
            default: "other"
            }
        }
    }

    func testDeltasBetweenTwoDrainsBecomeOneAppendPerRequest() {
        let inbox = ChatInbox(wake: {})
        for index in 0..<1000 {
            inbox.post(.chatEvent(pane: 1, request: 10, .textDelta("a")))
            inbox.post(.chatEvent(pane: 2, request: 20, .textDelta("b")))
            if index < 3 { inbox.post(.chatEvent(pane: 2, request: 20, .reasoningDelta("r"))) }
        }
        let (messages, chunks) = inbox.drainCounting()
        XCTAssertEqual(chunks, 2003)
        XCTAssertEqual(texts(messages), [
            "1/10 text " + String(repeating: "a", count: 1000),
            "2/20 text " + String(repeating: "b", count: 1000),
            "2/20 reasoning rrr",
        ])
        XCTAssertTrue(inbox.drain().isEmpty)
    }

    func testOtherEventsKeepTheirPlaceAfterTheTextBeforeThem() {
        let inbox = ChatInbox(wake: {})
        inbox.post(.chatEvent(pane: 1, request: 10, .textDelta("x")))
        inbox.post(.chatEvent(pane: 1, request: 10, .textDelta("y")))
        inbox.post(.chatEvent(pane: 2, request: 20, .textDelta("p")))
        inbox.post(.chatEvent(pane: 1, request: 10, .finish(reason: "stop")))
        inbox.post(.chatEvent(pane: 1, request: 10, .textDelta("z")))
        inbox.post(.chatEvent(pane: 2, request: 20, .textDelta("q")))
        inbox.post(.focusNext)
        inbox.post(.chatEnded(pane: 1, request: 10))
        XCTAssertEqual(texts(inbox.drain()), [
            "1/10 text xy", "2/20 text pq", "10 finish stop", "1/10 text z", "focusNext", "10 ended",
        ])
    }

    func testAPostWakesTheOwnerOnlyWhenArmed() {
        let wakes = Mutex(0)
        let inbox = ChatInbox(wake: { wakes.withLock { $0 += 1 } })
        // Armed at the start: the first post wakes, the rest wait for the drain.
        for _ in 0..<100 { inbox.post(.chatEvent(pane: 1, request: 10, .textDelta("a"))) }
        XCTAssertEqual(wakes.withLock { $0 }, 1)
        _ = inbox.drain()
        // Not armed (the owner polls once per frame while streaming): no wake at all.
        for _ in 0..<100 { inbox.post(.chatEvent(pane: 1, request: 10, .textDelta("a"))) }
        XCTAssertEqual(wakes.withLock { $0 }, 1)
        // Arming with something queued wakes at once; arming an empty inbox waits for a post.
        inbox.arm()
        XCTAssertEqual(wakes.withLock { $0 }, 2)
        _ = inbox.drain()
        inbox.arm()
        XCTAssertEqual(wakes.withLock { $0 }, 2)
        inbox.post(.chatEnded(pane: 1, request: 10))
        inbox.post(.chatEnded(pane: 2, request: 20))
        XCTAssertEqual(wakes.withLock { $0 }, 3)
    }

    func testCoalescedTextAppliesAsTheSingleDeltasWould() {
        var one = AppState(panes: AppState.panes([("sim", "sim-fast")]))
        _ = ChatApp.update(&one, .submit("hi"))
        var many = one
        let request = one.panes[0].activeRequest!
        let inbox = ChatInbox(wake: {})
        for word in ["Hello", ", ", "wor", "ld", "\n", "- item"] {
            let message = AppMessage.chatEvent(pane: one.panes[0].id, request: request, .textDelta(word))
            _ = ChatApp.update(&many, message)
            inbox.post(message)
        }
        for message in inbox.drain() { _ = ChatApp.update(&one, message) }
        XCTAssertEqual(one.panes, many.panes)
    }
}
