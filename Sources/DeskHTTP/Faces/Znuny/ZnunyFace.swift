import DeskCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The Znuny/OTRS GenericInterface face. It answers every path that contains
/// `nph-genericinterface.pl/Webservice/<Name>` or `…/WebserviceID/<id>` (any prefix, so both
/// `/otrs/…` and `/znuny/…` work) and leaves every other request to the router.
struct ZnunyFace: RouterMiddleware {
    typealias Context = DeskRequestContext
    let services: AppServices

    static let marker = "nph-genericinterface.pl/"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard let markerRange = path.range(of: Self.marker) else { return try await next(request, context) }
        let rest = path[markerRange.upperBound...]
        let parts = rest.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0] == "Webservice" || parts[0] == "WebserviceID" else {
            return Self.plain(.internalServerError, "")
        }
        let key = RESTRequestParser.unescape(String(parts[1]), plusAsSpace: false)
        let catalog = try await services.store.read { try await $0.catalog() }
        let service: WebService? = parts[0] == "WebserviceID"
            ? Int(key).flatMap { id in catalog.webServices.first { $0.id == id && $0.validity == .valid } }
            : catalog.webService(named: key)
        guard let service else { return Self.plain(.internalServerError, "") }
        switch service.transport {
        case .rest:
            return try await RESTTransport(services: services, service: service)
                .respond(to: request, context: context, operationPath: RESTRequestParser.operationPath(fullPath: path, afterMarker: rest))
        case .soap:
            return try await SOAPTransport(services: services, service: service)
                .respond(to: request, context: context, operationPath: RESTRequestParser.operationPath(fullPath: path, afterMarker: rest))
        }
    }

    static func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=UTF-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// Znuny's `HTTP::REST` transport: parse, dispatch, render (§2 of the spec).
struct RESTTransport {
    let services: AppServices
    let service: WebService

    /// Custom request headers that carry credentials (§4.1), by Data field name.
    static let credentialHeaders: [(field: String, header: HTTPField.Name)] = GIAuthenticator.headerFields.compactMap { field in
        HTTPField.Name("X-OTRS-Header-\(field)").map { (field, $0) }
    }

    func respond(to request: Request, context: DeskRequestContext, operationPath: String) async throws -> Response {
        let method = request.method.rawValue
        let operations = service.operations.map { WebServiceOperationRef(name: $0.name, type: $0.type, route: $0.route, methods: $0.methods) }
        guard let (operation, placeholders) = RESTRequestParser.match(operations, method: method, path: operationPath) else {
            return ZnunyFace.plain(.internalServerError, "HTTP::REST Error while determine Operation for request URI '\(operationPath)'.")
        }
        var data: [String: JSONValue] = [:]
        if method != "GET" {
            let body = try await request.body.collect(upTo: context.maxUploadSize)
            if body.readableBytes > 0 {
                let contentType = request.headers[.contentType]?.lowercased() ?? ""
                if contentType.hasPrefix("application/x-www-form-urlencoded") || contentType.hasPrefix("multipart/form-data") {
                    return ZnunyFace.plain(.internalServerError, "Could not read input data")
                }
                let parsed: JSONValue
                do {
                    parsed = try JSONParser.parse(Array(buffer: body))
                } catch {
                    return ZnunyFace.plain(.internalServerError, "Error while decoding request content.")
                }
                guard case .object(let members) = parsed, !members.isEmpty else {
                    return ZnunyFace.plain(.internalServerError, "Unsupported request content structure.")
                }
                data = members
            }
        }
        for (key, value) in RESTRequestParser.query(request.uri.query ?? "") { data[key] = value }
        for (key, value) in placeholders { data[key] = .string(value) }
        if method == "GET" || data.isEmpty { data["RequestMethod"] = .string(method) }

        var credentials: [String: String] = [:]
        for (field, header) in Self.credentialHeaders {
            if let value = request.headers[header] { credentials[field] = value }
        }
        var logger = context.logger
        logger[metadataKey: "face"] = "znuny-rest"
        logger[metadataKey: "operation"] = .string(operation.name)
        let giRequest = GIRequest(
            data: data, headerCredentials: credentials,
            remoteAddress: request.headers[.init("X-Forwarded-For")!] ?? "",
            userAgent: request.headers[.userAgent] ?? "", logger: logger)
        let result = await GIDispatcher(services: services).run(type: operation.type, giRequest, logger: logger)
        return Self.render(result)
    }

    static func render(_ result: GIResult) -> Response {
        switch result {
        case .data(let members):
            return json(.ok, .object(members))
        case .error(let code, let message):
            return json(.ok, .object(["Error": .object(["ErrorCode": .string(code), "ErrorMessage": .string(message)])]))
        case .fault(let message):
            let body = JSONWriter.bytes(.object(["faultcode": .string("Server"), "faultstring": .string(message)]))
            return Response(status: .internalServerError, headers: [.contentType: "text/plain; charset=UTF-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
    }

    static func json(_ status: HTTPResponse.Status, _ value: JSONValue) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=UTF-8"],
                 body: .init(byteBuffer: ByteBuffer(bytes: JSONWriter.bytes(value))))
    }
}
