/// Reference data a face brings from the product it stands in for: the departments, help topics,
/// staff, custom fields and API keys of an osTicket, django-helpdesk or WHMCS installation,
/// turned by the face into queues, services, agents, dynamic fields and credentials, each mapped
/// to its old id (`ExternalID`) so hard-coded ids keep working.
///
/// `apply` writes everything in one transaction and is idempotent: an item already mapped (or,
/// the first time, an existing object with the same name) is updated, not duplicated.
public struct ReferenceImport: Sendable {
    public var face: String
    /// States to create when absent (before the mappings that may name them).
    public var states: [StateItem] = []
    public var queues: [QueueItem] = []
    public var services: [ServiceItem] = []
    public var agents: [AgentItem] = []
    public var dynamicFields: [DynamicFieldItem] = []
    /// External ids of objects that exist already (priorities, states), by name.
    public var mappings: [NameMapping] = []
    public var credentials: [CredentialItem] = []
    public var customers: [CustomerItem] = []
    public var tickets: [TicketItem] = []
    public var articles: [ArticleItem] = []
    /// Face documents to put, by kind and key.
    public var documents: [DocumentItem] = []
    /// External ids written as given (a WHMCS client's company).
    public var externalIDs: [ExternalID] = []
    /// More external ids for objects of this import: the core id of `origin` under another kind
    /// (WHMCS's public ticket numbers), written after tickets and articles.
    public var aliases: [Alias] = []

    public struct Alias: Sendable {
        public var origin: Origin
        public var kind: String
        public var externalID: String

        public init(origin: Origin, kind: String, externalID: String) {
            self.origin = origin
            self.kind = kind
            self.externalID = externalID
        }
    }

    public init(face: String) {
        self.face = face
    }

    /// Where an item's old id goes: the external id kind and value.
    public struct Origin: Sendable, Hashable {
        public var kind: String
        public var id: String

        public init(kind: String, id: String) {
            self.kind = kind
            self.id = id
        }
    }

    public struct StateItem: Sendable {
        public var name: String
        /// A state type: `new`, `open`, `closed`, `pending reminder`, `pending auto`, `removed`, `merged`.
        public var type: String

        public init(name: String, type: String) {
            self.name = name
            self.type = type
        }
    }

    public struct QueueItem: Sendable {
        public var origin: Origin
        public var name: String
        /// Minutes to a solution (escalation); nil leaves an existing queue's value.
        public var solutionMinutes: Int?
        public var comment: String
        public var validity: Validity

        public init(origin: Origin, name: String, solutionMinutes: Int? = nil, comment: String = "", validity: Validity = .valid) {
            self.origin = origin
            self.name = name
            self.solutionMinutes = solutionMinutes
            self.comment = comment
            self.validity = validity
        }
    }

    /// A service; one the import creates is a default service (`ServiceAssignment.defaultLogin`):
    /// any customer user without services of their own may have it, also over the Znuny face,
    /// as any osTicket user may pick a help topic.
    public struct ServiceItem: Sendable {
        public var origin: Origin
        /// `Parent::Child` for sub-services.
        public var name: String
        public var validity: Validity

        public init(origin: Origin, name: String, validity: Validity = .valid) {
            self.origin = origin
            self.name = name
            self.validity = validity
        }
    }

    public struct AgentItem: Sendable {
        public var origin: Origin
        /// The external id's core id is `prefix + agent id` (`agent:` for django-helpdesk users).
        public var coreIDPrefix: String = ""
        /// Whether an agent with the same login that this origin does not name yet is taken over
        /// (osTicket staff map onto existing agents); otherwise that is a conflict.
        public var adoptExisting = true
        public var login: String
        public var firstName: String
        public var lastName: String
        public var email: String
        /// A password hash of the old product (see `ImportedPasswordHash`); unsupported or nil
        /// leaves the agent without a usable password (an operator sets one).
        public var passwordHash: String?
        public var validity: Validity
        /// Given to agents this import creates.
        public var grants: [AdminService.Grant]

        public init(
            origin: Origin, login: String, firstName: String, lastName: String, email: String, passwordHash: String? = nil,
            validity: Validity = .valid, grants: [AdminService.Grant] = [.init(group: "users", permission: .rw)]
        ) {
            self.origin = origin
            self.login = login
            self.firstName = firstName
            self.lastName = lastName
            self.email = email
            self.passwordHash = passwordHash
            self.validity = validity
            self.grants = grants
        }
    }

