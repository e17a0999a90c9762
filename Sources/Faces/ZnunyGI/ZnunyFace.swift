import DeskCore
import DeskFaceKit
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The Znuny/OTRS GenericInterface face (REST and SOAP). It answers every path that contains
/// `nph-genericinterface.pl/Webservice/<Name>` or `…/WebserviceID/<id>` (any prefix, so both
/// `/otrs/…` and `/znuny/…` work) and leaves every other request to the router.
public struct ZnunyFace: Face {
    public static let faceName = "znuny"
    public var name: String { Self.faceName }

    let services: DeskServices
    let environment: FaceEnvironment
    private let decoded = DecodedDocuments<WebService?>()

    public init(services: DeskServices, environment: FaceEnvironment) {
        self.services = services
        self.environment = environment
    }

    /// The valid web services, decoded once per document version.
    func webServices() async throws -> [WebService] {
        let documents = try await services.faceConfig.documents(face: name, kind: WebServiceDocument.kind)
        return documents.compactMap { decoded.value(of: $0, WebServiceDocument.decode) }.filter { $0.validity == .valid }
    }

    public func register(on router: Router<FaceRequestContext>) {
        router.add(middleware: ZnunyMiddleware(face: self))
    }

    static let marker = "nph-genericinterface.pl/"

    func respond(to request: Request, context: FaceRequestContext, rest: Substring) async throws -> Response {
        let path = request.uri.path
        let parts = rest.pieces(separatedBy: UInt8(ascii: "/"), maxSplits: 2, omittingEmpty: false)
        guard parts.count >= 2, parts[0] == "Webservice" || parts[0] == "WebserviceID" else {
            return Self.plain(.internalServerError, "")
        }
        context.tags.set(face: name)
        let key = FormCodec.unescape(parts[1], plusAsSpace: false)
        let all = try await webServices()
        let service: WebService? =
            parts[0] == "WebserviceID"
            ? Int(key).flatMap { id in all.first { $0.id == id } }
            : all.first { $0.name == key } ?? all.first { $0.aliases.contains(key) }
        guard let service else { return Self.plain(.internalServerError, "") }
        let operationPath = RESTRequestParser.operationPath(fullPath: path, afterMarker: rest)
        switch service.transport {
        case .rest:
            return try await RESTTransport(face: self, service: service).respond(
                to: request, context: context, operationPath: operationPath)
        case .soap:
            return try await SOAPTransport(face: self, service: service).respond(
                to: request, context: context, operationPath: operationPath)
        }
    }

    static func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Responses.text(status, contentType: "text/plain; charset=UTF-8", text)
    }

    /// Custom request headers that carry credentials (§4.1), by Data field name.
    static let credentialHeaders: [(field: String, header: HTTPField.Name)] = GIAuthenticator.headerFields.compactMap { field in
        HTTPField.Name("X-OTRS-Header-\(field)").map { (field, $0) }
    }

    /// The operation's request value, with the credentials of the `X-OTRS-Header-*` headers.
    func faceRequest(transport: String, operation: String, data: [String: JSONValue], request: Request, context: FaceRequestContext)
        -> FaceRequest
    {
        var credentials: [String: String] = [:]
        // An empty header is none (`IsStringWithData`).
        for (field, header) in Self.credentialHeaders {
            if let value = request.headers[header], !value.isEmpty { credentials[field] = value }
        }
        return environment.faceRequest(
            face: transport, operation: operation, parameters: data, credentials: credentials, request: request, context: context)
    }
}

/// Routes GenericInterface paths to the face; everything else passes on.
struct ZnunyMiddleware: RouterMiddleware {
    typealias Context = FaceRequestContext
    let face: ZnunyFace

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard let marker = path.byteRange(of: ZnunyFace.marker) else { return try await next(request, context) }
        return try await face.respond(to: request, context: context, rest: path[marker.upperBound...])
    }
}

/// Znuny's `HTTP::REST` transport: parse, dispatch, render (§2 of the spec).
struct RESTTransport {
    let face: ZnunyFace
    let service: WebService

