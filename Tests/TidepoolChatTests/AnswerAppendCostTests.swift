import TidepoolChat
import TidepoolProviders
import XCTest

/// Appending a token must cost O(token), never O(answer). Timing cannot prove that on a loaded
/// machine, so these tests count instead: they watch where the answer's UTF-8 buffer lives
/// after every append and add up the bytes that had to be copied whenever it moved. Growing
/// in place (amortised doubling) copies at most a small multiple of the final length in
/// total; copying the answer per token copies about n²/2 bytes.
final class AnswerAppendCostTests: XCTestCase {
    /// Counts the moves of one string's buffer and the bytes each move had to copy.
    struct BufferMoves {
        private(set) var moves = 0
        private(set) var bytesCopied = 0
        private var address: UnsafeRawPointer?
        private var length = 0

        mutating func observe(_ text: String) {
            let current = text.utf8.withContiguousStorageIfAvailable { UnsafeRawPointer($0.baseAddress) } ?? nil
            // Strings of up to 15 bytes live inline (no buffer to watch).
            if text.utf8.count > 15, let previous = address, current != previous {
                moves += 1
                bytesCopied += length
            }
            address = text.utf8.count > 15 ? current : nil
            length = text.utf8.count
        }
    }

    static let token = "word "

    func testStreamingAnAnswerNeverCopiesItPerToken() throws {
        var state = AppState(panes: AppState.panes([("sim", "sim-fast"), ("sim", "sim-steady")]), broadcast: true)
        let effects = ChatApp.update(&state, .submit("hello"))
        let starts = effects.compactMap { effect -> (pane: Int, request: Int)? in
            if case .startChat(let pane, let request, _, _) = effect { return (pane, request) }
            return nil
        }
        XCTAssertEqual(starts.count, 2)
        var moves = BufferMoves()
        let tokens = 3000
        for _ in 0..<tokens {
            // Interleaved with the other pane, as a broadcast streams.
            for start in starts {
                _ = ChatApp.update(&state, .chatEvent(pane: start.pane, request: start.request, .textDelta(Self.token)))
            }
            moves.observe(try XCTUnwrap(state.panes[0].turns.last?.text))
        }
        let final = tokens * Self.token.utf8.count
        XCTAssertEqual(state.panes[0].turns.last?.text.utf8.count, final)
        // Doubling growth: about log2(15,000) ≈ 14 moves copying < 2x the final length in all.
        // A copy per token would be 3,000 moves and ~22 MB copied.
        XCTAssertLessThanOrEqual(moves.moves, 40, "the answer's buffer moved on \(moves.moves) of \(tokens) appends")
        XCTAssertLessThanOrEqual(moves.bytesCopied, 4 * final, "appends copied \(moves.bytesCopied) bytes for a \(final)-byte answer")
    }

    func testReasoningIsAppendedInPlaceToo() throws {
        var state = AppState(panes: AppState.panes([("sim", "sim-thinker")]))
        let effects = ChatApp.update(&state, .submit("think"))
        guard case .startChat(let pane, let request, _, _) = try XCTUnwrap(effects.first) else {
            return XCTFail("no chat started")
        }
        var moves = BufferMoves()
        for _ in 0..<2000 {
            _ = ChatApp.update(&state, .chatEvent(pane: pane, request: request, .reasoningDelta(Self.token)))
            moves.observe(try XCTUnwrap(state.panes[0].turns.last?.reasoning))
        }
        XCTAssertLessThanOrEqual(moves.moves, 40)
        XCTAssertLessThanOrEqual(moves.bytesCopied, 4 * 2000 * Self.token.utf8.count)
    }
}
