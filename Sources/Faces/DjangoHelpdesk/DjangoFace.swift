import DeskCore
import DeskFaceKit
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// django-helpdesk's two APIs under `<prefix>/api/` (docs/django-helpdesk.md): the REST API of
/// django-helpdesk 2.6.1 (Django REST Framework: `tickets`, `followups`, `followups-attachments`,
/// `user_tickets`, `users`, with Token and Basic authentication) and the legacy form-POST API
/// (`create_ticket`, `hold_ticket`, …). Staff users are agents, other users customer users;
/// queues, statuses and priorities map through the face's external ids.
///
/// The order of work is DRF's: resolve the URL (Django's 404 page, `APPEND_SLASH` redirect),
/// pick the renderer (404/406), authenticate (401), check permissions (403), the method (405),
/// then the handler (object lookup, body parsing, validation).
public struct DjangoFace: Face {
    public static let faceName = "djhd"
    public var name: String { Self.faceName }

    let services: DeskServices
    let environment: FaceEnvironment
    /// The path before `/api` (`""` or e.g. `/helpdesk`).
    let prefix: String

    public init(services: DeskServices, environment: FaceEnvironment) {
        self.services = services
        self.environment = environment
        prefix = environment.mountPoints[Self.faceName] ?? ""
    }

    public func register(on router: Router<FaceRequestContext>) {
        router.add(middleware: DjangoMiddleware(face: self))
    }

    /// Seeds the status and priority mappings of a fresh django-helpdesk (and the `reopened`
    /// state its Reopened status needs) the first time; queues come from `swiftdesk djhd queue
    /// add` or an import, as a fresh django-helpdesk has none.
    public func prepare() async throws {
        guard try await !services.referenceData.hasMappings(face: name) else { return }
        try await services.referenceData.apply(DjangoSetup.defaults())
    }

    // MARK: Dispatch

    func respond(to request: Request, context: FaceRequestContext, path: String) async throws -> Response {
        context.tags.set(face: name)
        // Django routes the decoded path (`/api/tickets/%201/` names ticket " 1", which `int()` reads).
        let path = path.removingPercentEncoding ?? path
        guard
            let route = DjangoRoute.resolve(path)
                ?? (request.method == .post ? DjangoRoute.legacyFallback(path).map(DjangoRoute.legacy) : nil)
        else {
            if !path.hasSuffix("/"), DjangoRoute.resolve(path + "/") != nil {
                return DjangoWire.slashRedirect(path: request.uri.path, query: request.uri.query)
            }
            return DjangoWire.page(.notFound)
        }
        let pairs = (try? FormCodec.pairs(request.uri.query ?? "")) ?? []
        // Filters read a repeated key's last value, as Django's `QueryDict.get` does.
        let query = pairs.reduce(into: [String: JSONValue]()) { $0[$1.key] = .string($1.value) }
        let faceRequest = environment.faceRequest(
            face: name, operation: Self.operation(route, method: request.method), parameters: query, request: request, context: context)
        if case .legacy(let method) = route {
            return try await DjangoLegacy(services: services, request: faceRequest).respond(
                method: method, httpMethod: request.method, body: try await body(request, context: context),
                contentType: request.headers[.contentType])
        }
        return try await rest(route, request: request, context: context, faceRequest: faceRequest, query: pairs)
    }

    static func operation(_ route: DjangoRoute, method: HTTPRequest.Method) -> String {
        switch route {
        case .root: "api-root"
        case .legacy(let name): "legacy-" + name
        case .list(let resource, _): "\(resource.rawValue)-list \(method.rawValue)"
        case .detail(let resource, _, _): "\(resource.rawValue)-detail \(method.rawValue)"
        }
    }

    func body(_ request: Request, context: FaceRequestContext) async throws -> [UInt8]? {
        try? Array(buffer: await request.body.collect(upTo: context.maxUploadSize))
    }

