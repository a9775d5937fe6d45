/// The ways the conformance tests cut a body into network chunks: whole, one byte at a time,
/// and two chunks split at every offset (including inside UTF-8 characters).
enum Chunkings {
    /// Every chunking of `bytes` the tests try, with a label for failure messages.
    /// `splitStride` > 1 samples the two-chunk splits (always including offsets 0...8 and the
    /// last 8), for large files whose every-offset run would be slow at the JSON level.
    static func all(_ bytes: [UInt8], splitStride: Int = 1) -> [(label: String, chunks: [[UInt8]])] {
        var result: [(String, [[UInt8]])] = [("whole", [bytes]), ("bytewise", bytes.map { [$0] })]
        for offset in 0...bytes.count
        where splitStride == 1 || offset % splitStride == 0 || offset <= 8 || offset >= bytes.count - 8 {
            result.append(("split at \(offset)", [Array(bytes[..<offset]), Array(bytes[offset...])]))
        }
        return result
    }
}
