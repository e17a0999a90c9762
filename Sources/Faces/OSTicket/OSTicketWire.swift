import DeskFaceKit
import HTTPTypes
import Hummingbird

/// How osTicket 1.18 puts answers on the wire (`include/class.http.php`): the core API answers
/// plain text as `text/html; charset=UTF-8` whatever the outcome, with a status line from a
/// fixed table (any other code goes out as 500); the ticket extension answers `text/plain` or
/// JSON encoded like PHP's `json_encode`.
enum OSTicketWire {
    /// `Http::header_code_verbose`: the codes osTicket knows, with the text of the `Status:`
    /// header `Http::response` sends beside the status line. Any other code goes out as 500.
    static let statusTexts: [Int: String] = [
        200: "200 OK", 201: "201 Created", 204: "204 No Content", 205: "205 Reset Content", 400: "400 Bad Request",
        401: "401 Unauthorized", 403: "403 Forbidden", 404: "404 Not Found", 405: "405 Method Not Allowed",
        416: "416 Requested Range Not Satisfiable", 418: "418 I'm a teapot", 422: "422 Unprocessable Entity",
    ]

    static func status(_ code: Int) -> HTTPResponse.Status {
        statusTexts[code] != nil ? HTTPResponse.Status(code: code) : .internalServerError
    }

    static func statusText(_ code: Int) -> String { statusTexts[code] ?? "500 Internal Server Error" }

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

    /// `text`'s answer to a HEAD request: PHP runs the script for HEAD too, so `Http::response`'s
    /// headers (the length of the text among them) arrive, and the web server drops the body.
    static func headText(_ code: Int, _ body: String) -> Response {
        Responses.head(text(code, body))
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
