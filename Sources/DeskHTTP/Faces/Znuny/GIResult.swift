import Logging

/// What a GenericInterface operation answers, before a transport renders it (§1.2 of the spec).
enum GIResult: Sendable, Equatable {
    /// Success: HTTP 200 with this data.
    case data([String: JSONValue])
    /// A business error (auth, validation, permission): HTTP 200 `{"Error":{…}}`.
    case error(code: String, message: String)
    /// An internal error: HTTP 500 fault with this faultstring.
    case fault(String)
}

/// The request as an operation sees it: the merged Data hash plus transport facts.
struct GIRequest: Sendable {
    var data: [String: JSONValue]
    /// Credentials from `X-OTRS-Header-*` request headers; they take precedence over Data.
    var headerCredentials: [String: String]
    var remoteAddress: String
    var userAgent: String
    var logger: Logger
}

extension Dictionary where Key == String, Value == JSONValue {
    /// A scalar value as a string (nil when absent, null, or not a scalar).
    func string(_ key: String) -> String? { self[key]?.scalarString }

    /// A scalar value that is Perl-true, as a string.
    func trueString(_ key: String) -> String? {
        guard let value = self[key], value.isPerlTrue else { return nil }
        return value.scalarString
    }

    func isTrue(_ key: String) -> Bool { self[key]?.isPerlTrue ?? false }
}
