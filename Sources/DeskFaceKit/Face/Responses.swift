import HTTPTypes
import Hummingbird

/// Building responses the way the dialects need them: exact status, exact Content-Type, exact bytes.
public enum Responses {
    public static func bytes(
        _ status: HTTPResponse.Status, contentType: String, _ body: [UInt8], headers extra: HTTPFields = [:]
    ) -> Response {
        var headers = extra
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    public static func text(
        _ status: HTTPResponse.Status, contentType: String = "text/plain; charset=utf-8", _ body: String, headers: HTTPFields = [:]
    ) -> Response {
        bytes(status, contentType: contentType, Array(body.utf8), headers: headers)
    }

    public static func json(
        _ status: HTTPResponse.Status, contentType: String = "application/json", _ value: JSONValue,
        style: JSONWriter.Style = .sortedKeys, headers: HTTPFields = [:]
    ) -> Response {
        bytes(status, contentType: contentType, JSONWriter.bytes(value, style: style), headers: headers)
    }

    /// `response` as the answer to a HEAD request: its headers, its body's length as
    /// `Content-Length`, no body. (Setting a body sets `Content-Length` to its length, so the
    /// header comes after the empty body.)
    public static func head(_ response: Response) -> Response {
        var answer = response
        answer.body = ResponseBody()
        answer.headers[.contentLength] = String(response.body.contentLength ?? 0)
        return answer
    }

    /// A body-less answer (204, HEAD).
    public static func empty(_ status: HTTPResponse.Status, headers: HTTPFields = [:]) -> Response {
        Response(status: status, headers: headers, body: .init())
    }
}
