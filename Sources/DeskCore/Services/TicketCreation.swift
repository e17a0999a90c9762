/// Validates a create request completely (nothing is written while anything is wrong) and
/// produces a `TicketCreatePlan`.
struct TicketCreatePlanner {
    static func login(of principal: Principal) -> String {
        switch principal {
        case .agent(let agent): agent.login
        case .customer(let customer): customer.login
        }
    }

    let catalog: Catalog
    let reader: any StoreReader
    let principal: Principal
    let now: Int64

    func plan(_ request: TicketCreateRequest) async throws -> TicketCreatePlan {
        let resolver = Resolver(catalog: catalog, reader: reader)
        let title = request.title.trimmingSpaces
        guard !title.isEmpty else { throw DeskError.invalid(field: "Title", reason: "must not be empty") }
        guard title.count <= 255 else { throw DeskError.invalid(field: "Title", reason: "at most 255 characters") }

        var customer: CustomerUser?
        if let login = request.customerUser?.trimmingSpaces, !login.isEmpty {
            customer = try await reader.customerUser(login: login)
            if customer == nil && !MailAddress.isValid(login) {
                throw DeskError.invalid(field: "CustomerUser", reason: "'\(login)' is neither a customer user nor an e-mail address")
            }
        }
        let queue = try resolver.queue(request.queue)
        let state = try resolver.state(request.state)
        let priority = try resolver.priority(request.priority)
        let type: Lookup? = if let ref = request.type {
            try resolver.type(ref)
        } else {
            catalog.ticketTypes.all.first { $0.isValid }
        }
        let service = try request.service.map { try resolver.service($0) }
        let sla = try request.sla.map { try resolver.sla($0, serviceID: service?.id) }
        let explicitLock = try request.lock.map { try resolver.lock($0) }
        var owner: Agent?
        if let ref = request.owner { owner = try await resolver.agent(ref, field: "Owner") }
        var responsible: Agent?
        if let ref = request.responsible { responsible = try await resolver.agent(ref, field: "Responsible") }
        guard TicketAccess.canCreate(in: queue, by: principal) else {
            throw DeskError.accessDenied(action: "create tickets in queue \(queue.name)")
        }

        let stateType = catalog.stateTypeName(ofState: state.id)
        let actingUserID = principal.actingUserID(catalog.settings)
        var lockID = explicitLock?.id ?? (owner != nil ? LockID.lock : LockID.unlock)
        if stateType.hasPrefix("close") { lockID = LockID.unlock }
        var pendingUntil: Int64 = 0
        if stateType.hasPrefix("pending"), let until = request.pendingUntil { pendingUntil = until }

        var ticketFields: [(field: DynamicField, values: [String])] = []
        var articleFields: [(field: DynamicField, values: [String])] = []
        for entry in try resolver.dynamicFields(request.dynamicFields) {
            if entry.field.object == .ticket { ticketFields.append(entry) } else { articleFields.append(entry) }
        }

        let customerLogin = customer?.login ?? request.customerUser?.trimmingSpaces.nilIfEmpty
        let customerID = request.customerID?.trimmingSpaces.nilIfEmpty ?? customer?.customerID ?? customerLogin
        let defaultFrom = customer?.mailbox ?? customerLogin ?? ""
        let preparer = ArticlePreparer(resolver: resolver, principal: principal, now: now, actingUserID: actingUserID)
        let articles = try request.articles.map {
            try preparer.prepare($0, ticketID: 0, defaultFrom: defaultFrom, defaultTo: queue.name, extraDynamicFields: articleFields)
        }
        let escalationMinutes = sla.map { ($0.firstResponseMinutes, $0.updateMinutes, $0.solutionMinutes) }
            ?? (queue.firstResponseMinutes, queue.updateMinutes, queue.solutionMinutes)
        let ticket = NewTicket(
            number: "", title: title, queueID: queue.id, typeID: type?.id, serviceID: service?.id, slaID: sla?.id,
            stateID: state.id, priorityID: priority.id, lockID: lockID, ownerID: owner?.id ?? actingUserID,
            responsibleID: responsible?.id ?? 1, customerUserID: customerLogin, customerID: customerID,
            pendingUntil: pendingUntil,
            escalation: Escalation(createdAt: now, minutes: escalationMinutes, isClosed: stateType.hasPrefix("close")).times,
            createdAt: now, createdBy: actingUserID
        )
        return TicketCreatePlan(
            ticket: ticket, queue: queue, state: state, priority: priority, owner: owner, responsible: responsible,
            articles: articles, ticketFields: ticketFields, explicitLock: explicitLock != nil,
            actingLogin: Self.login(of: principal), now: now, actingUserID: actingUserID
        )
    }
}

/// A validated create, ready to be written.
struct TicketCreatePlan: Sendable {
    var ticket: NewTicket
    let queue: Queue
    let state: TicketState
    let priority: Lookup
    let owner: Agent?
    let responsible: Agent?
    let articles: [PreparedArticle]
    let ticketFields: [(field: DynamicField, values: [String])]
    /// Whether the caller named the lock (otherwise an owner given at create locks the ticket).
    let explicitLock: Bool
    /// Login of the acting agent, for the owner history row when no owner was named.
    let actingLogin: String
    let now: Int64
    let actingUserID: Int

