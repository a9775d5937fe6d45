import Foundation

/// Turns a planned answer into one wire format's bytes: the frames before the first token, one
/// frame per token, the closing frames, and the whole body for non-streaming requests.
/// Encoders may keep state (Anthropic tracks which content block is open).
protocol SimStreamEncoder: Sendable {
    /// The `Content-Type` of a streamed response.
    var streamContentType: String { get }
    /// Frames sent as soon as the response starts.
    mutating func start() -> String
    /// The frame(s) carrying one token.
    mutating func token(_ text: String, isReasoning: Bool) -> String
    /// The closing frames.
    mutating func finish(timing: SimTiming) -> String
    /// A truncated, unparseable frame (the `malformed` fault).
    func malformedFrame() -> String
    /// The whole response of a non-streaming request.
    func whole(timing: SimTiming) -> SimJSON
}
