/// Tickets, articles and customer users brought over by a face's import (django-helpdesk's
/// `dumpdata`), with their times and their old ids kept as face ids. Written by
/// `ReferenceDataService.apply` in the same transaction as the rest of the import.
extension ReferenceImport {
    public struct CustomerItem: Sendable {
        public var origin: Origin
        public var login: String
        public var email: String
        public var firstName: String
        public var lastName: String
        /// An imported hash (`ImportedPasswordHash`); nil or unsupported leaves no password.
        public var passwordHash: String?
        public var validity: Validity
        /// The external id's core id is `prefix + login` (`customer:` for django-helpdesk users).
        public var coreIDPrefix: String
        /// The customer company the user belongs to (WHMCS's clients), created when missing;
        /// nil gives the user a company of its own, named by its login.
        public var company: CustomerCompany?

        public init(
            origin: Origin, login: String, email: String, firstName: String, lastName: String, passwordHash: String?,
            validity: Validity = .valid, coreIDPrefix: String = ""
        ) {
            self.origin = origin
            self.login = login
            self.email = email
            self.firstName = firstName
            self.lastName = lastName
            self.passwordHash = passwordHash
            self.validity = validity
            self.coreIDPrefix = coreIDPrefix
        }
    }

    /// A ticket with resolved references. An origin already mapped updates that ticket's title,
    /// queue, state, priority, lock, owner and attributes; articles are not added twice.
    public struct TicketItem: Sendable {
        public var origin: Origin
        public var title: String
        /// The queue, by the origin it was imported or mapped under.
        public var queue: Origin
        public var stateID: Int
        /// Names the state instead of `stateID` (a state the same import adds).
        public var stateName: String?
        public var priorityID: Int
        public var locked: Bool
        /// Agent login; agent 1 (unassigned) when nil.
        public var owner: String?
        /// A customer user login, or an e-mail address of someone unknown.
        public var customerUser: String?
        /// The ticket's customer id when it is not the customer user's (a guest's ticket kept
        /// apart from a customer with the same address); nil: the customer user's, else
        /// `customerUser` itself.
        public var customerID: String?
        public var createdAt: Int64
        public var changedAt: Int64
        public var attributes: FaceAttributes?
        /// Ticket dynamic field values by field name.
        public var fieldValues: [String: [String]]

        public init(
            origin: Origin, title: String, queue: Origin, stateID: Int, priorityID: Int, locked: Bool, owner: String?,
            customerUser: String?,
            createdAt: Int64, changedAt: Int64, attributes: FaceAttributes?, fieldValues: [String: [String]] = [:]
        ) {
            self.origin = origin
            self.title = title
            self.queue = queue
            self.stateID = stateID
            self.priorityID = priorityID
            self.locked = locked
            self.owner = owner
            self.customerUser = customerUser
            self.createdAt = createdAt
            self.changedAt = changedAt
            self.attributes = attributes
            self.fieldValues = fieldValues
        }
    }

    /// An article of an imported ticket (found by the ticket's origin).
    public struct ArticleItem: Sendable {
        public var origin: Origin
        public var ticket: Origin
        public var subject: String
        public var body: String
        public var isVisibleForCustomer: Bool
        /// `agent` or `customer`.
        public var senderType: String
        /// Agent login; agent 1 when nil (customers' articles).
        public var author: String?
        public var messageID: String
        public var createdAt: Int64
        /// Minutes, for time accounting.
        public var timeUnit: Double?
        public var attributes: FaceAttributes?

        public init(
            origin: Origin, ticket: Origin, subject: String, body: String, isVisibleForCustomer: Bool, senderType: String, author: String?,
            messageID: String, createdAt: Int64, timeUnit: Double?, attributes: FaceAttributes?
        ) {
            self.origin = origin
            self.ticket = ticket
            self.subject = subject
            self.body = body
            self.isVisibleForCustomer = isVisibleForCustomer
            self.senderType = senderType
            self.author = author
            self.messageID = messageID
            self.createdAt = createdAt
            self.timeUnit = timeUnit
            self.attributes = attributes
        }
    }
}

extension ImportWriter {
    /// Mapped ids stay the face's: its id sequence continues after the highest one imported.
    func keepSequence(_ origin: ReferenceImport.Origin) async throws {
        guard let value = Int(origin.id) else { return }
        try await tx.raiseCounter(key: FaceIDAllocation(face: face, kind: origin.kind).counterKey, atLeast: value)
    }

