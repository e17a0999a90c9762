/// Administration: agents, customer users, queues, dynamic fields, settings. The CLI calls these;
/// so will the admin UI and API. Each call validates fully, then writes in one transaction.
public struct AdminService: Sendable {
    let store: any DeskStore
    public let hasher: PasswordHasher
    public let clock: DeskClock

    public init(store: any DeskStore, hasher: PasswordHasher = PasswordHasher(), clock: DeskClock = .system) {
        self.store = store
        self.hasher = hasher
        self.clock = clock
    }

    /// A group grant by group name, as `users:rw` on the command line.
    public struct Grant: Sendable, Hashable {
        public var group: String
        public var permission: Permission

        public init(group: String, permission: Permission) {
            self.group = group
            self.permission = permission
        }

        /// Parses `group:permission` (permission defaults to `rw`).
        public init(parsing text: String) throws(DeskError) {
            let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
            guard let group = parts.first, !group.isEmpty else { throw .invalid(.other("group"), .malformed(expected: "GROUP:PERMISSION")) }
            let key = parts.count > 1 ? parts[1] : "rw"
            guard let permission = Permission(rawValue: key) else {
                let keys = Permission.allCases.map(\.rawValue).joined(separator: ", ")
                throw .invalid(.other("group"), .malformed(expected: "a permission (\(keys))"))
            }
            self.init(group: group, permission: permission)
        }
    }

    @discardableResult
    public func addAgent(login: String, password: String, firstName: String, lastName: String, email: String, grants: [Grant]) async throws
        -> Int
    {
        try Self.checkLogin(login)
        try Self.checkPassword(password)
        try Self.checkName(firstName, field: "first")
        try Self.checkName(lastName, field: "last")
        guard MailAddress.isValid(email) else { throw DeskError.invalid(.other("email"), .malformed(expected: "an e-mail address")) }
        let hash = hasher.hash(password)
        let now = clock.now()
        return try await store.write { tx in
            let catalog = try await tx.catalog()
            let permissions = try grants.map { grant throws(DeskError) -> (Int, Permission) in
                guard let group = catalog.groups[grant.group] else { throw .notFound(.group, key: grant.group) }
                return (group.id, grant.permission)
            }
            if try await tx.agent(login: login) != nil { throw DeskError.conflict(.exists(.agent, key: login)) }
            let id = try await tx.insertAgent(
                NewAgent(login: login, passwordHash: hash, firstName: firstName, lastName: lastName, email: email, createdAt: now))
            if !permissions.isEmpty {
                try await tx.grant(permissions.map { GroupPermission(groupID: $0.0, permission: $0.1) }, toAgent: id)
            }
            return id
        }
    }

    public func setAgentPassword(login: String, password: String) async throws {
        try Self.checkPassword(password)
        let hash = hasher.hash(password)
        try await store.write { tx in
            guard let agent = try await tx.agent(login: login) else { throw DeskError.notFound(.agent, key: login) }
            try await tx.setAgentPassword(agentID: agent.id, hash: hash)
        }
    }

    /// Keeps a password hash brought over from another product (Django's `pbkdf2_sha256$…`,
    /// bcrypt, Znuny's forms: see `ImportedPasswordHash`), so the agent logs in with the old
    /// password.
    public func setAgentPasswordHash(login: String, hash: String) async throws {
        guard ImportedPasswordHash.isSupported(hash) else { throw DeskError.invalid(.other("password hash"), .unsupported) }
        try await store.write { tx in
            guard let agent = try await tx.agent(login: login) else { throw DeskError.notFound(.agent, key: login) }
            try await tx.setAgentPassword(agentID: agent.id, hash: hash)
        }
    }

    /// `setAgentPasswordHash` for a customer user.
    public func setCustomerPasswordHash(login: String, hash: String) async throws {
        guard ImportedPasswordHash.isSupported(hash) else { throw DeskError.invalid(.other("password hash"), .unsupported) }
        try await store.write { tx in
            guard try await tx.customerUser(login: login) != nil else { throw DeskError.notFound(.customerUser, key: login) }
            try await tx.setCustomerPassword(login: login, hash: hash)
        }
    }