    func rest(
        _ route: DjangoRoute, request: Request, context: FaceRequestContext, faceRequest: FaceRequest, query: [(key: String, value: String)]
    ) async throws -> Response {
        let authorization = request.headers[.authorization]
        let allow: String
        let format: String?
        switch route {
        case .root(let suffix):
            allow = "GET, HEAD, OPTIONS"
            format = suffix
        case .list(let resource, let suffix):
            allow = resource.allow(detail: false)
            format = suffix
        case .detail(let resource, _, let suffix):
            allow = resource.allow(detail: true)
            format = suffix
        case .legacy:
            return DjangoWire.page(.notFound)
        }
        var headers = DjangoWire.APIHeaders(allow: allow, sessionConsulted: DjangoAuth.sessionConsulted(authorization))
        headers.isHead = request.method == .head
        // Renderer: a format suffix or `?format=` must be json (an empty `?format=` is none);
        // the Accept header must allow JSON.
        let formatParameter = faceRequest.parameters["format"]?.scalarString.flatMap { $0.isEmpty ? nil : $0 }
        if let wanted = format ?? formatParameter, wanted != "json", wanted != "api" {
            return DjangoWire.detail(.notFound, "Not found.", headers)
        }
        let accept = request.headers[.accept] ?? "*/*"
        guard Self.acceptsJSON(accept) else {
            return DjangoWire.detail(.notAcceptable, "Could not satisfy the request Accept header.", headers)
        }
        headers.indent = Self.indent(accept)
        let outcome = try await DjangoAuth(services: services).authenticate(authorization, origin: faceRequest.origin)
        let principal: Principal?
        switch outcome {
        case .failed(let text): return DjangoWire.detail(.unauthorized, text, headers, extra: [.wwwAuthenticate: "Token"])
        case .anonymous: principal = nil
        case .user(let user): principal = user
        }
        let method = request.method
        if case .root(let suffix) = route {
            guard ["GET", "HEAD", "OPTIONS"].contains(method.rawValue) else {
                return DjangoWire.detail(.methodNotAllowed, "Method \"\(method.rawValue)\" not allowed.", headers)
            }
            let host = FaceEnvironment.scheme(of: request) + "://" + (request.head.authority ?? "localhost")
            if method == .options {
                return DjangoWire.json(
                    .ok, DjangoMetadata.describe(name: "Api Root", description: "The default basic root view for DefaultRouter"), headers)
            }
            let ext = suffix.map { ".\($0)" } ?? "/"
            let root = JSONValue.ordered([
                "tickets": .string("\(host)\(prefix)/api/tickets\(ext)"),
                "user_tickets": .string("\(host)\(prefix)/api/user_tickets\(ext)"),
                "followups": .string("\(host)\(prefix)/api/followups\(ext)"),
                "followups-attachments": .string("\(host)\(prefix)/api/followups-attachments\(ext)"),
                "users": .string("\(host)\(prefix)/api/users\(ext)"),
            ])
            return DjangoWire.json(.ok, root, headers)
        }
        let resource: DjangoResource
        switch route {
        case .list(let r, _), .detail(let r, _, _): resource = r
        default: return DjangoWire.page(.notFound)
        }
        guard let principal else {
            return DjangoWire.detail(
                .unauthorized, "Authentication credentials were not provided.", headers, extra: [.wwwAuthenticate: "Token"])
        }
        if resource.staffOnly, case .customer = principal {
            return DjangoWire.detail(.forbidden, "You do not have permission to perform this action.", headers)
        }
        let catalog = try await services.catalog()
        // `DjangoModelPermissions` wants a model permission (admins only) for every writing method,
        // checked before the method is looked at.
        if resource == .users, [.post, .put, .patch, .delete].contains(method), !GroupAccess.isAdmin(principal, catalog: catalog) {
            return DjangoWire.detail(.forbidden, "You do not have permission to perform this action.", headers)
        }
        guard allow.split(separator: ",").map({ $0.trimmingSpaces }).contains(method.rawValue) else {
            return DjangoWire.detail(.methodNotAllowed, "Method \"\(method.rawValue)\" not allowed.", headers)
        }
        let host = FaceEnvironment.scheme(of: request) + "://" + (request.head.authority ?? "localhost")
        let api = DjangoAPI(
            services: services, mapping: try await DjangoMapping.load(services), ids: DjangoIDs(services: services), principal: principal,
            origin: host, headers: headers, request: faceRequest, query: query)
        if method == .options {
            var isDetail = false
            var actions: JSONValue?
            if case .detail(_, let pk, _) = route {
                isDetail = true
                // DRF describes PUT only when `get_object()` finds the object for the caller.
                if try await Self.finds(resource, pk, api: api) {
                    actions = DjangoMetadata.actions(
                        resource, detail: true, api: api, isAdmin: GroupAccess.isAdmin(principal, catalog: catalog))
                }
            } else {
                actions = DjangoMetadata.actions(
                    resource, detail: false, api: api, isAdmin: GroupAccess.isAdmin(principal, catalog: catalog))
            }
            return DjangoWire.json(
                .ok,
                DjangoMetadata.describe(name: resource.viewName(detail: isDetail), description: resource.viewDescription, actions: actions),
                headers)
        }
        // Page links keep the path as requested (`tickets.json` too), as DRF builds them from the request.
        let listPath = request.uri.path.isEmpty ? "\(prefix)/api/\(resource.rawValue)/" : request.uri.path
        var bodyBytes: [UInt8] = []
        if [.post, .put, .patch].contains(method) {
            guard let bytes = try await body(request, context: context) else {
                return DjangoWire.detail(.contentTooLarge, "Request body too large.", headers)
            }
            bodyBytes = bytes
        }
        let parse = { () -> Result<DjangoBody, DjangoBody.Failure> in
            DjangoBody.parse(bodyBytes, contentType: request.headers[.contentType])
        }
        do {
            return try await Self.handle(route: route, resource: resource, method: method, api: api, listPath: listPath, parse: parse)
        } catch {
            guard let error = error as? DeskError else { throw error }
            return DjangoErrors().answer(for: error, in: resource.rawValue).response(headers)
        }
    }

