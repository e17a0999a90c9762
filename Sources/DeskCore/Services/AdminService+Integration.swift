extension AdminService {
    /// One out-of-office change, by agent login.
    public struct OutOfOfficeEntry: Sendable {
        public var login: String
        public var enabled: Bool
        /// `YYYY-MM-DD`.
        public var start: String?
        public var end: String?

        public init(login: String, enabled: Bool, start: String?, end: String?) {
            self.login = login
            self.enabled = enabled
            self.start = start
            self.end = end
        }
    }

    /// Sets out-of-office flags and dates; only admins (`rw` in group `admin`) may.
    /// Entries naming unknown agents are skipped; returns how many were applied.
    @discardableResult
    public func setOutOfOffice(_ entries: [OutOfOfficeEntry], by principal: Principal) async throws -> Int {
        try await store.write { tx in
            let catalog = try await tx.catalog()
            guard GroupAccess.isAdmin(principal, catalog: catalog) else {
                throw DeskError.accessDenied(action: "change out-of-office settings")
            }
            var applied = 0
            for entry in entries {
                for date in [entry.start, entry.end].compactMap({ $0 }) where CivilDate(timestamp: date) == nil {
                    throw DeskError.invalid(field: "OutOfOffice", reason: "'\(date)' is not a date YYYY-MM-DD")
                }
                guard let target = try await tx.agent(login: entry.login) else { continue }
                try await tx.setOutOfOffice(agentID: target.id, enabled: entry.enabled, start: entry.start, end: entry.end)
                applied += 1
            }
            return applied
        }
    }

    /// Adds a web service, or replaces the one with the same name.
    @discardableResult
    public func saveWebService(_ service: WebService) async throws -> Int {
        let name = service.name.trimmingSpaces
        guard !name.isEmpty, name.count <= 200 else { throw DeskError.invalid(field: "name", reason: "a web service name is 1 to 200 characters") }
        for operation in service.operations {
            guard WebServiceOperation.knownTypes.contains(operation.type) else {
                throw DeskError.invalid(field: "operation", reason: "unsupported operation type '\(operation.type)' (\(operation.name))")
            }
            if service.transport == .rest {
                try Self.checkRoute(operation.route)
                guard !operation.methods.isEmpty else { throw DeskError.invalid(field: "method", reason: "operation \(operation.name) has no HTTP method") }
            }
        }
        let now = clock.now()
        return try await store.write { tx in
            let catalog = try await tx.catalog()
            if let existing = catalog.webServices.first(where: { $0.name == name }) {
                var updated = service
                updated.id = existing.id
                try await tx.updateWebService(updated, at: now)
                return existing.id
            }
            return try await tx.insertWebService(service, at: now)
        }
    }

    /// Adds (or replaces) the route of one operation of a REST web service.
    public func addRoute(webService name: String, method: String, route: String, operationType: String, operationName: String?) async throws {
        let method = method.uppercased()
        guard ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"].contains(method) else {
            throw DeskError.invalid(field: "method", reason: "unknown HTTP method '\(method)'")
        }
        try Self.checkRoute(route)
        let type = operationType.contains("::") ? operationType : Self.qualifiedType(operationType)
        guard WebServiceOperation.knownTypes.contains(type) else {
            throw DeskError.invalid(field: "operation", reason: "unknown operation '\(operationType)'")
        }
        let now = clock.now()
        try await store.write { tx in
            let catalog = try await tx.catalog()
            guard var service = catalog.webServices.first(where: { $0.name == name || $0.aliases.contains(name) }) else {
                throw DeskError.notFound(entity: "web service", key: name)
            }
            guard service.transport == .rest else { throw DeskError.invalid(field: "webservice", reason: "\(name) is not a REST web service") }
            var operationName = operationName ?? String(type.split(separator: ":").last ?? "")
            // A route to an operation type the service already routes elsewhere gets its own name.
            if let existing = service.operations.first(where: { $0.name == operationName }), existing.route != route || existing.type != type {
                var suffix = 2
                while service.operations.contains(where: { $0.name == "\(operationName)\(suffix)" }) { suffix += 1 }
                operationName = "\(operationName)\(suffix)"
            }
            service.operations.removeAll { $0.name == operationName }
            service.operations.append(WebServiceOperation(name: operationName, type: type, route: route, methods: [method]))
            try await tx.updateWebService(service, at: now)
        }
    }

    static func qualifiedType(_ short: String) -> String {
        WebServiceOperation.knownTypes.first { $0.hasSuffix("::" + short) } ?? short
    }

    static func checkRoute(_ route: String) throws(DeskError) {
        guard route.hasPrefix("/"), route.count <= 500, !route.contains(" "), !route.contains("?") else {
            throw .invalid(field: "route", reason: "a route starts with / and has no spaces or query (e.g. /Ticket/:TicketID)")
        }
    }
}