    public func grant(login: String, grants: [Grant]) async throws {
        try await store.write { tx in
            let catalog = try await tx.catalog()
            guard let agent = try await tx.agent(login: login) else { throw DeskError.notFound(.agent, key: login) }
            let permissions = try grants.map { grant throws(DeskError) -> GroupPermission in
                guard let group = catalog.groups[grant.group] else { throw .notFound(.group, key: grant.group) }
                return GroupPermission(groupID: group.id, permission: grant.permission)
            }
            try await tx.grant(permissions, toAgent: agent.id)
        }
    }

    @discardableResult
    public func addCustomerUser(login: String, password: String, customerID: String, firstName: String, lastName: String, email: String)
        async throws -> Int
    {
        try Self.checkLogin(login)
        try Self.checkPassword(password)
        try Self.checkName(firstName, field: "first")
        try Self.checkName(lastName, field: "last")
        guard !customerID.trimmingSpaces.isEmpty, customerID.count <= 150 else {
            throw DeskError.invalid(.other("customer-id"), .outOfRange("1 to 150 characters"))
        }
        guard MailAddress.isValid(email) else { throw DeskError.invalid(.other("email"), .malformed(expected: "an e-mail address")) }
        let hash = hasher.hash(password)
        let now = clock.now()
        return try await store.write { tx in
            if try await tx.customerUser(login: login) != nil { throw DeskError.conflict(.exists(.customerUser, key: login)) }
            if try await tx.customerCompany(id: customerID) == nil {
                try await tx.insertCustomerCompany(CustomerCompany(customerID: customerID, name: customerID), at: now)
            }
            return try await tx.insertCustomerUser(
                NewCustomerUser(
                    login: login, passwordHash: hash, email: email, firstName: firstName, lastName: lastName,
                    customerID: customerID, createdAt: now))
        }
    }

    /// Adds a queue. `Parent::Child` names a sub-queue; the parent must exist.
    @discardableResult
    public func addQueue(
        name: String, group: String = "users", firstResponseMinutes: Int = 0, updateMinutes: Int = 0, solutionMinutes: Int = 0,
        notify: EscalationNotify = .none, calendar: String = ""
    ) async throws -> Int {
        let name = name.trimmingSpaces
        guard !name.isEmpty, name.count <= 200, !name.hasPrefix("::"), !name.hasSuffix("::") else {
            throw DeskError.invalid(.other("name"), .malformed(expected: "1 to 200 characters, sub-queues as Parent::Child"))
        }
        try MinutesChange(
            firstResponse: firstResponseMinutes, update: updateMinutes, solution: solutionMinutes,
            firstResponseNotify: notify.firstResponse,
            updateNotify: notify.update, solutionNotify: notify.solution, calendar: calendar
        ).check()
        let now = clock.now()
        return try await store.write { tx in
            let catalog = try await tx.catalog()
            guard let groupRow = catalog.groups[group] else { throw DeskError.notFound(.group, key: group) }
            if catalog.queues[name] != nil { throw DeskError.conflict(.exists(.queue, key: name)) }
            var parentID: Int?
            if let parentName = Self.parentName(of: name) {
                guard let parent = catalog.queues[parentName] else { throw DeskError.notFound(.parentQueue, key: parentName) }
                parentID = parent.id
            }
            return try await tx.insertQueue(
                NewQueue(
                    name: name, groupID: groupRow.id, parentID: parentID, firstResponseMinutes: firstResponseMinutes,
                    updateMinutes: updateMinutes, solutionMinutes: solutionMinutes, notify: notify, calendar: calendar,
                    signatureID: catalog.signatures.keys.min(),
                    createdAt: now))
        }
    }