    static func handle(
        route: DjangoRoute, resource: DjangoResource, method: HTTPRequest.Method, api: DjangoAPI, listPath: String,
        parse: () -> Result<DjangoBody, DjangoBody.Failure>
    ) async throws -> Response {
        func withBody(_ body: (DjangoBody) async throws -> Response) async throws -> Response {
            switch parse() {
            case .failure(let failure) where failure.isPage:
                return DjangoWire.page(.badRequest)
            case .failure(let failure):
                return api.detail(failure.status == 415 ? .unsupportedMediaType : .badRequest, failure.detail)
            case .success(let parsed): return try await body(parsed)
            }
        }
        switch (route, resource) {
        case (.list, .tickets):
            return method == .post
                ? try await withBody { try await DjangoTickets(api: api).create($0) }
                : try await DjangoTickets(api: api).list(path: listPath)
        case (.detail(_, let pk, _), .tickets):
            let tickets = DjangoTickets(api: api)
            switch method {
            case .put, .patch:
                // The object first (404), then the body.
                guard try await api.coreTicket(pk) != nil else { return tickets.notFound(pk) }
                return try await withBody { try await tickets.update(pk, $0, partial: method == .patch) }
            case .delete: return try await tickets.destroy(pk)
            default: return try await tickets.retrieve(pk)
            }
        case (.list, .followups):
            let followups = DjangoFollowups(api: api)
            return method == .post ? try await withBody { try await followups.create($0) } : try await followups.list(path: listPath)
        case (.detail(_, let pk, _), .followups):
            let followups = DjangoFollowups(api: api)
            switch method {
            case .put, .patch:
                guard try await followups.locate(pk) != nil else { return followups.notFound(pk) }
                return try await withBody { try await followups.update(pk, $0, partial: method == .patch) }
            case .delete: return try await followups.destroy(pk)
            default: return try await followups.retrieve(pk)
            }
        case (.list, .followupsAttachments):
            let attachments = DjangoAttachments(api: api)
            return method == .post ? try await withBody { try await attachments.create($0) } : try await attachments.list(path: listPath)
        case (.detail(_, let pk, _), .followupsAttachments):
            let attachments = DjangoAttachments(api: api)
            switch method {
            case .delete: return try await attachments.destroy(pk)
            case .put, .patch:
                guard try await attachments.locate(pk) != nil else { return attachments.notFound(pk) }
                return api.detail(.methodNotAllowed, "Method \"\(method.rawValue)\" not allowed.")
            default: return try await attachments.retrieve(pk)
            }
        case (.list, .userTickets):
            return try await DjangoUsers(api: api).listTickets(path: listPath)
        case (.detail(_, let pk, _), .userTickets):
            return try await DjangoUsers(api: api).retrieveTicket(pk)
        case (.list, .users):
            return try await withBody { try await DjangoUsers(api: api).create($0) }
        default:
            return DjangoWire.page(.notFound)
        }
    }

    /// Whether a detail route's object exists and the caller may see it; a refusal counts as not
    /// found, as DRF's metadata treats `Http404` and `PermissionDenied` alike.
    static func finds(_ resource: DjangoResource, _ pk: String, api: DjangoAPI) async throws -> Bool {
        do {
            switch resource {
            case .tickets: return try await api.coreTicket(pk) != nil
            case .followups: return try await DjangoFollowups(api: api).locate(pk) != nil
            case .followupsAttachments: return try await DjangoAttachments(api: api).locate(pk) != nil
            case .users, .userTickets: return true
            }
        } catch is DeskError {
            return false
        }
    }

    /// DRF's renderer negotiation for JSON (and the browsable API, which SwiftDesk answers with
    /// JSON): any of `application/json`, `application/*`, `*/*`, `text/html`, `text/*`.
    static func acceptsJSON(_ accept: String) -> Bool {
        let types = accept.split(separator: ",").map { $0.split(separator: ";").first.map { $0.trimmingSpaces.lowercased() } ?? "" }
        return types.contains { ["application/json", "application/*", "*/*", "text/html", "text/*", ""].contains($0) }
    }

    /// `Accept: application/json; indent=N`.
    static func indent(_ accept: String) -> Int? {
        for type in accept.split(separator: ",") {
            let parts = type.split(separator: ";").map { $0.trimmingSpaces }
            guard parts.first?.lowercased() == "application/json" else { continue }
            for parameter in parts.dropFirst() where parameter.lowercased().hasPrefix("indent=") {
                return Int(parameter.dropFirst("indent=".count)).map { min(max($0, 0), 8) }
            }
        }
        return nil
    }
}

/// Sends `<prefix>/api` and below to the face; everything else passes on.
struct DjangoMiddleware: RouterMiddleware {
    typealias Context = FaceRequestContext
    let face: DjangoFace

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let raw = request.uri.path
        let prefix = face.prefix + "/api"
        guard raw == prefix || raw.hasPrefix(prefix + "/") || raw.hasPrefix(prefix + ".") else { return try await next(request, context) }
        return try await face.respond(to: request, context: context, path: String(raw.dropFirst(face.prefix.count)))
    }
}
