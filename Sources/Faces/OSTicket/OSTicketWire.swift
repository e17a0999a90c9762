import DeskFaceKit
import Hummingbird

/// How osTicket 1.18 puts answers on the wire (`include/class.http.php`): the core API answers
/// plain text as `text/html; charset=UTF-8` whatever the outcome, with a status line from a
/// fixed table (any other code goes out as 500); the ticket extension answers `text/plain` or
/// JSON encoded like PHP's `json_encode`.
enum OSTicketWire {
    /// The codes osTicket's `Http::header_code_verbose` knows.
    static let knownStatuses: Set<Int> = [200, 201, 204, 205, 400, 401, 403, 404, 405, 416, 418, 422]

    static func status(_ code: Int) -> HTTPResponse.Status {
        knownStatuses.contains(code) ? HTTPResponse.Status(code: code) : .internalServerError
    }

    /// A core API answer.
    static func text(_ code: Int, _ body: String) -> Response {
        Responses.text(status(code), contentType: "text/html; charset=UTF-8", body)
    }

    /// An answer of the ticket extension in plain text.
    static func extensionText(_ code: Int, _ body: String) -> Response {
        Responses.text(status(code), contentType: "text/plain; charset=UTF-8", body)
    }

    /// An answer of the ticket extension in JSON.
    static func json(_ code: Int, _ value: JSONValue) -> Response {
        Responses.json(status(code), contentType: "application/json; charset=UTF-8", value, style: .php)
    }

    /// A failure answered the way the core API answers (status and plain text).
    struct Failure: Error, Sendable {
        var code: Int
        var message: String

        init(_ code: Int, _ message: String) {
            self.code = code
            self.message = message
        }

        static let urlNotSupported = Failure(400, "URL not supported")
    }

    /// The route path osTicket's dispatcher matches: the part after `<root>/api` (and after
    /// `/http.php`, the router script), URL-decoded as `urldecode` does.
    static func routePath(_ rawPath: String, root: String) -> String? {
        let prefix = root + "/api"
        guard rawPath.hasPrefix(prefix) else { return nil }
        var rest = String(rawPath.dropFirst(prefix.count))
        if rest.hasPrefix("/http.php") { rest = String(rest.dropFirst("/http.php".count)) }
        return FormCodec.unescape(rest, plusAsSpace: true)
    }
}