    func execute(in tx: any StoreWriter, catalog: Catalog) async throws -> TicketCreateResult {
        let generator = TicketNumberGenerator(settings: catalog.settings)
        let counter = try await tx.nextCounter(key: generator.counterKey(at: now))
        var row = ticket
        row.number = generator.number(counter: counter, at: now)
        let agentSender = catalog.senderTypes["agent"]?.id
        if articles.contains(where: { $0.row.senderTypeID == agentSender }) { row.unlockTimeout = now }
        let ticketID = try await tx.insertTicket(row)
        // Znuny creates the ticket unlocked and owned by agent 1, then sets the owner: history
        // rows before that step show the initial owner.
        let initial = Ticket(
            id: ticketID, number: row.number, title: row.title, queueID: row.queueID, typeID: row.typeID,
            serviceID: row.serviceID, slaID: row.slaID, stateID: row.stateID, priorityID: row.priorityID,
            lockID: explicitLock ? row.lockID : LockID.unlock, ownerID: 1, responsibleID: 1,
            customerUserID: row.customerUserID, customerID: row.customerID, pendingUntil: row.pendingUntil,
            escalationTime: row.escalation.escalation, escalationResponseTime: row.escalation.response,
            escalationUpdateTime: row.escalation.update, escalationSolutionTime: row.escalation.solution,
            unlockTimeout: 0, createdAt: now, createdBy: actingUserID, changedAt: now, changedBy: actingUserID
        )
        var final = initial
        final.ownerID = row.ownerID
        final.responsibleID = row.responsibleID
        final.lockID = row.lockID
        let writer = ArticleWriter(tx: tx, catalog: catalog, now: now, actingUserID: actingUserID)
        func add(_ type: String, _ name: String, _ snapshot: Ticket, articleID: Int? = nil) -> NewHistoryEntry {
            writer.entry(snapshot, articleID: articleID, typeID: catalog.historyTypeID(type), name: name)
        }
        var history = [add("NewTicket", HistoryNames.newTicket(number: row.number, queue: queue.name, priority: priority.name, state: state.name, ticketID: ticketID), initial)]
        if row.customerUserID != nil || row.customerID != nil {
            history.append(add("CustomerUpdate", HistoryNames.customerUpdate(customerID: row.customerID ?? "", customerUser: row.customerUserID ?? ""), initial))
        }
        if explicitLock && row.lockID != LockID.unlock {
            let name = catalog.locks[row.lockID]?.name ?? "lock"
            history.append(add(row.lockID == LockID.lock ? "Lock" : "Misc", HistoryNames.lock(name), initial))
        }
        if row.pendingUntil > 0 {
            history.append(add("SetPendingTime", HistoryNames.pendingTime(row.pendingUntil), initial))
        }
        var values: [DynamicFieldValue] = []
        for (field, fieldValues) in ticketFields where !fieldValues.isEmpty {
            values.append(DynamicFieldValue(fieldID: field.id, objectID: ticketID, values: fieldValues))
            history.append(add("TicketDynamicFieldUpdate", HistoryNames.dynamicField(name: field.name, value: fieldValues, oldValue: []), initial))
        }
        if !values.isEmpty { try await tx.insertDynamicFieldValues(values) }
        var articles = self.articles
        for index in articles.indices { articles[index].row.ticketID = ticketID }
        let written = try await writer.write(articles, for: initial, previousTimeTotal: 0)
        history += written.history
        if row.ownerID != 1 {
            history.append(add("OwnerUpdate", HistoryNames.ownerUpdate(login: owner?.login ?? actingLogin, id: row.ownerID), final))
        }
        if owner != nil && !explicitLock && row.lockID == LockID.lock {
            history.append(add("Lock", HistoryNames.lock("lock"), final))
        }
        if let responsible, responsible.id != 1 {
            history.append(add("ResponsibleUpdate", HistoryNames.responsibleUpdate(login: responsible.login, id: responsible.id), final))
        }
        try await tx.insertHistory(history)
        return TicketCreateResult(ticketID: ticketID, ticketNumber: row.number, articleIDs: written.ids)
    }
}

/// Escalation deadlines from a queue's or SLA's minutes, counted in calendar time from creation.
/// Business-hours calendars are not modelled yet.
struct Escalation {
    let createdAt: Int64
    let minutes: (firstResponse: Int, update: Int, solution: Int)
    let isClosed: Bool

    var times: EscalationTimes {
        guard !isClosed else { return .none }
        let start = createdAt
        let deadline: (Int) -> Int64 = { $0 > 0 ? start + Int64($0) * 60 : 0 }
        let response = deadline(minutes.firstResponse)
        let update = deadline(minutes.update)
        let solution = deadline(minutes.solution)
        let deadlines: [Int64] = [response, update, solution].filter { $0 > 0 }
        let earliest: Int64 = deadlines.min() ?? 0
        return EscalationTimes(escalation: earliest, response: response, update: update, solution: solution)
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
