/// Validates a create request completely, in the documented order of checks (`CheckStep`), and
/// produces a `TicketCreatePlan`. Nothing is written while anything is wrong.
struct TicketCreatePlanner {
    let catalog: Catalog
    let reader: any StoreReader
    let principal: Principal
    let now: Int64

    func plan(_ request: TicketCreateRequest) async throws -> TicketCreatePlan {
        try principal.require(.createTickets)
        let resolver = Resolver(catalog: catalog, reader: reader)
        let title = request.title.trimmingSpaces
        guard !title.isEmpty else { throw DeskError.invalid(.title, .missing) }
        guard title.count <= 255 else { throw DeskError.invalid(.title, .tooLong(max: 255)) }
        var customerLogin = request.customerUser?.trimmingSpaces.nilIfEmpty
        var customer = try await customerLogin.asyncMap {
            try await resolver.customerUser($0, check: request.unknownCustomerCheck, byAddress: request.customerByAddress)
        }
        // The ticket names the customer user by its stored login, whatever case (or address) the request used.
        if let customer { customerLogin = customer.login }
        var newCustomer: NewCustomerUser?
        if let registration = request.registration {
            (customer, newCustomer) = try await resolver.registration(registration, at: now)
            customerLogin = customer?.login ?? newCustomer?.login
        }
        guard let queueRef = request.queue else { throw DeskError.invalid(.queue, .missing) }
        let queue = try resolver.queue(queueRef)
        let explicitLock = try request.lock.map { try resolver.lock($0) }
        let type: Lookup?
        if let ref = request.type {
            type = try resolver.type(ref)
        } else if catalog.settings.ticketTypeEnabled {
            throw DeskError.invalid(.type, .missing)
        } else {
            type = catalog.ticketTypes.all.first { $0.isValid }
        }
        // Znuny checks the service against the customer user as the request writes it (`CORA`
        // is not `cora` there, nor an address the customer user it belongs to).
        let serviceLogin = request.customerUser?.trimmingSpaces.nilIfEmpty ?? customerLogin
        let service = try await request.service.asyncMap {
            request.serviceOfAnyCustomer ? try resolver.service($0) : try await resolver.service($0, customerLogin: serviceLogin)
        }
        let sla = try request.sla.map { try resolver.sla($0, serviceID: service?.id) }
        guard let stateRef = request.state else { throw DeskError.invalid(.state, .missing) }
        let state = try resolver.state(stateRef)
        guard let priorityRef = request.priority else { throw DeskError.invalid(.priority, .missing) }
        let priority = try resolver.priority(priorityRef)
        let owner = try await request.owner.asyncMap { try await resolver.agent($0, field: .owner) }
        let responsible = try await request.responsible.asyncMap { try await resolver.agent($0, field: .responsible) }
        guard TicketAccess.canCreate(in: queue, by: principal) else { throw DeskError.accessDenied(.createTicket(queue: queue.name)) }

        let stateType = catalog.stateTypeName(ofState: state.id)
        let actingUserID = principal.actingUserID(catalog.settings)
        // Znuny's order: the lock asked for, a closing state unlocks, then an owner locks unless
        // a lock was asked for (so a closed ticket given an owner ends locked).
        var lockID = explicitLock?.id ?? LockID.unlock
        if stateType.hasPrefix("close") { lockID = LockID.unlock }
        if owner != nil && explicitLock == nil { lockID = LockID.lock }
        var pendingUntil: Int64 = 0
        if stateType.hasPrefix("pending"), let until = request.pendingUntil { pendingUntil = until }

        // A customer not in the database (an address) has no customer id, as Znuny stores it.
        let knownID = customer?.customerID ?? newCustomer?.customerID
        let customerID = request.customerID?.trimmingSpaces.nilIfEmpty ?? knownID ?? customerLogin.map { _ in "" }
        let defaultFrom =
            customer?.mailbox ?? newCustomer.map {
                "\"\([$0.firstName, $0.lastName].filter { !$0.isEmpty }.joined(separator: " "))\" <\($0.email)>"
            } ?? customerLogin ?? ""
        let preparer = ArticlePreparer(resolver: resolver, principal: principal, now: now, actingUserID: actingUserID)
        var articles: [PreparedArticle] = []
        for (index, draft) in request.articles.enumerated() {
            let addresses = ArticlePreparer.AddressContext(
                queue: queue, customerLogin: customer?.login ?? customerLogin, from: defaultFrom, to: queue.name)
            articles.append(try await preparer.prepare(draft, index: index, ticketID: 0, addresses: addresses))
        }
        var ticketFields: [(field: DynamicField, values: [String])] = []
        var articleFields: [(field: DynamicField, values: [String])] = []
        for entry in try resolver.dynamicFields(request.dynamicFields, field: { .dynamicField($0, name: $1) }) {
            if entry.field.object == .ticket { ticketFields.append(entry) } else { articleFields.append(entry) }
        }
        for (index, draft) in request.articles.enumerated() {
            try preparer.prepareFields(draft, index: index, into: &articles[index])
            try preparer.prepareAttachments(draft, index: index)
            articles[index].dynamicFields = articleFields + articles[index].dynamicFields
        }
        let escalationMinutes = EscalationMinutes(queueID: queue.id, slaID: sla?.id, catalog: catalog)
        let ticket = NewTicket(
            number: "", title: title, queueID: queue.id, typeID: type?.id, serviceID: service?.id, slaID: sla?.id,
            stateID: state.id, priorityID: priority.id, lockID: lockID, ownerID: owner?.id ?? actingUserID,
            responsibleID: responsible?.id ?? 1, customerUserID: customer?.login ?? customerLogin, customerID: customerID,
            pendingUntil: pendingUntil,
            escalation: EscalationIndex(catalog: catalog).times(
                createdAt: now, stateID: state.id, minutes: escalationMinutes,
                articles: articles.map { ArticleMark($0.row) }, everClosed: false),
            createdAt: now, createdBy: actingUserID
        )
        return TicketCreatePlan(
            ticket: ticket, newCustomer: newCustomer, owner: owner, responsible: responsible, articles: articles,
            ticketFields: ticketFields,
            explicitLock: explicitLock != nil,
            lockUndoneByState: explicitLock?.name == "lock" && stateType.hasPrefix("close"),
            actingLogin: principal.login, now: now, actingUserID: actingUserID,
            faceID: request.faceID, faceAttributes: request.faceAttributes, faceKeys: request.faceKeys)
    }
}

