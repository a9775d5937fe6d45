/// The values of one object's kept members by their position in the selection, nil where the
/// object lacks the member. Tail-allocated: one allocation, and no generic array storage to
/// look up and destroy element by element (a tenth of decoding a chunk when it was an array).
/// Filled once by the parser, read-only afterwards.
final class JSONSelectedMembers: ManagedBuffer<[JSONSelection.Member], JSONSelected?>, Equatable {
    /// Room for `members`, all absent.
    static func make(_ members: [JSONSelection.Member]) -> JSONSelectedMembers {
        let buffer = unsafeDowncast(create(minimumCapacity: members.count) { _ in members }, to: JSONSelectedMembers.self)
        buffer.withUnsafeMutablePointerToElements { $0.initialize(repeating: nil, count: members.count) }
        return buffer
    }

    deinit {
        // Moved out one at a time: `deinitialize(count:)` goes through the runtime's generic
        // loop and the type's witness table, several times slower for these few values.
        withUnsafeMutablePointers { members, values in
            for position in 0..<members.pointee.count { _ = (values + position).move() }
        }
    }

    /// The members kept, in order. (Through the pointer: the `header` property checks
    /// exclusive access at run time on every read.)
    var members: [JSONSelection.Member] { withUnsafeMutablePointerToHeader { $0.pointee } }

    /// The value at `position` in ``members``.
    subscript(position: Int) -> JSONSelected? {
        get { withUnsafeMutablePointerToElements { $0[position] } }
        set { withUnsafeMutablePointerToElements { $0[position] = newValue } }
    }

    /// The value of the member named `key`, nil when absent or not kept.
    subscript(key: String) -> JSONSelected? {
        withUnsafeMutablePointers { members, values in
            // The length first (stored, unlike a comparison of two distinct strings' bytes).
            for (position, member) in members.pointee.enumerated() where member.utf8.count == key.utf8.count && member.name == key {
                return values[position]
            }
            return nil
        }
    }

    static func == (lhs: JSONSelectedMembers, rhs: JSONSelectedMembers) -> Bool {
        lhs.members == rhs.members && lhs.members.indices.allSatisfy { lhs[$0] == rhs[$0] }
    }
}
