import DeskCore

/// Managing the Znuny face's web services: listing, importing a Znuny export, adding routes.
/// The CLI's `swiftdesk webservice` commands call these.
public struct WebServiceAdmin: Sendable {
    let config: FaceConfigService

    public init(services: DeskServices) {
        config = services.faceConfig
    }

    /// Every web service, valid or not, by id.
    public func all() async throws -> [WebService] {
        try await config.documents(face: ZnunyFace.faceName, kind: WebServiceDocument.kind).compactMap(WebServiceDocument.decode)
    }

    /// The valid web service called `name` (or having it as an alias).
    public func named(_ name: String) async throws -> WebService? {
        try await all().first { $0.validity == .valid && ($0.name == name || $0.aliases.contains(name)) }
    }

    /// Adds a web service, or replaces the one with the same name; returns its id.
    @discardableResult
    public func save(_ service: WebService) async throws -> Int {
        let name = service.name.trimmingSpaces
        guard !name.isEmpty, name.count <= 200 else { throw DeskError.invalid(.other("name"), .outOfRange("1 to 200 characters")) }
        for operation in service.operations {
            guard WebServiceOperation.knownTypes.contains(operation.type) else {
                throw DeskError.invalid(.other("operation"), .unknownValue("\(operation.type) (\(operation.name))"))
            }
            if service.transport == .rest {
                try Self.checkRoute(operation.route)
                guard !operation.methods.isEmpty else { throw DeskError.invalid(.other("method"), .missing) }
            }
        }
        var service = service
        service.name = name
        return try await config.put(
            face: ZnunyFace.faceName, kind: WebServiceDocument.kind, key: name, json: try WebServiceDocument.encode(service))
    }

    /// Adds (or replaces) the route of one operation of a REST web service.
    public func addRoute(webService name: String, method: String, route: String, operationType: String, operationName: String?) async throws
    {
        let method = method.uppercased()
        guard ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"].contains(method) else {
            throw DeskError.invalid(.other("method"), .unknownValue(method))
        }
        try Self.checkRoute(route)
        let type = operationType.contains("::") ? operationType : Self.qualifiedType(operationType)
        guard WebServiceOperation.knownTypes.contains(type) else {
            throw DeskError.invalid(.other("operation"), .unknownValue(operationType))
        }
        guard var service = try await all().first(where: { $0.name == name || $0.aliases.contains(name) }) else {
            throw Failure.unknownWebService(name)
        }
        guard service.transport == .rest else { throw DeskError.invalid(.other("webservice"), .unsupported) }
        var operationName = operationName ?? String(type.split(separator: ":").last ?? "")
        // A route to an operation type the service already routes elsewhere gets its own name.
        if let existing = service.operations.first(where: { $0.name == operationName }), existing.route != route || existing.type != type {
            var suffix = 2
            while service.operations.contains(where: { $0.name == "\(operationName)\(suffix)" }) { suffix += 1 }
            operationName = "\(operationName)\(suffix)"
        }
        service.operations.removeAll { $0.name == operationName }
        service.operations.append(WebServiceOperation(name: operationName, type: type, route: route, methods: [method]))
        try await save(service)
    }

    /// What the face's own administration refuses (core errors come as `DeskError`).
    public enum Failure: Error, CustomStringConvertible {
        case unknownWebService(String)

        public var description: String {
            switch self {
            case .unknownWebService(let name): "web service '\(name)' not found"
            }
        }
    }

    static func qualifiedType(_ short: String) -> String {
        WebServiceOperation.knownTypes.first { $0.hasSuffix("::" + short) } ?? short
    }

    static func checkRoute(_ route: String) throws(DeskError) {
        guard route.hasPrefix("/"), route.count <= 500, !route.contains(" "), !route.contains("?") else {
            throw .invalid(
                .other("route"), .malformed(expected: "a route starting with / without spaces or query (e.g. /Ticket/:TicketID)"))
        }
    }
}
