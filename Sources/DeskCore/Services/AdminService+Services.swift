extension AdminService {
    /// A service with the customer users it is assigned to (`ServiceAssignment.defaultLogin`
    /// for a default service).
    public struct ServiceListing: Sendable {
        public let service: DeskServiceItem
        public let logins: [String]
    }

    /// Adds a valid service. Sub-services are named `Parent::Child` (the parent must exist), as
    /// Znuny shows their full names; names are unique.
    @discardableResult
    public func addService(name: String) async throws -> Int {
        let name = try Self.serviceName(name)
        return try await store.write { tx in
            let catalog = try await tx.catalog()
            if catalog.services[name] != nil { throw DeskError.conflict(.exists(.service, key: name)) }
            if let parent = Self.parentName(of: name), catalog.services[parent] == nil {
                throw DeskError.notFound(.parentService, key: parent)
            }
            return try await tx.insertService(name: name, validity: .valid)
        }
    }

    /// Renames a service (its sub-services' names follow, as in Znuny) or changes its validity.
    public func setService(name: String, newName: String? = nil, validity: Validity? = nil) async throws {
        let newName = try newName.map(Self.serviceName)
        try await store.write { tx in
            let catalog = try await tx.catalog()
            guard let service = catalog.services[name] else { throw DeskError.notFound(.service, key: name) }
            if let newName, newName != name {
                if catalog.services[newName] != nil { throw DeskError.conflict(.exists(.service, key: newName)) }
                if let parent = Self.parentName(of: newName), catalog.services[parent] == nil {
                    throw DeskError.notFound(.parentService, key: parent)
                }
                for child in catalog.services.all where child.name.hasPrefix(name + "::") {
                    let childName = newName + child.name.dropFirst(name.count)
                    guard childName.count <= 200 else { throw DeskError.invalid(.other("name"), .tooLong(max: 200)) }
                    try await tx.updateService(id: child.id, name: childName, validity: child.validity)
                }
            }
            try await tx.updateService(id: service.id, name: newName ?? name, validity: validity ?? service.validity)
        }
    }

    /// Lets the customer user `login` use the service (nil: makes it a default service, which
    /// every customer user without a service of its own may use); `assigned: false` takes it
    /// back. The customer user must exist; its stored login is used.
    public func assignService(name: String, customer login: String?, assigned: Bool = true) async throws {
        try await store.write { tx in
            guard let service = try await tx.catalog().services[name] else { throw DeskError.notFound(.service, key: name) }
            var stored = ServiceAssignment.defaultLogin
            if let login {
                guard let customer = try await tx.customerUser(loginIgnoringCase: login) else {
                    throw DeskError.notFound(.customerUser, key: login)
                }
                stored = customer.login
            }
            try await tx.setServiceAssignment(serviceID: service.id, login: stored, assigned: assigned)
        }
    }

    /// Every service, by name, with the logins it is assigned to.
    public func serviceListings() async throws -> [ServiceListing] {
        let (catalog, assignments) = try await store.read { reader in (try await reader.catalog(), try await reader.serviceAssignments()) }
        let logins = Dictionary(grouping: assignments, by: \.serviceID).mapValues { $0.map(\.login) }
        return catalog.services.all.sorted { $0.name < $1.name }.map { ServiceListing(service: $0, logins: logins[$0.id] ?? []) }
    }

    /// An SLA's or a queue's escalation times in working minutes (0: none; nil: unchanged), as
    /// Znuny's `SLAAdd` and `QueueAdd` take them, with the working calendar they count in.
    public struct MinutesChange: Sendable {
        public var firstResponse: Int?
        public var update: Int?
        public var solution: Int?
        /// Notify-before percentages (`EscalationNotify`).
        public var firstResponseNotify: Int?
        public var updateNotify: Int?
        public var solutionNotify: Int?
        /// The working calendar: "" the default one, "1" … "9" (`Settings.calendarNames`).
        public var calendar: String?

        public init(
            firstResponse: Int? = nil, update: Int? = nil, solution: Int? = nil, firstResponseNotify: Int? = nil,
            updateNotify: Int? = nil, solutionNotify: Int? = nil, calendar: String? = nil
        ) {
            self.firstResponse = firstResponse
            self.update = update
            self.solution = solution
            self.firstResponseNotify = firstResponseNotify
            self.updateNotify = updateNotify
            self.solutionNotify = solutionNotify
            self.calendar = calendar
        }

        /// Nothing changes.
        public var isEmpty: Bool {
            [firstResponse, update, solution, firstResponseNotify, updateNotify, solutionNotify].allSatisfy { $0 == nil } && calendar == nil
        }

        /// Refuses minutes outside `EscalationMinutes.allowed`, percentages outside
        /// `EscalationNotify.allowed` and calendars not in `Settings.calendarNames`.
        func check() throws {
            try EscalationMinutes.check([firstResponse, update, solution])
            try EscalationNotify.check([firstResponseNotify, updateNotify, solutionNotify])
            if let calendar, !Settings.calendarNames.contains(calendar) {
                throw DeskError.invalid(.other("calendar"), .malformed(expected: "a calendar from 1 to 9, or empty for the default one"))
            }
        }

        /// `notify` with the percentages given here.
        func applied(to notify: EscalationNotify) -> EscalationNotify {
            EscalationNotify(
                firstResponse: firstResponseNotify ?? notify.firstResponse, update: updateNotify ?? notify.update,
                solution: solutionNotify ?? notify.solution)
        }

        /// Whether the deadlines of a queue or SLA now `current` move: its minutes or its calendar change.
        func changes<Current: EscalationSettings>(_ current: Current) -> Bool {
            firstResponse.map { $0 != current.firstResponseMinutes } ?? false || update.map { $0 != current.updateMinutes } ?? false
                || solution.map { $0 != current.solutionMinutes } ?? false || calendar.map { $0 != current.calendar } ?? false
        }
    }

    /// Adds a valid SLA covering the named services; a ticket with one of them may have it, and
    /// its times then set the ticket's escalations instead of the queue's.
    @discardableResult
    public func addSLA(name: String, services: [String], times: MinutesChange = MinutesChange()) async throws -> Int {
        let name = try Self.oneLineName(name)
        return try await store.write { tx in
            let catalog = try await tx.catalog()
            if catalog.slas[name] != nil { throw DeskError.conflict(.exists(.sla, key: name)) }
            var sla = SLA(id: 0, name: name, serviceIDs: try Self.serviceIDs(services, catalog: catalog))
            try Self.apply(times, to: &sla)
            return try await tx.insertSLA(sla)
        }
    }

    /// Changes an SLA: its name, the services it covers (nil keeps them), times and validity.
    /// The SLA is written whole, so it starts from the row as stored: a cached copy may predate
    /// another process's change, which would be written back over.
    public func setSLA(
        name: String, newName: String? = nil, services: [String]? = nil, times: MinutesChange = MinutesChange(), validity: Validity? = nil
    ) async throws {
        let newName = try newName.map(Self.oneLineName)
        try await store.write { tx in
            let catalog = try await tx.freshCatalog()
            guard var sla = catalog.slas[name] else { throw DeskError.notFound(.sla, key: name) }
            if let newName, newName != name {
                if catalog.slas[newName] != nil { throw DeskError.conflict(.exists(.sla, key: newName)) }
                sla.name = newName
            }
            if let services { sla.serviceIDs = try Self.serviceIDs(services, catalog: catalog) }
            let changesMinutes = times.changes(sla)
            try Self.apply(times, to: &sla)
            if let validity { sla.validity = validity }
            try await tx.updateSLA(sla)
            if changesMinutes { try await EscalationRebuildService.request(in: tx) }
        }
    }

    private static func serviceIDs(_ names: [String], catalog: Catalog) throws -> [Int] {
        var ids: [Int] = []
        for name in names {
            guard let service = catalog.services[name] else { throw DeskError.notFound(.service, key: name) }
            if !ids.contains(service.id) { ids.append(service.id) }
        }
        return ids
    }

    private static func apply(_ times: MinutesChange, to sla: inout SLA) throws {
        try times.check()
        if let minutes = times.firstResponse { sla.firstResponseMinutes = minutes }
        if let minutes = times.update { sla.updateMinutes = minutes }
        if let minutes = times.solution { sla.solutionMinutes = minutes }
        sla.notify = times.applied(to: sla.notify)
        if let calendar = times.calendar { sla.calendar = calendar }
    }

    /// A service's full name: `Parent::Child` parts, each non-empty, on one line, at most 200
    /// characters in all (Znuny's column).
    private static func serviceName(_ name: String) throws -> String {
        let name = try oneLineName(name)
        guard !name.hasPrefix("::"), !name.hasSuffix("::"), !name.contains("::::") else {
            throw DeskError.invalid(.other("name"), .malformed(expected: "1 to 200 characters, sub-services as Parent::Child"))
        }
        return name
    }

    /// `name` without surrounding spaces; one line of 1 to 200 characters (services, ticket types).
    static func oneLineName(_ name: String) throws -> String {
        let name = name.trimmingSpaces
        guard !name.isEmpty, name.count <= 200, !name.contains(where: { $0.isNewline || $0 == "\t" }) else {
            throw DeskError.invalid(.other("name"), .malformed(expected: "one line of 1 to 200 characters"))
        }
        return name
    }
}