    public struct DynamicFieldItem: Sendable {
        public var origin: Origin
        public var name: String
        public var label: String
        public var type: DynamicFieldType
        public var object: DynamicFieldObject
        public var possibleValues: [DynamicField.PossibleValue]

        public init(
            origin: Origin, name: String, label: String, type: DynamicFieldType, object: DynamicFieldObject = .ticket,
            possibleValues: [DynamicField.PossibleValue] = []
        ) {
            self.origin = origin
            self.name = name
            self.label = label
            self.type = type
            self.object = object
            self.possibleValues = possibleValues
        }
    }

    /// Maps an old id to an existing priority or state by its name.
    public struct NameMapping: Sendable {
        public enum Target: Sendable { case priority, state }
        public var origin: Origin
        public var target: Target
        public var name: String

        public init(origin: Origin, target: Target, name: String) {
            self.origin = origin
            self.target = target
            self.name = name
        }
    }

    /// A key or token the old product issued, kept so integrations need no change. Matched by
    /// its secret: an existing one gets the options given here.
    public struct CredentialItem: Sendable {
        public var kind: CredentialKind
        public var secret: String
        public var options: CredentialService.Options

        public init(kind: CredentialKind, secret: String, options: CredentialService.Options) {
            self.kind = kind
            self.secret = secret
            self.options = options
        }
    }

    public struct DocumentItem: Sendable {
        public var kind: String
        public var key: String
        public var json: String

        public init(kind: String, key: String, json: String) {
            self.kind = kind
            self.key = key
            self.json = json
        }
    }
}

/// What an import did, per kind of object.
public struct ReferenceImportReport: Sendable, Equatable {
    public var created: [String: Int] = [:]
    public var updated: [String: Int] = [:]

    public init() {}

    mutating func count(_ kind: String, created isNew: Bool) {
        if isNew { created[kind, default: 0] += 1 } else { updated[kind, default: 0] += 1 }
    }
}

/// Applies `ReferenceImport`s (see there).
public struct ReferenceDataService: Sendable {
    let store: any DeskStore
    let clock: DeskClock

    public init(store: any DeskStore, clock: DeskClock = .system) {
        self.store = store
        self.clock = clock
    }

    /// Whether the face has mapped anything yet (faces seed their defaults only once).
    public func hasMappings(face: String) async throws -> Bool {
        try await store.read { try await !$0.externalIDs(face: face, kind: nil).isEmpty }
    }

    @discardableResult
    public func apply(_ data: ReferenceImport) async throws -> ReferenceImportReport {
        try Self.check(data)
        let now = clock.now()
        return try await store.write { tx in
            var writer = ImportWriter(tx: tx, face: data.face, now: now)
            for item in data.states { try await writer.put(item) }
            for item in data.queues { try await writer.put(item) }
            for item in data.services { try await writer.put(item) }
            for item in data.agents { try await writer.put(item) }
            for item in data.customers { try await writer.put(item) }
            for item in data.dynamicFields { try await writer.put(item) }
            for item in data.mappings { try await writer.put(item) }
            for item in data.credentials { try await writer.put(item) }
            for item in data.tickets { try await writer.put(item) }
            for item in data.articles { try await writer.put(item) }
            for mapping in data.externalIDs where mapping.face == data.face { try await tx.setExternalID(mapping) }
            for alias in data.aliases {
                guard let core = try await writer.mapped(alias.origin) else {
                    throw DeskError.notFound(.externalID, key: "\(alias.origin.kind) \(alias.origin.id)")
                }
                if let taken = try await tx.externalID(face: data.face, kind: alias.kind, externalID: alias.externalID),
                    taken.coreID != String(core)
                {
                    throw DeskError.conflict(.exists(.externalID, key: "\(alias.kind) \(alias.externalID)"))
                }
                try await tx.setExternalID(
                    ExternalID(face: data.face, kind: alias.kind, externalID: alias.externalID, coreID: String(core)))
            }
            for item in data.documents {
                _ = try await tx.putFaceDocument(face: data.face, kind: item.kind, key: item.key, json: item.json, at: now)
                writer.report.count("document", created: false)
            }
            return writer.report
        }
    }