    @discardableResult
    public func addDynamicField(
        name: String, label: String?, type: DynamicFieldType, object: DynamicFieldObject,
        possibleValues: [DynamicField.PossibleValue], possibleNone: Bool
    ) async throws -> Int {
        guard !name.isEmpty, name.count <= 200, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw DeskError.invalid(.other("name"), .malformed(expected: "1 to 200 letters and digits (Znuny's rule)"))
        }
        let choices = type == .dropdown || type == .multiselect
        if choices && possibleValues.isEmpty {
            throw DeskError.invalid(.other("values"), .missing)
        }
        if !choices && !possibleValues.isEmpty {
            throw DeskError.invalid(.other("values"), .unsupported)
        }
        if Set(possibleValues.map(\.key)).count != possibleValues.count {
            throw DeskError.invalid(.other("values"), .malformed(expected: "distinct keys"))
        }
        let now = clock.now()
        return try await store.write { tx in
            let catalog = try await tx.catalog()
            if catalog.dynamicFields[name] != nil { throw DeskError.conflict(.exists(.dynamicField, key: name)) }
            return try await tx.insertDynamicField(
                NewDynamicField(
                    name: name, label: label ?? name, type: type, object: object, possibleValues: possibleValues,
                    possibleNone: possibleNone, createdAt: now))
        }
    }

    /// Adds a system address: an address mail goes out from (and, once mail comes in, arrives
    /// at, for `queue`). Addresses are unique, compared case-insensitively.
    @discardableResult
    public func addSystemAddress(email: String, name: String, queue: String = "Postmaster") async throws -> Int {
        let email = email.trimmingSpaces
        guard MailAddress.isEnvelopeAddress(email) else {
            throw DeskError.invalid(.other("email"), .malformed(expected: "an e-mail address"))
        }
        guard !name.contains(where: \.isNewline), name.count <= 200 else {
            throw DeskError.invalid(.other("name"), .malformed(expected: "one line of at most 200 characters"))
        }
        let now = clock.now()
        return try await store.write { tx in
            let catalog = try await tx.catalog()
            guard let queueRow = catalog.queues[queue] else { throw DeskError.notFound(.queue, key: queue) }
            if catalog.systemAddresses.values.contains(where: { $0.address.lowercased() == email.lowercased() }) {
                throw DeskError.conflict(.exists(.systemAddress, key: email))
            }
            return try await tx.insertSystemAddress(address: email, realName: name, queueID: queueRow.id, at: now)
        }
    }

    /// Changes a queue's escalation minutes, notify-before percentages and calendar (nil:
    /// unchanged) and requests an escalation rebuild when the minutes or the calendar differ: its
    /// tickets' deadlines follow. Compared with the queue as stored, not with a cached copy that
    /// may predate another process's change.
    public func setQueueMinutes(queue: String, _ minutes: MinutesChange) async throws {
        try minutes.check()
        let now = clock.now()
        try await store.write { tx in
            let catalog = try await tx.freshCatalog()
            guard let queueRow = catalog.queues[queue] else { throw DeskError.notFound(.queue, key: queue) }
            var changes = QueueChanges()
            changes.firstResponseMinutes = minutes.firstResponse
            changes.updateMinutes = minutes.update
            changes.solutionMinutes = minutes.solution
            changes.notify = minutes.applied(to: queueRow.notify)
            changes.calendar = minutes.calendar
            try await tx.updateQueue(id: queueRow.id, changes, at: now)
            if minutes.changes(queueRow) {
                try await EscalationRebuildService.request(in: tx)
            }
        }
    }

    /// Sends the queue's mail from the system address `email`.
    public func setQueueSystemAddress(queue: String, email: String) async throws {
        let now = clock.now()
        try await store.write { tx in
            let catalog = try await tx.catalog()
            guard let queueRow = catalog.queues[queue] else { throw DeskError.notFound(.queue, key: queue) }
            guard let address = catalog.systemAddresses.values.first(where: { $0.address.lowercased() == email.lowercased() }) else {
                throw DeskError.notFound(.systemAddress, key: email)
            }
            var changes = QueueChanges()
            changes.systemAddressID = address.id
            try await tx.updateQueue(id: queueRow.id, changes, at: now)
        }
    }

    /// Adds an auto response (see `AutoResponse` for the tags its subject and text may use).
    @discardableResult
    public func addAutoResponse(name: String, type: String, subject: String, text: String) async throws -> Int {
        let name = name.trimmingSpaces
        guard !name.isEmpty, name.count <= 200 else { throw DeskError.invalid(.other("name"), .malformed(expected: "1 to 200 characters")) }
        guard !subject.contains(where: \.isNewline) else { throw DeskError.invalid(.other("subject"), .malformed(expected: "one line")) }
        let now = clock.now()
        return try await store.write { tx in
            let catalog = try await tx.catalog()
            guard let typeRow = catalog.autoResponseTypes[type] else { throw DeskError.invalid(.other("type"), .unknownValue(type)) }
            if try await tx.autoResponses().contains(where: { $0.name == name }) {
                throw DeskError.conflict(.exists(.autoResponse, key: name))
            }
            return try await tx.insertAutoResponse(
                AutoResponse(id: 0, name: name, typeID: typeRow.id, subject: subject, text: text), at: now)
        }
    }

    /// Links the auto response `name` to the queue for its type, or with nil unlinks `type`.
    public func setQueueAutoResponse(queue: String, name: String?, type: String? = nil) async throws {
        try await store.write { tx in
            let catalog = try await tx.catalog()
            guard let queueRow = catalog.queues[queue] else { throw DeskError.notFound(.queue, key: queue) }
            if let name {
                guard let response = try await tx.autoResponses().first(where: { $0.name == name }) else {
                    throw DeskError.notFound(.autoResponse, key: name)
                }
                try await tx.setQueueAutoResponse(queueID: queueRow.id, typeID: response.typeID, autoResponseID: response.id)
            } else {
                guard let type, let typeRow = catalog.autoResponseTypes[type] else {
                    throw DeskError.invalid(.other("type"), .unknownValue(type ?? ""))
                }
                try await tx.setQueueAutoResponse(queueID: queueRow.id, typeID: typeRow.id, autoResponseID: nil)
            }
        }
    }

    /// Every auto response with the queues it is linked to.
    public func autoResponses() async throws -> [AutoResponse] {
        try await store.read { try await $0.autoResponses() }
    }

    /// Stores a setting; changing `Ticket::Service` (an SLA's minutes apply or stop applying) or
    /// a working calendar (`TimeWorkingHours`, `TimeVacationDays`, `TimeVacationDaysOneTime`,
    /// `TimeZone`, each also `::Calendar1` … `9`: deadlines move) requests an escalation rebuild,
    /// judged by the setting as stored.
    public func setSetting(key: String, value: String) async throws {
        try Settings.validate(key: key, value: value)
        try await store.write { tx in
            let before = try await tx.freshCatalog().settings[key]
            try await tx.setSetting(key: key, value: value)
            if key == "Ticket::Service" || Settings.calendarKey(key) != nil, before != value {
                try await EscalationRebuildService.request(in: tx)
            }
        }
    }

    /// `A::B::C` → `A::B`; nil for a top-level queue or service.
    static func parentName(of name: String) -> String? {
        var parts: [String] = []
        var rest = Substring(name)
        while let range = rest.firstRange(of: "::") {
            parts.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        return parts.isEmpty ? nil : parts.joined(separator: "::")
    }

    static func checkLogin(_ login: String) throws(DeskError) {
        guard !login.isEmpty, login.count <= 200, !login.contains(where: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }) else {
            throw .invalid(.other("login"), .malformed(expected: "1 to 200 characters without spaces"))
        }
    }

    static func checkPassword(_ password: String) throws(DeskError) {
        guard password.count >= 8, password.utf8.count <= 1024 else {
            throw .invalid(.other("password"), .outOfRange("at least 8 characters"))
        }
    }

    static func checkName(_ name: String, field: String) throws(DeskError) {
        guard !name.trimmingSpaces.isEmpty, name.count <= 100 else { throw .invalid(.other(field), .outOfRange("1 to 100 characters")) }
    }
}
