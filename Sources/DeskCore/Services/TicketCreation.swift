/// Validates a create request completely (nothing is written while anything is wrong) and
/// produces a `TicketCreatePlan`.
struct TicketCreatePlanner {
    let catalog: Catalog
    let reader: any StoreReader
    let principal: Principal
    let now: Int64

    func plan(_ request: TicketCreateRequest) async throws -> TicketCreatePlan {
        let resolver = Resolver(catalog: catalog, reader: reader)
        let title = request.title.trimmingSpaces
        guard !title.isEmpty else { throw DeskError.invalid(field: "Title", reason: "must not be empty") }
        guard title.count <= 255 else { throw DeskError.invalid(field: "Title", reason: "at most 255 characters") }
        guard !request.articles.isEmpty else { throw DeskError.invalid(field: "Article", reason: "a ticket needs a first article") }

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
            articles: articles, ticketFields: ticketFields, now: now, actingUserID: actingUserID
        )
    }
}

/// A validated create, ready to be written.
struct TicketCreatePlan {
    var ticket: NewTicket
    let queue: Queue
    let state: TicketState
    let priority: Lookup
    let owner: Agent?
    let responsible: Agent?
    let articles: [PreparedArticle]
    let ticketFields: [(field: DynamicField, values: [String])]
    let now: Int64
    let actingUserID: Int

    func execute(in tx: any StoreWriter, catalog: Catalog) async throws -> TicketCreateResult {
        let generator = TicketNumberGenerator(settings: catalog.settings)
        let counter = try await tx.nextCounter(key: generator.counterKey(at: now))
        var row = ticket
        row.number = generator.number(counter: counter, at: now)
        let ticketID = try await tx.insertTicket(row)
        let stored = Ticket(
            id: ticketID, number: row.number, title: row.title, queueID: row.queueID, typeID: row.typeID,
            serviceID: row.serviceID, slaID: row.slaID, stateID: row.stateID, priorityID: row.priorityID,
            lockID: row.lockID, ownerID: row.ownerID, responsibleID: row.responsibleID,
            customerUserID: row.customerUserID, customerID: row.customerID, pendingUntil: row.pendingUntil,
            escalationTime: row.escalation.escalation, escalationResponseTime: row.escalation.response,
            escalationUpdateTime: row.escalation.update, escalationSolutionTime: row.escalation.solution,
            createdAt: now, createdBy: actingUserID, changedAt: now, changedBy: actingUserID
        )
        let writer = ArticleWriter(tx: tx, catalog: catalog, now: now, actingUserID: actingUserID)
        var history = [writer.entry(stored, articleID: nil, typeID: catalog.historyTypeID("NewTicket"),
                                    name: HistoryNames.newTicket(number: row.number, queue: queue.name, priority: priority.name, state: state.name, ticketID: ticketID))]
        if row.customerUserID != nil || row.customerID != nil {
            history.append(writer.entry(stored, articleID: nil, typeID: catalog.historyTypeID("CustomerUpdate"),
                                        name: HistoryNames.customerUpdate(customerID: row.customerID ?? "", customerUser: row.customerUserID ?? "")))
        }
        if let owner {
            history.append(writer.entry(stored, articleID: nil, typeID: catalog.historyTypeID("OwnerUpdate"),
                                        name: HistoryNames.ownerUpdate(login: owner.login, id: owner.id)))
        }
        if let responsible {
            history.append(writer.entry(stored, articleID: nil, typeID: catalog.historyTypeID("ResponsibleUpdate"),
                                        name: HistoryNames.responsibleUpdate(login: responsible.login, id: responsible.id)))
        }
        if row.lockID == LockID.lock {
            history.append(writer.entry(stored, articleID: nil, typeID: catalog.historyTypeID("Lock"), name: HistoryNames.lock("lock")))
        }
        if row.pendingUntil > 0 {
            history.append(writer.entry(stored, articleID: nil, typeID: catalog.historyTypeID("SetPendingTime"),
                                        name: HistoryNames.pendingTime(row.pendingUntil)))
        }
        var values: [DynamicFieldValue] = []
        for (field, fieldValues) in ticketFields where !fieldValues.isEmpty {
            values.append(DynamicFieldValue(fieldID: field.id, objectID: ticketID, values: fieldValues))
            history.append(writer.entry(stored, articleID: nil, typeID: catalog.historyTypeID("TicketDynamicFieldUpdate"),
                                        name: HistoryNames.dynamicField(name: field.name, value: fieldValues, oldValue: [])))
        }
        if !values.isEmpty { try await tx.insertDynamicFieldValues(values) }
        var articles = self.articles
        for index in articles.indices { articles[index].row.ticketID = ticketID }
        let written = try await writer.write(articles, for: stored, previousTimeTotal: 0)
        history += written.history
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
