/// A JSON value that keeps what the dialects care about and `Codable` loses: whether a number
/// was a number or a string on the wire, the raw text of numbers, and (for writing) key order.
/// A `.source` compares equal to what its `tree` compares equal to.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number's literal text, e.g. `"12"`, `"1.5e3"`.
    case number(String)
    case string(String)
    case array([JSONValue])
    /// An object whose keys the writer sorts (Znuny's `SortKeys`); what the parser produces.
    case object([String: JSONValue])
    /// An object written in the order given, as serializers that keep declaration order emit it
    /// (Django REST Framework, PHP's `json_encode`).
    case orderedObject([JSONMember])
    /// A value that writes its own JSON text (see `JSONSource`): a large rendered part such as
    /// a ticket's articles, written without building its tree first.
    case source(any JSONSource)

    public static func int(_ value: Int) -> JSONValue { .number(String(value)) }
    public static func int64(_ value: Int64) -> JSONValue { .number(String(value)) }

    public subscript(key: String) -> JSONValue? {
        switch self {
        case .object(let members): members[key]
        case .orderedObject(let members): members.first { $0.key == key }?.value
        case .source(let source): source.tree[key]
        default: nil
        }
    }

    public var objectValue: [String: JSONValue]? {
        switch self {
        case .object(let members): members
        case .orderedObject(let members): Dictionary(members.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        case .source(let source): source.tree.objectValue
        default: nil
        }
    }

    /// An ordered object from key–value pairs.
    public static func ordered(_ pairs: KeyValuePairs<String, JSONValue>) -> JSONValue {
        .orderedObject(pairs.map { JSONMember(key: $0.key, value: $0.value) })
    }

    /// An object written with its keys sorted, like `.object`, but built from a list: nothing
    /// is hashed, and members that already come in key order (renderers list them so) are not
    /// sorted again. Keys must be unique.
    public static func sorted(_ members: [JSONMember]) -> JSONValue {
        var members = members
        if !zip(members, members.dropFirst()).allSatisfy({ $0.key < $1.key }) { members.sort { $0.key < $1.key } }
        return .orderedObject(members)
    }

    public var arrayValue: [JSONValue]? {
        switch self {
        case .array(let elements): elements
        case .source(let source): source.tree.arrayValue
        default: nil
        }
    }

    /// The value as Perl would stringify a scalar: strings as they are, numbers by their text,
    /// booleans as 1/"" (JSON::PP), null as nil; arrays and objects have no scalar form.
    public var scalarString: String? {
        switch self {
        case .string(let text): text
        case .number(let text): text
        case .bool(let flag): flag ? "1" : ""
        case .source(let source): source.tree.scalarString
        case .null, .array, .object, .orderedObject: nil
        }
    }

    /// Perl truthiness: defined, not "", not "0".
    public var isPerlTrue: Bool {
        switch self {
        case .null: false
        case .bool(let flag): flag
        case .number(let text): Double(text) != 0
        case .string(let text): !(text.isEmpty || text == "0")
        case .source(let source): source.tree.isPerlTrue
        case .array, .object, .orderedObject: true
        }
    }

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.source(let source), _): source.tree == rhs
        case (_, .source(let source)): lhs == source.tree
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a), .number(let b)), (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a == b
        case (.orderedObject(let a), .orderedObject(let b)): a == b
        default: false
        }
    }
}

/// One member of an ordered JSON object.
public struct JSONMember: Sendable, Equatable {
    public var key: String
    public var value: JSONValue

    public init(key: String, value: JSONValue) {
        self.key = key
        self.value = value
    }

    public init(_ key: String, _ value: JSONValue) {
        self.init(key: key, value: value)
    }
}
