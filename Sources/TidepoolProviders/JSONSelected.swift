/// What a selective parse (``JSONParser/parse(_:selecting:)``) built of a document: of each
/// object under a ``JSONSelection/members(_:)``, only the kept members; other values whole.
///
/// Kept members sit in an array by their position in the selection rather than in a
/// dictionary: a streamed chunk's few members are then neither hashed when stored nor when
/// read. The accessors read like ``JSONValue``'s, so a decoder's code stays the same.
enum JSONSelected: Equatable {
    /// An object: its kept members' values.
    case object(JSONSelectedMembers)
    /// An array under a selection, each element selected alike.
    case array([JSONSelected])
    /// A value kept whole (or any non-object, non-array value).
    case value(JSONValue)

    /// The member `key` of an object, or nil (also when this is not an object, or when the
    /// selection did not keep `key`: read only what the selection names).
    subscript(key: String) -> JSONSelected? {
        switch self {
        case .object(let values):
            return values[key]
        case .value(let value):
            return value[key].map(JSONSelected.value)
        case .array:
            return nil
        }
    }

    /// The value whole, or nil for an object or array the selection took apart.
    var whole: JSONValue? {
        if case .value(let value) = self { return value }
        return nil
    }

    /// The string, or nil.
    var string: String? { whole?.string }

    /// The number as an integer (a whole double counts), or nil.
    var int: Int? { whole?.int }

    /// The number as a double, or nil.
    var double: Double? { whole?.double }

    /// The boolean, or nil.
    var bool: Bool? { whole?.bool }

    /// True for JSON `null`.
    var isNull: Bool { whole == .null }

    /// The elements of an array, or nil.
    var array: [JSONSelected]? {
        switch self {
        case .array(let elements): return elements
        case .value(let value): return value.array?.map(JSONSelected.value)
        case .object: return nil
        }
    }

    /// True for an object.
    var isObject: Bool {
        switch self {
        case .object: return true
        case .value(let value): return value.isObject
        case .array: return false
        }
    }
}
