import DeskFaceKit
import HTTPTypes
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

    /// `Http::header_code_verbose`: the text of the `Status:` header `Http::response` sends
    /// beside the status line.
    static func statusText(_ code: Int) -> String {
        switch knownStatuses.contains(code) ? code : 500 {
        case 200: "200 OK"
        case 201: "201 Created"
        case 204: "204 No Content"
        case 205: "205 Reset Content"
        case 400: "400 Bad Request"
        case 401: "401 Unauthorized"
        case 403: "403 Forbidden"
        case 404: "404 Not Found"
        case 405: "405 Method Not Allowed"
        case 416: "416 Requested Range Not Satisfiable"
        case 418: "418 I'm a teapot"
        case 422: "422 Unprocessable Entity"
        default: "500 Internal Server Error"
        }
    }

    static let statusHeader = HTTPField.Name("Status")!

    /// The answer with osTicket's `Status:` header.
    static func withStatusHeader(_ response: Response, _ code: Int) -> Response {
        var response = response
        response.headers[statusHeader] = statusText(code)
        return response
    }

    /// A core API answer.
    static func text(_ code: Int, _ body: String) -> Response {
        withStatusHeader(Responses.text(status(code), contentType: "text/html; charset=UTF-8", body), code)
    }

    /// An answer of the ticket extension in plain text.
    static func extensionText(_ code: Int, _ body: String) -> Response {
        withStatusHeader(Responses.text(status(code), contentType: "text/plain; charset=UTF-8", body), code)
    }

    /// An answer of the ticket extension in JSON.
    static func json(_ code: Int, _ value: JSONValue) -> Response {
        withStatusHeader(Responses.json(status(code), contentType: "application/json; charset=UTF-8", value, style: .php), code)
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