    mutating func put(_ item: ReferenceImport.CustomerItem) async throws {
        let hash = item.passwordHash.flatMap { ImportedPasswordHash.isSupported($0) ? $0 : nil }
        let mappedLogin = try await mappedCore(item.origin, prefix: item.coreIDPrefix)
        if let existing = try await tx.customerUser(login: item.login) {
            // Only a customer user this origin brought in before is updated; another one with
            // the same login is not taken over.
            guard mappedLogin == existing.login else { throw DeskError.conflict(.exists(.customerUser, key: item.login)) }
            if let hash { try await tx.setCustomerPassword(login: existing.login, hash: hash) }
            try await tx.setCustomerValidity(login: existing.login, item.validity)
            report.count("customer user", created: false)
        } else {
            guard try await tx.agent(login: item.login) == nil else { throw DeskError.conflict(.exists(.customerUser, key: item.login)) }
            let company = item.company ?? CustomerCompany(customerID: item.login, name: item.login)
            if try await tx.customerCompany(id: company.customerID) == nil {
                try await tx.insertCustomerCompany(company, at: now)
            } else if item.company == nil {
                throw DeskError.conflict(.exists(.customerUser, key: item.login))
            }
            _ = try await tx.insertCustomerUser(
                NewCustomerUser(
                    login: item.login, passwordHash: hash ?? "", email: item.email, firstName: item.firstName, lastName: item.lastName,
                    customerID: company.customerID, validity: item.validity, createdAt: now))
            report.count("customer user", created: true)
        }
        try await tx.setExternalID(
            ExternalID(face: face, kind: item.origin.kind, externalID: item.origin.id, coreID: item.coreIDPrefix + item.login))
        try await keepSequence(item.origin)
    }

    func agentID(_ login: String?) async throws -> Int {
        guard let login else { return 1 }
        guard let agent = try await tx.agent(login: login) else { throw DeskError.notFound(.agent, key: login) }
        return agent.id
    }

    mutating func put(_ item: ReferenceImport.TicketItem) async throws {
        let catalog = try await tx.catalog()
        var item = item
        if let name = item.stateName {
            // A state this import brings is known only inside its transaction.
            guard let state = catalog.states[name] else { throw DeskError.notFound(.state, key: name) }
            item.stateID = state.id
        }
        let owner = try await agentID(item.owner)
        guard let queueID = try await mapped(item.queue) else {
            throw DeskError.notFound(.queue, key: "\(item.queue.kind) \(item.queue.id)")
        }
        if let id = try await mapped(item.origin), let existing = try await tx.ticket(id: id) {
            // An id handed out by the face itself is not the import's to overwrite.
            guard try await tx.faceAttributes(face: face, kind: .ticket, objectIDs: [id])[id]?[Self.importedMark] != nil else {
                throw DeskError.conflict(.exists(.ticket, key: "\(item.origin.kind) \(item.origin.id)"))
            }
            var changes = TicketChanges()
            changes.title = item.title
            changes.queueID = queueID
            changes.stateID = item.stateID
            changes.priorityID = item.priorityID
            changes.lockID = item.locked ? LockID.lock : LockID.unlock
            changes.ownerID = owner
            try await tx.updateTicket(id: existing.id, changes, changedBy: 1, at: item.changedAt)
            if let attributes = item.attributes {
                try await tx.setFaceAttributes(face: attributes.face, kind: .ticket, objectID: id, attributes.values)
            }
            try await setFieldValues(item.fieldValues, ticketID: id, catalog: catalog)
            report.count("ticket", created: false)
            return
        }
        let generator = TicketNumberGenerator(settings: catalog.settings)
        let number = generator.number(counter: try await tx.nextCounter(key: generator.counterKey(at: item.createdAt)), at: item.createdAt)
        var customer: CustomerUser?
        if let login = item.customerUser, !login.isEmpty {
            customer = try await tx.customerUser(login: login)
            if customer == nil { customer = try await tx.customerUsers(email: login).first }
        }
        let row = NewTicket(
            number: number, title: item.title, queueID: queueID, typeID: catalog.ticketTypes.all.first { $0.isValid }?.id,
            serviceID: nil, slaID: nil, stateID: item.stateID, priorityID: item.priorityID,
            lockID: item.locked ? LockID.lock : LockID.unlock,
            ownerID: owner, responsibleID: 1, customerUserID: customer?.login ?? item.customerUser,
            customerID: item.customerID ?? customer?.customerID ?? item.customerUser, pendingUntil: 0, createdAt: item.createdAt,
            createdBy: 1)
        let id = try await tx.insertTicket(row)
        if item.changedAt != item.createdAt { try await tx.updateTicket(id: id, TicketChanges(), changedBy: 1, at: item.changedAt) }
        let snapshot = TicketSnapshot(
            queueID: queueID, stateID: item.stateID, priorityID: item.priorityID, ownerID: owner, typeID: row.typeID)
        try await tx.insertEvents([
            NewTicketEvent(
                ticketID: id, change: .created(number: number), snapshot: snapshot, actorID: 1, createdAt: item.createdAt,
                label: "NewTicket", note: "%%\(face) import")
        ])
        if let attributes = item.attributes {
            try await tx.setFaceAttributes(face: attributes.face, kind: .ticket, objectID: id, attributes.values)
        }
        try await tx.setFaceAttributes(face: face, kind: .ticket, objectID: id, [Self.importedMark: "1"])
        try await setFieldValues(item.fieldValues, ticketID: id, catalog: catalog)
        try await map(item.origin, to: id)
        try await keepSequence(item.origin)
        report.count("ticket", created: true)
    }