    static func check(_ data: ReferenceImport) throws(DeskError) {
        func name(_ text: String, _ field: String, max: Int = 200) throws(DeskError) {
            guard !text.trimmingSpaces.isEmpty, text.count <= max else {
                throw .invalid(.other(field), .outOfRange("1 to \(max) characters"))
            }
        }
        for item in data.queues { try name(item.name, "queue name") }
        for item in data.services { try name(item.name, "service name") }
        for item in data.agents {
            try AdminService.checkLogin(item.login)
            guard item.email.isEmpty || MailAddress.isBareAddress(item.email) else {
                throw .invalid(.other("email"), .malformed(expected: "an e-mail address"))
            }
        }
        for item in data.dynamicFields where !item.name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) || item.name.isEmpty {
            throw .invalid(.other("dynamic field name"), .malformed(expected: "letters and digits"))
        }
        for item in data.credentials {
            guard !item.secret.isEmpty, item.secret.utf8.count <= 512 else {
                throw .invalid(.other("key"), .outOfRange("1 to 512 characters"))
            }
            for address in item.options.allowedAddresses where !IPMatcher.isPattern(address) {
                throw .invalid(.other("ip"), .malformed(expected: "an IP address or CIDR block"))
            }
        }
    }
}

/// One import's writes, inside its transaction.
struct ImportWriter {
    let tx: any StoreWriter
    let face: String
    let now: Int64
    var report = ReferenceImportReport()

    init(tx: any StoreWriter, face: String, now: Int64) {
        self.tx = tx
        self.face = face
        self.now = now
    }

    /// The core id already mapped to `origin`, if it still exists per `exists`.
    func mapped(_ origin: ReferenceImport.Origin) async throws -> Int? {
        try await tx.externalID(face: face, kind: origin.kind, externalID: origin.id).flatMap { Int($0.coreID) }
    }

    func map(_ origin: ReferenceImport.Origin, to id: Int, prefix: String = "") async throws {
        try await tx.setExternalID(ExternalID(face: face, kind: origin.kind, externalID: origin.id, coreID: prefix + String(id)))
    }

    mutating func put(_ item: ReferenceImport.StateItem) async throws {
        let catalog = try await tx.catalog()
        guard catalog.states[item.name] == nil else { return }
        guard let type = catalog.stateTypes[item.type] else { throw DeskError.notFound(.state, key: item.type) }
        _ = try await tx.insertState(name: item.name, typeID: type.id)
        report.count("state", created: true)
    }

    mutating func put(_ item: ReferenceImport.QueueItem) async throws {
        try EscalationMinutes.check([item.solutionMinutes])
        let catalog = try await tx.catalog()
        let existing = try await mapped(item.origin).flatMap { catalog.queues[$0] } ?? catalog.queues[item.name]
        if let existing {
            if let other = catalog.queues[item.name], other.id != existing.id {
                throw DeskError.conflict(.exists(.queue, key: item.name))
            }
            try await tx.updateQueue(
                id: existing.id,
                QueueChanges(name: item.name, solutionMinutes: item.solutionMinutes, comment: item.comment, validity: item.validity),
                at: now)
            if let minutes = item.solutionMinutes, minutes != existing.solutionMinutes {
                try await EscalationRebuildService.request(in: tx)
            }
            try await map(item.origin, to: existing.id)
            report.count("queue", created: false)
        } else {
            guard let group = catalog.groups["users"] else { throw DeskError.notFound(.group, key: "users") }
            let id = try await tx.insertQueue(
                NewQueue(
                    name: item.name, groupID: group.id, parentID: nil, solutionMinutes: item.solutionMinutes ?? 0,
                    comment: String(item.comment.prefix(250)), signatureID: catalog.signatures.keys.min(), createdAt: now))
            if item.validity != .valid { try await tx.updateQueue(id: id, QueueChanges(validity: item.validity), at: now) }
            try await map(item.origin, to: id)
            report.count("queue", created: true)
        }
    }

    mutating func put(_ item: ReferenceImport.ServiceItem) async throws {
        let catalog = try await tx.catalog()
        let existing = try await mapped(item.origin).flatMap { catalog.services[$0] } ?? catalog.services[item.name]
        if let existing {
            if let other = catalog.services[item.name], other.id != existing.id {
                throw DeskError.conflict(.exists(.service, key: item.name))
            }
            try await tx.updateService(id: existing.id, name: item.name, validity: item.validity)
            try await map(item.origin, to: existing.id)
            report.count("service", created: false)
        } else {
            let id = try await tx.insertService(name: item.name, validity: item.validity)
            try await tx.setServiceAssignment(serviceID: id, login: ServiceAssignment.defaultLogin, assigned: true)
            try await map(item.origin, to: id)
            report.count("service", created: true)
        }
    }

    /// The core id mapped to `origin`, without the mapping's prefix.
    func mappedCore(_ origin: ReferenceImport.Origin, prefix: String) async throws -> String? {
        guard let core = try await tx.externalID(face: face, kind: origin.kind, externalID: origin.id)?.coreID, core.hasPrefix(prefix)
        else {
            return nil
        }
        return String(core.dropFirst(prefix.count))
    }

