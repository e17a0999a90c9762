/// A JSON value that keeps what the dialects care about and `Codable` loses: whether a number
/// was a number or a string on the wire, and the raw text of numbers.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number's literal text, e.g. `"12"`, `"1.5e3"`.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public static func int(_ value: Int) -> JSONValue { .number(String(value)) }
    public static func int64(_ value: Int64) -> JSONValue { .number(String(value)) }

    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    public var objectValue: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The value as Perl would stringify a scalar: strings as they are, numbers by their text,
    /// booleans as 1/"" (JSON::PP), null as nil; arrays and objects have no scalar form.
    public var scalarString: String? {
        switch self {
        case .string(let text): text
        case .number(let text): text
        case .bool(let flag): flag ? "1" : ""
        case .null, .array, .object: nil
        }
    }

    /// Perl truthiness: defined, not "", not "0".
    public var isPerlTrue: Bool {
        switch self {
        case .null: false
        case .bool(let flag): flag
        case .number(let text): Double(text) != 0
        case .string(let text): !(text.isEmpty || text == "0")
        case .array, .object: true
        }
    }
}
