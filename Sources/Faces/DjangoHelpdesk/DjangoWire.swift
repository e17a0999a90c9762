import DeskFaceKit
import HTTPTypes
import Hummingbird

/// How django-helpdesk 2.6.1 (Django 5.2, Django REST Framework 3.18, `DEBUG=False`) puts answers
/// on the wire: DRF's JSON (`application/json`, no charset, compact, UTF-8 as it is) with `Allow`
/// and `Vary` on every API answer, Django's minimal HTML pages, and the legacy API's plain text.
enum DjangoWire {
    static let jsonType = "application/json"

    /// Headers every DRF answer carries.
    struct APIHeaders {
        var allow: String
        /// Whether DRF's session authentication was consulted (no `Token` header): then `Vary`
        /// names `Cookie` too.
        var sessionConsulted: Bool
        /// `Accept: application/json; indent=N`: pretty JSON.
        var indent: Int? = nil
        /// A HEAD request: GET's headers (with the body's length), no body.
        var isHead = false

        func fields(_ extra: HTTPFields = [:]) -> HTTPFields {
            var headers = extra
            headers[.vary] = sessionConsulted ? "Accept, Cookie" : "Accept"
            headers[.allow] = allow
            headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
            headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
            headers[HTTPField.Name("Cross-Origin-Opener-Policy")!] = "same-origin"
            return headers
        }
    }

    static func json(_ status: HTTPResponse.Status, _ value: JSONValue, _ headers: APIHeaders, extra: HTTPFields = [:]) -> Response {
        let bytes: [UInt8] =
            if let indent = headers.indent, indent > 0 {
                Array(PythonPretty.render(value, indent: indent).utf8)
            } else {
                JSONWriter.bytes(value, style: .djangoRESTFramework)
            }
        let response = Responses.bytes(status, contentType: jsonType, bytes, headers: headers.fields(extra))
        return headers.isHead ? Responses.head(response) : response
    }

    /// `{"detail": "…"}`.
    static func detail(_ status: HTTPResponse.Status, _ text: String, _ headers: APIHeaders, extra: HTTPFields = [:]) -> Response {
        json(status, .object(["detail": .string(text)]), headers, extra: extra)
    }

    /// 204 for DELETE: no body, no Content-Type.
    static func noContent(_ headers: APIHeaders) -> Response {
        Response(status: .noContent, headers: headers.fields(), body: .init())
    }

    static let securityHeaders: HTTPFields = [
        HTTPField.Name("X-Content-Type-Options")!: "nosniff", HTTPField.Name("Referrer-Policy")!: "same-origin",
        HTTPField.Name("Cross-Origin-Opener-Policy")!: "same-origin",
    ]

    /// Django's page for a status with `DEBUG=False` and no templates.
    static func page(_ status: HTTPResponse.Status) -> Response {
        let title: String
        let body: String
        switch status.code {
        case 404:
            title = "Not Found"
            body = "<h1>Not Found</h1><p>The requested resource was not found on this server.</p>"
        case 400:
            title = "Bad Request (400)"
            body = "<h1>Bad Request (400)</h1><p></p>"
        default:
            title = "Server Error (500)"
            body = "<h1>Server Error (500)</h1><p></p>"
        }
        let html =
            "\n<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>\(title)</title>\n</head>\n<body>\n  \(body)\n</body>\n</html>\n"
        return Responses.text(status, contentType: "text/html; charset=utf-8", html, headers: securityHeaders)
    }

    /// Django's `APPEND_SLASH` redirect: relative, query kept.
    static func slashRedirect(path: String, query: String?) -> Response {
        var headers = securityHeaders
        headers[.location] = path + "/" + (query.map { $0.isEmpty ? "" : "?" + $0 } ?? "")
        return Responses.text(.movedPermanently, contentType: "text/html; charset=utf-8", "", headers: headers)
    }

    /// The legacy API's answers: `text/plain` (or `text/json` for list_queues), no charset.
    static func legacy(_ status: HTTPResponse.Status, _ body: String = "", type: String = "text/plain") -> Response {
        Responses.text(status, contentType: type, body, headers: securityHeaders)
    }
}

/// Python's `json.dumps(value, indent=N, ensure_ascii=False, separators=(",", ": "))`, as DRF's
/// renderer writes for `indent=N`.
enum PythonPretty {
    static func render(_ value: JSONValue, indent: Int) -> String {
        var out = ""
        write(value, indent: indent, level: 0, into: &out)
        return out
    }

    static func write(_ value: JSONValue, indent: Int, level: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent * (level + 1))
        let close = String(repeating: " ", count: indent * level)
        switch value {
        case .array(let list):
            guard !list.isEmpty else {
                out += "[]"
                return
            }
            out += "[\n"
            for (offset, element) in list.enumerated() {
                out += pad
                write(element, indent: indent, level: level + 1, into: &out)
                out += offset < list.count - 1 ? ",\n" : "\n"
            }
            out += close + "]"
        case .object, .orderedObject:
            let members: [(String, JSONValue)] =
                if case .orderedObject(let ordered) = value { ordered.map { ($0.key, $0.value) } } else {
                    (value.objectValue ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
                }
            guard !members.isEmpty else {
                out += "{}"
                return
            }
            out += "{\n"
            for (offset, (key, member)) in members.enumerated() {
                out += pad + JSONWriter.string(.string(key), style: .djangoRESTFramework) + ": "
                write(member, indent: indent, level: level + 1, into: &out)
                out += offset < members.count - 1 ? ",\n" : "\n"
            }
            out += close + "}"
        case .source(let source): write(source.tree, indent: indent, level: level, into: &out)
        default:
            out += JSONWriter.string(value, style: .djangoRESTFramework)
        }
    }
}
