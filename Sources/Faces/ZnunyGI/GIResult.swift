import DeskFaceKit

/// What a GenericInterface operation answers, before a transport renders it (§1.2 of the spec).
enum GIResult: Sendable, Equatable {
    /// Success: HTTP 200 with this data.
    case data([String: JSONValue])
    /// A business error (auth, validation, permission): HTTP 200 `{"Error":{…}}`.
    case error(code: String, message: String)
    /// An internal error: HTTP 500 fault with this faultstring.
    case fault(String)
}