    mutating func put(_ item: ReferenceImport.AgentItem) async throws {
        let hash = item.passwordHash.flatMap { ImportedPasswordHash.isSupported($0) ? $0 : nil }
        var existing: Agent?
        if let id = try await mappedCore(item.origin, prefix: item.coreIDPrefix).flatMap({ Int($0) }) {
            existing = try await tx.agent(id: id)
        } else if let sameLogin = try await tx.agent(login: item.login) {
            guard item.adoptExisting else { throw DeskError.conflict(.exists(.agent, key: item.login)) }
            existing = sameLogin
        }
        if let existing {
            try await tx.updateAgentProfile(
                id: existing.id, firstName: item.firstName, lastName: item.lastName, email: item.email, validity: item.validity, at: now)
            if let hash { try await tx.setAgentPassword(agentID: existing.id, hash: hash) }
            try await map(item.origin, to: existing.id, prefix: item.coreIDPrefix)
            try await keepSequence(item.origin)
            report.count("agent", created: false)
        } else {
            let catalog = try await tx.catalog()
            let id = try await tx.insertAgent(
                NewAgent(
                    login: item.login, passwordHash: hash ?? "", firstName: item.firstName, lastName: item.lastName, email: item.email,
                    createdAt: now))
            if item.validity != .valid {
                try await tx.updateAgentProfile(
                    id: id, firstName: item.firstName, lastName: item.lastName, email: item.email, validity: item.validity, at: now)
            }
            let permissions = try item.grants.map { grant throws(DeskError) -> GroupPermission in
                guard let group = catalog.groups[grant.group] else { throw .notFound(.group, key: grant.group) }
                return GroupPermission(groupID: group.id, permission: grant.permission)
            }
            try await tx.grant(permissions, toAgent: id)
            try await map(item.origin, to: id, prefix: item.coreIDPrefix)
            try await keepSequence(item.origin)
            report.count("agent", created: true)
        }
    }

    mutating func put(_ item: ReferenceImport.DynamicFieldItem) async throws {
        let catalog = try await tx.catalog()
        if let existing = catalog.dynamicFields[item.name] {
            // An existing field keeps its definition: values stored under it stay valid.
            try await tx.setExternalID(ExternalID(face: face, kind: item.origin.kind, externalID: item.origin.id, coreID: existing.name))
            report.count("dynamic field", created: false)
            return
        }
        _ = try await tx.insertDynamicField(
            NewDynamicField(
                name: item.name, label: item.label, type: item.type, object: item.object, possibleValues: item.possibleValues,
                possibleNone: true, createdAt: now))
        try await tx.setExternalID(ExternalID(face: face, kind: item.origin.kind, externalID: item.origin.id, coreID: item.name))
        report.count("dynamic field", created: true)
    }

    mutating func put(_ item: ReferenceImport.NameMapping) async throws {
        let catalog = try await tx.catalog()
        let id: Int?
        switch item.target {
        case .priority: id = catalog.priorities[item.name]?.id
        case .state: id = catalog.states[item.name]?.id
        }
        guard let id else {
            throw DeskError.notFound(item.target == .priority ? .priority : .state, key: item.name)
        }
        try await map(item.origin, to: id)
        report.count(item.target == .priority ? "priority" : "state", created: false)
    }

    mutating func put(_ item: ReferenceImport.CredentialItem) async throws {
        let digest = SecretDigest.sha256(item.secret)
        var agentID: Int?
        if let login = item.options.agentLogin {
            guard let agent = try await tx.agent(login: login) else { throw DeskError.notFound(.agent, key: login) }
            agentID = agent.id
        }
        if let existing = try await tx.credential(face: face, kind: item.kind, secretHash: digest) {
            try await tx.updateCredentialOptions(
                id: existing.id, scopes: item.options.scopes, allowedAddresses: item.options.allowedAddresses,
                isActive: item.options.isActive, notes: item.options.notes)
            report.count("credential", created: false)
        } else {
            _ = try await tx.insertCredential(
                NewCredential(
                    face: face, kind: item.kind, identifier: nil, secretHash: digest, hint: String(item.secret.prefix(8)), agentID: agentID,
                    customerLogin: item.options.customerLogin, scopes: item.options.scopes,
                    allowedAddresses: item.options.allowedAddresses, isActive: item.options.isActive, notes: item.options.notes,
                    createdAt: now))
            report.count("credential", created: true)
        }
    }
}
