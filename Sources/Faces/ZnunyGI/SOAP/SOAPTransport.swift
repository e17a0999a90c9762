import DeskCore
import DeskFaceKit
import Foundation
import HTTPTypes
import Hummingbird

/// Znuny's `HTTP::SOAP` transport (§3 of the spec): reads the envelope, runs the operation through
/// the same `GIDispatcher` as REST, and writes the answer as SOAP::Lite would. `GET <endpoint>?wsdl`
/// (or `<endpoint>/wsdl`) serves the WSDL of the web service.
struct SOAPTransport {
    let face: ZnunyFace
    let service: WebService

    static let soapActionHeader = HTTPField.Name("SOAPAction")!

    func respond(to request: Request, context: FaceRequestContext, operationPath: String) async throws -> Response {
        if request.method == .get, Self.asksForWSDL(query: request.uri.query, operationPath: operationPath) {
            return wsdlResponse(for: request)
        }
        let body: ByteBuffer
        switch await readBody(of: request, context: context) {
        case .success(let bytes): body = bytes
        case .failure(let refusal): return refusal.response
        }
        let reader = SOAPRequestReader(namespace: service.namespace)
        let call: SOAPRequestReader.Call
        do {
            // Znuny converts a body whose Content-Type names another charset; Expat honours a
            // declared ISO-8859-1.
            let charset = MailHeaders.parameters(request.headers[.contentType] ?? "").1["charset"]
            let document = XMLEncoding.utf8Document(Array(buffer: body), charset: charset)
            call = try reader.read(document, soapAction: request.headers[Self.soapActionHeader])
        } catch {
            return failureResponse(error)
        }
        guard let operation = service.operations.first(where: { $0.name == call.operation }) else {
            return faultResponse("Got no OperationType!")
        }

        let giRequest = face.faceRequest(
            transport: "znuny-soap", operation: operation.name, data: call.data, request: request, context: context)
        let result = await GIDispatcher(services: face.services).run(type: operation.type, giRequest)
        return render(
            result, operation: operation.name, mediaType: Self.responseMediaType(request.headers[.contentType]), soap12: call.soap12)
    }

    /// A transport-level refusal, answered before any XML is read.
    struct Refusal: Error {
        let response: Response
    }

    /// Znuny's length rules: a `Content-Length` is required unless the body is chunked (411
    /// otherwise, also for an empty body); over the body limit is 413.
    private func readBody(of request: Request, context: FaceRequestContext) async -> Result<ByteBuffer, Refusal> {
        let chunked = request.headers[.transferEncoding]?.lowercased().hasPrefix("chunked") ?? false
        let declaredLength = request.headers[.contentLength].flatMap(Int.init) ?? 0
        guard chunked || declaredLength > 0 else { return .failure(Refusal(response: ZnunyFace.plain(.lengthRequired, "Length Required"))) }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: context.maxUploadSize)
        } catch {
            return .failure(Refusal(response: ZnunyFace.plain(.contentTooLarge, "Request Entity Too Large")))
        }
        guard body.readableBytes > 0 else {
            return .failure(
                Refusal(
                    response: chunked
                        ? ZnunyFace.plain(.lengthRequired, "Length Required")
                        : ZnunyFace.plain(.internalServerError, "Could not read input data")))
        }
        return .success(body)
    }

    func render(_ result: GIResult, operation: String, mediaType: String, soap12: Bool = false) -> Response {
        let name = operation + "Response"
        switch result {
        case .data(let data):
            return xml(.ok, SOAPEnvelope.response(name, namespace: service.namespace, data: data, soap12: soap12), mediaType: mediaType)
        case .error(let code, let message):
            let text = SOAPEnvelope.error(name, namespace: service.namespace, code: code, message: message, soap12: soap12)
            return xml(.ok, text, mediaType: mediaType)
        case .fault(let message):
            return faultResponse(message)
        }
    }

    private func failureResponse(_ failure: SOAPRequestReader.Failure) -> Response {
        switch failure {
        case .transport(let summary): ZnunyFace.plain(.internalServerError, summary)
        case .fault(let message): faultResponse(message)
        }
    }

    /// Every non-200 answer of Znuny's transport is `text/plain`, even with an XML body.
    private func faultResponse(_ message: String) -> Response {
        ZnunyFace.plain(.internalServerError, SOAPEnvelope.fault(namespace: service.namespace, message: message))
    }

    private func xml(_ status: HTTPResponse.Status, _ text: String, mediaType: String) -> Response {
        Response(status: status, headers: [.contentType: mediaType + "; charset=UTF-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// Znuny echoes the request's media type when the request named a charset, else `text/xml`.
    static func responseMediaType(_ contentType: String?) -> String {
        guard let contentType, contentType.containsBytes("charset", ignoringASCIICase: true) else { return "text/xml" }
        let media = contentType.split(separator: ";", maxSplits: 1).first.map { String($0).trimmingCharacters(in: .whitespaces) } ?? ""
        return media.isEmpty ? "text/xml" : media
    }

    static func asksForWSDL(query: String?, operationPath: String) -> Bool {
        if operationPath.lowercased() == "/wsdl" { return true }
        guard let query else { return false }
        return query.split(separator: "&").contains { $0.lowercased() == "wsdl" || $0.lowercased().hasPrefix("wsdl=") }
    }

    private func wsdlResponse(for request: Request) -> Response {
        let endpoint = Self.endpointURL(for: request)
        let text = WSDLWriter(service: service, endpoint: endpoint).document()
        return Response(status: .ok, headers: [.contentType: "text/xml; charset=UTF-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// This server's URL for the web service, from the request: the scheme a proxy reports
    /// (`FaceEnvironment.scheme(of:)`) and `X-Forwarded-Host` when a proxy set them, else the
    /// Host header; the path is the request's up to the web service name.
    static func endpointURL(for request: Request) -> String {
        let scheme = FaceEnvironment.scheme(of: request)
        let host =
            request.headers[HTTPField.Name("X-Forwarded-Host")!] ?? request.headers[HTTPField.Name("Host")!] ?? request.head.authority
            ?? "localhost"
        var path = request.uri.path
        if path.lowercased().hasSuffix("/wsdl") { path = String(path.dropLast(5)) }
        return scheme + "://" + host + path
    }
}
