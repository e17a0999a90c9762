import DeskCore
import DeskFaceKit
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// osTicket 1.18's ticket API under `<root>/api/` and `<root>/api/http.php/` (docs/osticket.md):
/// ticket creation from JSON, XML and piped e-mail (`tickets.json|xml|email`), `tasks/cron`, and
/// the ticketInfo / staffTickets / clientTickets / reply extension. Callers authenticate with an
/// API key bound to their IP (`OSTicketAPIKeys`); osTicket's ids (topics, departments,
/// priorities, statuses, staff, custom fields) map to SwiftDesk through `OSTicketMapping`.
///
/// Like osTicket's dispatcher, the face routes first (`_method` overrides the method, the path is
/// URL-decoded), then checks the key, then reads the body.
public struct OSTicketFace: Face {
    public static let faceName = "osticket"
    public var name: String { Self.faceName }

    let services: DeskServices
    let environment: FaceEnvironment
    /// The path before `/api` (`""`, or e.g. `/support`).
    let root: String
    /// Piped mails by `Message-ID`: a copy delivered while the first is being written waits for it.
    let mailArrivals = KeyedSerialization()

    public init(services: DeskServices, environment: FaceEnvironment) {
        self.services = services
        self.environment = environment
        root = environment.mountPoints[Self.faceName] ?? ""
    }

    public func register(on router: Router<FaceRequestContext>) {
        router.add(middleware: OSTicketMiddleware(face: self))
    }

    /// The largest attachment kept (osTicket's default upload limit); larger files are dropped,
    /// as osTicket drops them.
    static let maxFileSizeKey = "OSTicket::MaxFileSize"
    static let defaultMaxFileSize = 1_048_576

    public var settings: [FaceSetting] {
        let config = services.faceConfig
        return [
            FaceSetting(
                key: Self.maxFileSizeKey, help: "largest attachment kept by the osTicket API, in bytes (default 1048576)",
                read: { try await Self.maxFileSize(config) == Self.defaultMaxFileSize ? "" : String(try await Self.maxFileSize(config)) },
                write: { value in
                    guard value.isEmpty || (Int(value).map { $0 > 0 } ?? false) else {
                        throw DeskError.invalid(.other(Self.maxFileSizeKey), .malformed(expected: "a number of bytes"))
                    }
                    if value.isEmpty {
                        _ = try await config.remove(face: Self.faceName, kind: "setting", key: Self.maxFileSizeKey)
                    } else {
                        try await config.put(face: Self.faceName, kind: "setting", key: Self.maxFileSizeKey, json: value)
                    }
                })
        ]
    }

    static func maxFileSize(_ config: FaceConfigService) async throws -> Int {
        let stored = try await config.document(face: faceName, kind: "setting", key: maxFileSizeKey)
        return stored.flatMap { Int($0.json) } ?? defaultMaxFileSize
    }

    /// Seeds a fresh osTicket's reference data the first time (queues Support, Sales and
    /// Maintenance, the four help topics as services, priority and status mappings); after that
    /// the operator's data (`swiftdesk osticket import`) is kept.
    public func prepare() async throws {
        guard try await !services.referenceData.hasMappings(face: name) else { return }
        let catalog = try await services.catalog()
        try await services.referenceData.apply(try OSTicketImport.reference(.fresh, catalog: catalog))
    }

    // MARK: Dispatch

    /// Another face served under the same `/api/` (django-helpdesk's, when both are mounted at
    /// the root): then paths that are not osTicket's go on to it instead of `URL not supported`.
    var sharesRoot: Bool {
        environment.mountPoints.contains { $0.key != Self.faceName && $0.value == root }
    }

    /// Whether the request names osTicket's router script (`/api/http.php/…`), which no other
    /// product uses.
    func viaRouter(_ request: Request) -> Bool { request.uri.path.hasPrefix(root + "/api/http.php") }