    func respond(to request: Request, context: FaceRequestContext, operationPath: String) async throws -> Response {
        let method = request.method.rawValue
        guard let (operation, placeholders) = RESTRequestParser.match(service.operations, method: method, path: operationPath) else {
            return ZnunyFace.plain(.internalServerError, "HTTP::REST Error while determine Operation for request URI '\(operationPath)'.")
        }
        var data: [String: JSONValue] = [:]
        if method != "GET" {
            // A chunked body over the limit: the same answer the length check gives a declared one.
            guard let body = try? await request.body.collect(upTo: context.maxUploadSize) else {
                return ZnunyFace.plain(.contentTooLarge, "Request Entity Too Large")
            }
            if body.readableBytes > 0 {
                let contentType = request.headers[.contentType]?.lowercased() ?? ""
                if contentType.hasPrefix("application/x-www-form-urlencoded") || contentType.hasPrefix("multipart/form-data") {
                    return ZnunyFace.plain(.internalServerError, "Could not read input data")
                }
                let parsed: JSONValue
                do {
                    parsed = try JSONParser.parse(Self.content(Array(buffer: body), contentType: contentType))
                } catch {
                    return ZnunyFace.plain(.internalServerError, "Error while decoding request content.")
                }
                // `if ( !$ContentDecoded )`: a Perl-false document (0, false, null, "") did not decode.
                if !parsed.isPerlTrue {
                    return ZnunyFace.plain(.internalServerError, "Error while decoding request content.")
                }
                guard let members = parsed.objectValue, !members.isEmpty else {
                    // A non-empty list reaches the operation; SessionCreate finds no hash in it,
                    // the others stop with Perl's "Not a HASH reference" (an HTML 500 page).
                    if let items = parsed.arrayValue, !items.isEmpty, operation.type == "Session::SessionCreate" {
                        return Self.render(.error(code: "SessionCreate.MissingParameter", message: "SessionCreate: The request is empty!"))
                    }
                    return ZnunyFace.plain(.internalServerError, "Unsupported request content structure.")
                }
                data = members
            }
        }
        for (key, value) in RESTRequestParser.query(request.uri.query ?? "") { data[key] = value }
        for (key, value) in placeholders { data[key] = .string(value) }
        // A non-empty `X-OTRS-Header-*` replaces the field in the data (`%URIData` is laid over
        // the body), so the operation sees it too (a customer's `CustomerUserLogin` filter).
        for (field, header) in ZnunyFace.credentialHeaders {
            if let value = request.headers[header], !value.isEmpty { data[field] = .string(value) }
        }
        if method == "GET" || data.isEmpty { data["RequestMethod"] = .string(method) }
        let giRequest = face.faceRequest(transport: "znuny-rest", operation: operation.name, data: data, request: request, context: context)
        let result = await GIDispatcher(services: face.services).run(type: operation.type, giRequest)
        return Self.render(result)
    }

    /// The body as Znuny's REST transport hands it to the JSON decoder: every UTF-8 byte order
    /// mark removed (PowerShell and .NET writers send one), and a body in another `charset=`
    /// of the Content-Type converted to UTF-8.
    static func content(_ bytes: [UInt8], contentType: String) -> [UInt8] {
        var bytes = bytes
        if bytes.count >= 3 {
            var kept: [UInt8] = []
            kept.reserveCapacity(bytes.count)
            var index = 0
            while index < bytes.count {
                if index + 2 < bytes.count, bytes[index] == 0xEF, bytes[index + 1] == 0xBB, bytes[index + 2] == 0xBF {
                    index += 3
                } else {
                    kept.append(bytes[index])
                    index += 1
                }
            }
            bytes = kept
        }
        guard let charset = MailHeaders.parameters(contentType).parameters["charset"],
            let text = TextEncoding.decode(bytes, charset: charset)
        else { return bytes }
        return Array(text.utf8)
    }

    static func render(_ result: GIResult) -> Response {
        switch result {
        case .data(let members):
            return json(.ok, .object(members))
        case .error(let code, let message):
            return json(.ok, .object(["Error": .object(["ErrorCode": .string(code), "ErrorMessage": .string(message)])]))
        case .fault(let message):
            return Responses.json(
                .internalServerError, contentType: "text/plain; charset=UTF-8",
                .object(["faultcode": .string("Server"), "faultstring": .string(message)]))
        }
    }

    /// Znuny's `Kernel::System::JSON` sorts the keys and writes U+2028 and U+2029 escaped.
    static func json(_ status: HTTPResponse.Status, _ value: JSONValue) -> Response {
        Responses.json(status, contentType: "application/json; charset=UTF-8", value, style: [.sortedKeys, .escapeLineSeparators])
    }
}
