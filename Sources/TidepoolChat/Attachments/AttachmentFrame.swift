import TidepoolStore

/// What a model receives for a prompt with attachments: the prompt as written (its `@path`
/// words name the files), then each file in a frame that says where it starts and ends:
///
/// ````
/// Review @src/main.swift please
///
/// --- file: src/main.swift ---
/// ```
/// print("hi")
/// ```
/// --- end of file: src/main.swift ---
/// ````
///
/// The code fence is one backtick longer than the longest backtick run in the file, so a file
/// holding fences of its own cannot end the frame early.
public enum AttachmentFrame {
    /// The prompt followed by its attachments' frames (the prompt alone when there are none).
    public static func compose(_ prompt: String, _ attachments: [StoredAttachment]) -> String {
        guard !attachments.isEmpty else { return prompt }
        var result = prompt
        for attachment in attachments {
            let fence = String(repeating: "`", count: max(3, longestBacktickRun(attachment.content) + 1))
            result += "\n\n--- file: \(attachment.name) ---\n\(fence)\n"
            result += attachment.content
            if !attachment.content.hasSuffix("\n") && !attachment.content.isEmpty { result += "\n" }
            result += "\(fence)\n--- end of file: \(attachment.name) ---"
        }
        return result
    }

    static func longestBacktickRun(_ text: String) -> Int {
        var longest = 0
        var run = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "`") {
                run += 1
                longest = max(longest, run)
            } else {
                run = 0
            }
        }
        return longest
    }
}