    /// Whether a request under a shared root is osTicket's: an `X-API-Key` or the router script
    /// says so, an `Authorization` header says django-helpdesk; otherwise osTicket's own paths
    /// (`tickets.json|xml|email`, `tasks/…`, its extension's routes) are osTicket's.
    func claims(_ request: Request, route: String, matched: Bool) -> Bool {
        guard sharesRoot else { return true }
        if viaRouter(request) || request.headers[Self.apiKeyHeader] != nil { return true }
        if request.headers[.authorization] != nil { return false }
        return matched || Self.routes[route] != nil || route.hasPrefix("/tasks/")
    }

    /// osTicket's routes (its extension's too), each with the one method that reaches it; under a
    /// shared root a route is osTicket's whatever the method.
    static let routes: [String: (method: String, operation: Operation)] = [
        "/tickets.json": ("POST", .create(.json)), "/tickets.xml": ("POST", .create(.xml)),
        "/tickets.email": ("POST", .create(.email)), "/tasks/cron": ("POST", .cron),
        "/tickets/ticketInfo": ("GET", .ticketInfo), "/tickets/staffTickets": ("GET", .staffTickets),
        "/tickets/clientTickets": ("GET", .clientTickets), "/tickets/reply.json": ("POST", .reply),
    ]

    /// The answer, or nil for a path that is not osTicket's while another face shares the root.
    func respond(to request: Request, context: FaceRequestContext, path: String) async throws -> Response? {
        let query = (try? FormCodec.decode(request.uri.query ?? "", keys: .php)) ?? [:]
        let method = (query["_method"]?.scalarString ?? request.method.rawValue).uppercased()
        // Apache merges runs of slashes (`MergeSlashes`): a base URL ending in `/` still works.
        var route = path.replacing(/\/{2,}/, with: "/")
        if route.hasPrefix("/scp/") { route = String(route.dropFirst(4)) }
        if route.hasSuffix(".json"), route.hasPrefix("/tickets/"), route != "/tickets/reply.json" {
            route = String(route.dropLast(5))
        }
        if method == "GET", route == "/", request.uri.path.hasSuffix("/api/"), !sharesRoot {
            return Responses.empty(.found, headers: [.location: "../"])
        }
        let operation = Self.routes[route].flatMap { $0.method == method ? $0.operation : nil }
        guard claims(request, route: route, matched: operation != nil) else { return nil }
        context.tags.set(face: name)
        guard let operation else {
            // The dispatcher's matchers compare the method exactly: HEAD matches no route.
            if request.method == .head { return OSTicketWire.headText(400, "URL not supported") }
            return OSTicketWire.text(400, "URL not supported")
        }
        context.tags.set(operation: operation.name)
        var parameters: [String: JSONValue] = query
        parameters.removeValue(forKey: "_method")
        var credentials: [String: String] = [:]
        if let key = request.headers[Self.apiKeyHeader] { credentials["X-API-Key"] = key }
        let faceRequest = environment.faceRequest(
            face: name, operation: operation.name, parameters: parameters, credentials: credentials, request: request, context: context)
        let keys = OSTicketAPIKeys(services: services)
        let principal: Principal
        switch try await keys.authenticate(faceRequest) {
        case .success(let found): principal = found
        case .failure(let failure): return OSTicketWire.text(failure.code, failure.message)
        }
        let body: [UInt8]
        do {
            body = Array(buffer: try await request.body.collect(upTo: context.maxUploadSize))
        } catch {
            return Responses.text(.contentTooLarge, contentType: "text/html; charset=UTF-8", "Request Entity Too Large")
        }
        let extensionCalls = OSTicketExtension(services: services, keys: keys)
        switch operation {
        case .create(let format):
            guard principal.allows(.createTickets) else { return OSTicketWire.text(401, "API key not authorized") }
            return try await create(format, body: body, principal: principal, request: faceRequest)
        case .cron:
            guard principal.allows(.cron) else { return OSTicketWire.text(401, "API key not authorized") }
            return OSTicketWire.text(200, "Completed")
        case .ticketInfo:
            return try await extensionCalls.ticketInfo(withForm(faceRequest, body: body, request: request), principal: principal)
        case .staffTickets:
            return try await extensionCalls.staffTickets(withForm(faceRequest, body: body, request: request), principal: principal)
        case .clientTickets:
            return try await extensionCalls.clientTickets(withForm(faceRequest, body: body, request: request), principal: principal)
        case .reply:
            return try await extensionCalls.reply(body, request: faceRequest, principal: principal)
        }
    }