    func setFieldValues(_ values: [String: [String]], ticketID: Int, catalog: Catalog) async throws {
        let rows = values.compactMap { name, list in
            catalog.dynamicFields[name].map { DynamicFieldValue(fieldID: $0.id, objectID: ticketID, values: list) }
        }
        if !rows.isEmpty { try await tx.setDynamicFieldValues(rows) }
    }

    /// Marks tickets and articles an import wrote, so that a later import may update them.
    static let importedMark = "_imported"

    mutating func put(_ item: ReferenceImport.ArticleItem) async throws {
        if let id = try await mapped(item.origin) {
            guard try await tx.faceAttributes(face: face, kind: .article, objectIDs: [id])[id]?[Self.importedMark] != nil else {
                throw DeskError.conflict(.exists(.article, key: "\(item.origin.kind) \(item.origin.id)"))
            }
            report.count("article", created: false)
            return
        }
        let catalog = try await tx.catalog()
        guard let ticketID = try await mapped(item.ticket), let ticket = try await tx.ticket(id: ticketID) else {
            throw DeskError.notFound(.ticket, key: "\(item.ticket.kind) \(item.ticket.id)")
        }
        guard let sender = catalog.senderTypes[item.senderType], let channel = catalog.channels["Internal"] else {
            throw DeskError.notFound(.setting, key: item.senderType)
        }
        let authorID = try await agentID(item.author)
        let article = Article(
            id: 0, ticketID: ticketID, senderTypeID: sender.id, channelID: channel.id, isVisibleForCustomer: item.isVisibleForCustomer,
            from: "", to: "", cc: "", bcc: "", replyTo: "", subject: String(item.subject.prefix(3_800)), body: item.body,
            contentType: "text/plain; charset=utf-8", charset: "utf-8", mimeType: "text/plain", messageID: item.messageID, inReplyTo: "",
            references: "", incomingTime: item.createdAt, createdAt: item.createdAt, createdBy: authorID, changedAt: item.createdAt,
            changedBy: authorID)
        let id = try await tx.insertArticles([article])[0]
        try await tx.insertEvents([
            NewTicketEvent(
                ticketID: ticketID, articleID: id, change: .articleAdded, snapshot: TicketSnapshot(ticket), actorID: authorID,
                createdAt: item.createdAt, label: "AddNote", note: "%%\(face) import")
        ])
        if let unit = item.timeUnit, unit > 0 {
            try await tx.insertTimeAccounting([
                NewTimeAccounting(ticketID: ticketID, articleID: id, timeUnit: unit, createdAt: item.createdAt, createdBy: authorID)
            ])
        }
        if let attributes = item.attributes {
            try await tx.setFaceAttributes(face: attributes.face, kind: .article, objectID: id, attributes.values)
        }
        try await tx.setFaceAttributes(face: face, kind: .article, objectID: id, [Self.importedMark: "1"])
        try await map(item.origin, to: id)
        try await keepSequence(item.origin)
        report.count("article", created: true)
    }
}
