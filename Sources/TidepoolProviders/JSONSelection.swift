import Foundation

/// Which members of JSON objects a parse builds, for a decoder that reads a few fields of every
/// streamed chunk and ignores the rest (`id`, `object`, `created`, `model`, `logprobs`...).
///
/// The members left out are still parsed to the end and validated as strictly as the plain
/// parse does (a broken skipped value still fails the document), but no string, number,
/// array or dictionary is built for them: that was most of what a chunk cost. So a selective
/// parse succeeds exactly when the plain parse does, and what it keeps equals the plain
/// parse's. The result is a ``JSONSelected``.
enum JSONSelection: Sendable, Equatable {
    /// The whole value, at every depth (the plain parse).
    case everything
    /// Of an object at this place, only these members, each with what to keep of its value;
    /// of an array at this place, the same for each element; other values whole.
    case members([Member])

    /// One member kept, by name, with the selection for its value.
    struct Member: Sendable, Equatable {
        /// The member's name, as a reader of the result asks for it.
        let name: String
        /// The name's UTF-8, compared with the bytes of the document's (unescaped) key.
        let utf8: [UInt8]
        /// What to keep of the member's value.
        let value: JSONSelection

        init(_ name: String, _ value: JSONSelection = .everything) {
            self.name = name
            utf8 = Array(name.utf8)
            self.value = value
        }
    }

    /// The position of the kept member named by `key`'s UTF-8, or nil when it is left out.
    static func position(in members: [Member], of key: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let keyStart = key.baseAddress, !key.isEmpty else { return members.firstIndex { $0.utf8.isEmpty } }
        for position in members.indices {
            let name = members[position].utf8
            guard name.count == key.count, name[0] == keyStart[0] else { continue }
            if name.withUnsafeBufferPointer({ memcmp($0.baseAddress!, keyStart, key.count) }) == 0 { return position }
        }
        return nil
    }
}