    static let apiKeyHeader = HTTPField.Name("X-API-Key")!

    enum Format { case json, xml, email }

    enum Operation {
        case create(Format)
        case cron, ticketInfo, staffTickets, clientTickets, reply

        var name: String {
            switch self {
            case .create(.json): "tickets.json"
            case .create(.xml): "tickets.xml"
            case .create(.email): "tickets.email"
            case .cron: "tasks/cron"
            case .ticketInfo: "ticketInfo"
            case .staffTickets: "staffTickets"
            case .clientTickets: "clientTickets"
            case .reply: "reply.json"
            }
        }
    }

    /// `$_REQUEST`: the query overlaid with a form-encoded body.
    func withForm(_ faceRequest: FaceRequest, body: [UInt8], request: Request) -> FaceRequest {
        guard !body.isEmpty, request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true else {
            return faceRequest
        }
        var faceRequest = faceRequest
        let form = (try? FormCodec.decode(String(decoding: body, as: UTF8.self), keys: .php)) ?? [:]
        for (key, value) in form { faceRequest.parameters[key] = value }
        return faceRequest
    }

    func create(_ format: Format, body: [UInt8], principal: Principal, request: FaceRequest) async throws -> Response {
        async let mappingLoad = OSTicketMapping.load(services)
        let maxFileSize = try await Self.maxFileSize(services.faceConfig)
        let mapping = try await mappingLoad
        let now = services.clock.now()
        let result: Result<String, OSTicketWire.Failure>
        do {
            switch format {
            case .json, .xml:
                let submission =
                    format == .json
                    ? try OSTicketSubmission.json(body, maxFileSize: maxFileSize)
                    : try OSTicketSubmission.xml(body, maxFileSize: maxFileSize)
                result = try await OSTicketTicketCreate(services: services, mapping: mapping, principal: principal, now: now).run(
                    submission)
            case .email:
                result = try await OSTicketMailPipe(
                    services: services, mapping: mapping, principal: principal, now: now, arrivals: mailArrivals
                )
                .run(body)
            }
        } catch {
            if let failure = error as? OSTicketWire.Failure {
                result = .failure(failure)
            } else if let error = error as? DeskError {
                request.logger.notice("ticket not created", metadata: ["error": .string(error.description)])
                guard case .text(let code, let message) = OSTicketErrors().answer(for: error, in: OSTicketErrors.create) else {
                    throw error
                }
                result = .failure(.init(code, message))
            } else {
                throw error
            }
        }
        switch result {
        case .success(let number):
            return OSTicketWire.text(201, number)
        case .failure(let failure):
            if failure.code == 413 {
                return Responses.text(.contentTooLarge, contentType: "text/html; charset=UTF-8", failure.message)
            }
            return OSTicketWire.text(failure.code, failure.message)
        }
    }
}

/// Sends `<root>/api` and everything below it to the face; everything else passes on.
struct OSTicketMiddleware: RouterMiddleware {
    typealias Context = FaceRequestContext
    let face: OSTicketFace

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let raw = request.uri.path
        let prefix = face.root + "/api"
        guard raw == prefix || raw.hasPrefix(prefix + "/") else { return try await next(request, context) }
        guard let path = OSTicketWire.routePath(raw, root: face.root),
            let response = try await face.respond(to: request, context: context, path: path)
        else { return try await next(request, context) }
        return response
    }
}