/// A validated create, ready to be written.
struct TicketCreatePlan: Sendable {
    var ticket: NewTicket
    /// A customer user to create first (see `CustomerRegistration`).
    let newCustomer: NewCustomerUser?
    let owner: Agent?
    let responsible: Agent?
    let articles: [PreparedArticle]
    let ticketFields: [(field: DynamicField, values: [String])]
    /// Whether the caller named the lock (otherwise an owner given at create locks the ticket).
    let explicitLock: Bool
    /// The caller asked for `lock` with a closed state: Znuny's TicketCreate locks, then its
    /// closing state unlocks (both recorded).
    let lockUndoneByState: Bool
    /// Login of the acting agent, for the owner event when no owner was named.
    let actingLogin: String
    let now: Int64
    let actingUserID: Int
    let faceID: FaceIDAllocation?
    let faceAttributes: FaceAttributes?
    let faceKeys: [FaceKeyChoice]

    /// Writes the ticket and what goes with it, with the events in Znuny's order: created,
    /// customer, lock, pending time, ticket dynamic fields, each article (with its unlock-timer
    /// reset and accounted time), then owner, the lock an owner brings, responsible. Returns
    /// what it wrote with the ids.
    func execute(in tx: any StoreWriter, catalog: Catalog) async throws -> (TicketCreateResult, WrittenTicket) {
        if let newCustomer {
            // Two requests may register the same address at once: the second one uses the first's.
            try await tx.insertCustomerUserIfAbsent(newCustomer)
        }
        let generator = TicketNumberGenerator(settings: catalog.settings)
        let reservation = try await tx.reserveTicket(counterKey: generator.counterKey(at: now), articles: articles.count)
        var row = ticket
        row.number = generator.number(counter: reservation.counter, at: now)
        let agentSender = catalog.senderTypes["agent"]?.id
        // An agent's article and a lock each restart the unlock timer.
        let locks = row.lockID != LockID.unlock && catalog.locks[row.lockID]?.name == "lock" && (explicitLock || owner != nil)
        if locks || lockUndoneByState || articles.contains(where: { $0.row.senderTypeID == agentSender }) { row.unlockTimeout = now }
        let ticketID = try await tx.insertTicket(row, id: reservation.ticketID)
        // Znuny creates the ticket unlocked and owned by agent 1, then sets the owner: events
        // before that step show the initial owner.
        var initial = Ticket(
            id: ticketID, number: row.number, title: row.title, queueID: row.queueID, typeID: row.typeID,
            serviceID: row.serviceID, slaID: row.slaID, stateID: row.stateID, priorityID: row.priorityID,
            lockID: explicitLock ? row.lockID : LockID.unlock, ownerID: 1, responsibleID: 1,
            customerUserID: row.customerUserID, customerID: row.customerID, pendingUntil: row.pendingUntil,
            escalationTime: row.escalation.escalation, escalationResponseTime: row.escalation.response,
            escalationUpdateTime: row.escalation.update, escalationSolutionTime: row.escalation.solution,
            unlockTimeout: 0, createdAt: now, createdBy: actingUserID, changedAt: now, changedBy: actingUserID
        )
        let writer = ArticleWriter(tx: tx, catalog: catalog, now: now, actingUserID: actingUserID)
        var events = [writer.event(.created(number: row.number), initial)]
        // With the service feature on, Znuny's TicketCreate records the initial service and SLA
        // (none: `NULL`), so that the first values can be seen.
        if catalog.settings.serviceEnabled {
            let service = row.serviceID.map { NamedID(id: $0, name: catalog.services[$0]?.name ?? "") }
            let sla = row.slaID.map { NamedID(id: $0, name: catalog.slas[$0]?.name ?? "") }
            events.append(writer.event(.service(old: nil, new: service), initial))
            events.append(writer.event(.sla(old: nil, new: sla), initial))
        }
        // With ticket types on, Znuny's TicketCreate records the initial type.
        if catalog.settings.ticketTypeEnabled, let typeID = row.typeID {
            events.append(writer.event(.type(old: nil, new: NamedID(id: typeID, name: catalog.ticketTypes[typeID]?.name ?? "")), initial))
        }
        if row.customerUserID != nil || row.customerID != nil {
            events.append(writer.event(.customer(customerID: row.customerID ?? "", customerUser: row.customerUserID ?? ""), initial))
        }
        if explicitLock && row.lockID != LockID.unlock {
            events.append(writer.event(.lock(old: "unlock", new: catalog.locks[row.lockID]?.name ?? "lock"), initial))
            if locks {
                initial.unlockTimeout = now
                events.append(writer.event(.unlockTimeoutReset, initial))
            }
        } else if lockUndoneByState {
            var locked = initial
            locked.lockID = LockID.lock
            locked.unlockTimeout = now
            events.append(writer.event(.lock(old: "unlock", new: "lock"), locked))
            events.append(writer.event(.unlockTimeoutReset, locked))
            initial.unlockTimeout = now
            events.append(writer.event(.lock(old: "lock", new: "unlock"), initial))
        }
        if row.pendingUntil > 0 {
            events.append(writer.event(.pendingTime(row.pendingUntil), initial))
        }
        var values: [DynamicFieldValue] = []
        for (field, fieldValues) in ticketFields where !fieldValues.isEmpty {
            values.append(DynamicFieldValue(fieldID: field.id, objectID: ticketID, values: fieldValues))
            events.append(writer.event(.dynamicField(name: field.name, old: [], new: fieldValues), initial))
        }
        if !values.isEmpty { try await tx.insertDynamicFieldValues(values) }
        var articles = self.articles
        for index in articles.indices { articles[index].row.ticketID = ticketID }
        let written = try await writer.write(
            articles, for: initial, previousTimeTotal: 0, ids: reservation.articleIDs)
        events += written.events
        var final = initial
        final.unlockTimeout = written.unlockTimeout ?? initial.unlockTimeout
        final.ownerID = row.ownerID
        if row.ownerID != Ticket.unassignedOwnerID {
            events.append(writer.event(.owner(old: nil, new: NamedID(id: row.ownerID, name: owner?.login ?? actingLogin)), final))
        }
        final.lockID = row.lockID
        if owner != nil && !explicitLock && row.lockID == LockID.lock {
            events.append(writer.event(.lock(old: "unlock", new: "lock"), final))
            if final.unlockTimeout != now {
                final.unlockTimeout = now
                events.append(writer.event(.unlockTimeoutReset, final))
            }
        }
        final.responsibleID = row.responsibleID
        if let responsible, responsible.id != 1 {
            events.append(writer.event(.responsible(old: nil, new: NamedID(id: responsible.id, name: responsible.login)), final))
        }
        try await NotificationPlanner.record(
            into: &events, ticket: final, articles: articles, articleIDs: written.ids, tx: tx, writer: writer, catalog: catalog)
        try await tx.insertEvents(events)
        var faceIDs = written.faceIDs
        if let faceID { faceIDs.insert(try await ArticleWriter.allocate(faceID, for: ticketID, in: tx), at: 0) }
        for var choice in faceKeys {
            if let allocated = faceIDs.first(where: { $0.coreID == String(ticketID) }) {
                choice.candidates = choice.candidates.map {
                    $0.replacing(FaceKeyChoice.idPlaceholder, with: allocated.externalID)
                }
            }
            guard let free = try await firstFree(choice, in: tx) else {
                throw DeskError.conflict(.exists(.externalID, key: "\(choice.face) \(choice.kind)"))
            }
            let mapping = ExternalID(face: choice.face, kind: choice.kind, externalID: free, coreID: String(ticketID))
            try await tx.setExternalID(mapping)
            faceIDs.append(mapping)
        }
        if let faceAttributes {
            try await tx.setFaceAttributes(face: faceAttributes.face, kind: .ticket, objectID: ticketID, faceAttributes.values)
        }
        let record = WrittenTicket(
            ticket: row.stored(id: ticketID), articles: articles, ids: written.ids, autoReplies: written.autoReplies,
            ticketFields: ticketFields, ticketAttributes: faceAttributes)
        return (
            TicketCreateResult(
                ticketID: ticketID, ticketNumber: row.number, articleIDs: written.ids,
                articleSenderTypeIDs: articles.map(\.row.senderTypeID), faceIDs: faceIDs), record
        )
    }
}

extension TicketCreatePlan {
    func firstFree(_ choice: FaceKeyChoice, in tx: any StoreWriter) async throws -> String? {
        let taken = Set(
            try await tx.externalIDs(face: choice.face, kind: choice.kind, externalIDs: choice.candidates).map(\.externalID))
        return choice.candidates.first { !taken.contains($0) }
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
