/// Applies a `TicketUpdateRequest` to one ticket inside a write transaction: validates every
/// change and permission first, then writes the ticket row, dynamic fields, articles and the
/// history entries Znuny writes for each changed field. Unchanged values write nothing.
struct TicketUpdater {
    let catalog: Catalog
    let tx: any StoreWriter
    let principal: Principal
    var ticket: Ticket
    let now: Int64

    init(catalog: Catalog, tx: any StoreWriter, principal: Principal, ticket: Ticket, now: Int64) {
        self.catalog = catalog
        self.tx = tx
        self.principal = principal
        self.ticket = ticket
        self.now = now
    }

    private var actingUserID: Int { principal.actingUserID(catalog.settings) }

    private func require(_ change: TicketAccess.Change, _ what: String) throws(DeskError) {
        guard TicketAccess.canChange(change, ticket, by: principal, catalog: catalog) else {
            throw .accessDenied(action: what)
        }
    }

    mutating func apply(_ request: TicketUpdateRequest) async throws -> TicketUpdateResult {
        let resolver = Resolver(catalog: catalog, reader: tx)
        var changes = TicketChanges()
        var history: [(type: String, name: String)] = []
        // Rows Znuny writes as agent 1 (event handlers), kept apart for their author.
        var systemHistory: [(type: String, name: String)] = []

        if let title = request.title?.trimmingSpaces, title != ticket.title {
            guard !title.isEmpty else { throw DeskError.invalid(field: "Title", reason: "must not be empty") }
            try require(.fields, "change the title")
            changes.title = title
            history.append(("TitleUpdate", HistoryNames.titleUpdate(old: ticket.title, new: title)))
            ticket.title = title
        }
        if let ref = request.queue {
            let queue = try resolver.queue(ref)
            if queue.id != ticket.queueID {
                try require(.queue, "move the ticket")
                if case .agent(let agent) = principal, !agent.has(.moveInto, inGroup: queue.groupID) {
                    throw DeskError.accessDenied(action: "move tickets into queue \(queue.name)")
                }
                let old = catalog.queues[ticket.queueID]
                changes.queueID = queue.id
                history.append(("Move", HistoryNames.move(newQueue: queue.name, newQueueID: queue.id, oldQueue: old?.name ?? "", oldQueueID: ticket.queueID)))
                ticket.queueID = queue.id
                // Znuny's ForceUnlockOnMove: a moved ticket is unlocked (recorded as agent 1).
                if ticket.lockID != LockID.unlock && request.lock == nil {
                    changes.lockID = LockID.unlock
                    systemHistory.append(("Unlock", HistoryNames.lock("unlock")))
                    ticket.lockID = LockID.unlock
                }
            }
        }
        if let ref = request.lock {
            let lock = try resolver.lock(ref)
            if lock.id != ticket.lockID {
                try require(.owner, "lock or unlock the ticket")
                changes.lockID = lock.id
                history.append((lock.id == LockID.unlock ? "Unlock" : "Lock", HistoryNames.lock(lock.name)))
                ticket.lockID = lock.id
            }
        }
        if let ref = request.type {
            let type = try resolver.type(ref)
            if type.id != ticket.typeID {
                try require(.fields, "change the ticket type")
                let old = ticket.typeID.flatMap { catalog.ticketTypes[$0] }
                changes.typeID = .some(type.id)
                history.append(("TypeUpdate", HistoryNames.lookupUpdate(new: type.name, newID: type.id, old: old?.name, oldID: ticket.typeID)))
                ticket.typeID = type.id
            }
        }
        if let ref = request.state {
            let state = try resolver.state(ref)
            let stateType = catalog.stateTypeName(ofState: state.id)
            if state.id != ticket.stateID {
                let closing = stateType.hasPrefix("close") || stateType.hasPrefix("pending")
                try require(closing ? .closeOrPending : .fields, "change the state to \(state.name)")
                if stateType.hasPrefix("pending") && request.pendingUntil == nil && ticket.pendingUntil == 0 {
                    throw DeskError.invalid(field: "PendingTime", reason: "a pending state needs a pending time")
                }
                let old = catalog.states[ticket.stateID]
                changes.stateID = state.id
                history.append(("StateUpdate", HistoryNames.stateUpdate(old: old?.name ?? "", new: state.name)))
                ticket.stateID = state.id
                if stateType.hasPrefix("close") && ticket.lockID != LockID.unlock {
                    changes.lockID = LockID.unlock
                    history.append(("Unlock", HistoryNames.lock("unlock")))
                    ticket.lockID = LockID.unlock
                }
                if stateType.hasPrefix("close") {
                    changes.escalation = EscalationTimes.none
                }
                // Leaving for a non-pending state resets the pending time (Znuny's TicketPendingTimeReset).
                if !stateType.hasPrefix("pending") && request.pendingUntil == nil {
                    changes.pendingUntil = 0
                    history.append(("SetPendingTime", HistoryNames.pendingTime(0)))
                    ticket.pendingUntil = 0
                }
            }
        }
        if let until = request.pendingUntil, until != ticket.pendingUntil {
            let stateType = catalog.stateTypeName(ofState: ticket.stateID)
            if stateType.hasPrefix("pending") || until == 0 {
                try require(.closeOrPending, "set the pending time")
                changes.pendingUntil = until
                history.append(("SetPendingTime", HistoryNames.pendingTime(until)))
                ticket.pendingUntil = until
            }
        }
        if let ref = request.service {
            let service = try resolver.service(ref)
            if service.id != ticket.serviceID {
                try require(.fields, "change the service")
                let old = ticket.serviceID.flatMap { catalog.services[$0] }
                changes.serviceID = .some(service.id)
                // An SLA that does not cover the new service is dropped first, as Znuny does.
                if let slaID = ticket.slaID, let sla = catalog.slas[slaID], !sla.serviceIDs.contains(service.id), request.sla == nil {
                    changes.slaID = .some(nil)
                    history.append(("SLAUpdate", HistoryNames.lookupUpdate(new: nil, newID: nil, old: sla.name, oldID: sla.id)))
                    ticket.slaID = nil
                }
                history.append(("ServiceUpdate", HistoryNames.lookupUpdate(new: service.name, newID: service.id, old: old?.name, oldID: ticket.serviceID)))
                ticket.serviceID = service.id
            }
        }
        if let ref = request.sla {
            let sla = try resolver.sla(ref, serviceID: ticket.serviceID)
            if sla.id != ticket.slaID {
                try require(.fields, "change the SLA")
                let old = ticket.slaID.flatMap { catalog.slas[$0] }
                changes.slaID = .some(sla.id)
                history.append(("SLAUpdate", HistoryNames.lookupUpdate(new: sla.name, newID: sla.id, old: old?.name, oldID: ticket.slaID)))
                ticket.slaID = sla.id
            }
        }
        if request.customerUser != nil || request.customerID != nil {
            var login = ticket.customerUserID
            var customerID = ticket.customerID
            if let requested = request.customerUser?.trimmingSpaces, !requested.isEmpty {
                let customer = try await tx.customerUser(login: requested)
                guard customer != nil || MailAddress.isValid(requested) else {
                    throw DeskError.invalid(field: "CustomerUser", reason: "'\(requested)' is neither a customer user nor an e-mail address")
                }
                login = requested
                if request.customerID == nil { customerID = customer?.customerID ?? requested }
            }
            if let requested = request.customerID?.trimmingSpaces, !requested.isEmpty { customerID = requested }
            if login != ticket.customerUserID || customerID != ticket.customerID {
                try require(.fields, "change the customer")
                changes.customerUserID = .some(login)
                changes.customerID = .some(customerID)
                history.append(("CustomerUpdate", HistoryNames.customerUpdate(customerID: customerID ?? "", customerUser: login ?? "")))
                ticket.customerUserID = login
                ticket.customerID = customerID
            }
        }
        if let ref = request.priority {
            let priority = try resolver.priority(ref)
            if priority.id != ticket.priorityID {
                try require(.priority, "change the priority")
                let old = catalog.priorities[ticket.priorityID]
                changes.priorityID = priority.id
                history.append(("PriorityUpdate", HistoryNames.priorityUpdate(old: old?.name ?? "", oldID: ticket.priorityID, new: priority.name, newID: priority.id)))
                ticket.priorityID = priority.id
            }
        }
        if let ref = request.owner {
            let owner = try await resolver.agent(ref, field: "Owner")
            if owner.id != ticket.ownerID {
                try require(.owner, "change the owner")
                changes.ownerID = owner.id
                history.append(("OwnerUpdate", HistoryNames.ownerUpdate(login: owner.login, id: owner.id)))
                ticket.ownerID = owner.id
            }
        }
        if let ref = request.responsible {
            let responsible = try await resolver.agent(ref, field: "Responsible")
            if responsible.id != ticket.responsibleID {
                try require(.responsible, "change the responsible agent")
                changes.responsibleID = responsible.id
                history.append(("ResponsibleUpdate", HistoryNames.responsibleUpdate(login: responsible.login, id: responsible.id)))
                ticket.responsibleID = responsible.id
            }
        }
        if let archived = request.archived, archived != ticket.archived {
            try require(.fields, "archive the ticket")
            changes.archived = archived
            history.append(("ArchiveFlagUpdate", HistoryNames.archiveFlag(archived)))
            ticket.archived = archived
        }

        // Dynamic fields: ticket fields go to the ticket; article fields to the first new article.
        let resolvedFields = try resolver.dynamicFields(request.dynamicFields)
        if !resolvedFields.isEmpty { try require(.dynamicFields, "update dynamic fields") }
        var ticketFields: [(field: DynamicField, values: [String])] = []
        var articleFields: [(field: DynamicField, values: [String])] = []
        for entry in resolvedFields {
            if entry.field.object == .ticket { ticketFields.append(entry) } else { articleFields.append(entry) }
        }
        if !articleFields.isEmpty && request.articles.isEmpty {
            throw DeskError.invalid(field: "DynamicField", reason: "article fields need an article")
        }

        var prepared: [PreparedArticle] = []
        if !request.articles.isEmpty {
            try require(.article, "add articles")
            let defaultFrom = try await defaultFrom()
            let preparer = ArticlePreparer(resolver: resolver, principal: principal, now: now, actingUserID: actingUserID)
            let queueName = catalog.queues[ticket.queueID]?.name ?? ""
            for (index, draft) in request.articles.enumerated() {
                var article = try preparer.prepare(draft, ticketID: ticket.id, defaultFrom: defaultFrom, defaultTo: queueName,
                                                   extraDynamicFields: index == 0 ? articleFields : [])
                if draft.historyType == nil { article.historyTypeID = catalog.historyTypeID("AddNote") }
                prepared.append(article)
            }
        }

        // Everything is valid: write. Field changes, then articles, then dynamic fields (Znuny's order).
        let writer = ArticleWriter(tx: tx, catalog: catalog, now: now, actingUserID: actingUserID)
        var entries = history.map { writer.entry(ticket, articleID: nil, typeID: catalog.historyTypeID($0.type), name: $0.name) }
        for row in systemHistory {
            var entry = writer.entry(ticket, articleID: nil, typeID: catalog.historyTypeID(row.type), name: row.name)
            entry.createdBy = 1
            entries.append(entry)
        }
        var articleIDs: [Int] = []
        if !prepared.isEmpty {
            let total = try await tx.timeAccounting(ticketID: ticket.id).reduce(0) { $0 + $1.timeUnit }
            let written = try await writer.write(prepared, for: ticket, previousTimeTotal: total)
            articleIDs = written.ids
            entries += written.history
            if let timeout = written.unlockTimeout {
                changes.unlockTimeout = timeout
                ticket.unlockTimeout = timeout
            }
        }
        if !ticketFields.isEmpty {
            let existing = try await tx.dynamicFieldValues(objectIDs: [ticket.id], object: .ticket)
            var changed: [DynamicFieldValue] = []
            for (field, values) in ticketFields {
                let old = existing.first { $0.fieldID == field.id }?.values ?? []
                guard old != values else { continue }
                changed.append(DynamicFieldValue(fieldID: field.id, objectID: ticket.id, values: values))
                entries.append(writer.entry(ticket, articleID: nil, typeID: catalog.historyTypeID("TicketDynamicFieldUpdate"),
                                            name: HistoryNames.dynamicField(name: field.name, value: values, oldValue: old)))
            }
            if !changed.isEmpty { try await tx.setDynamicFieldValues(changed) }
        }
        if !changes.isEmpty || !articleIDs.isEmpty || !entries.isEmpty {
            try await tx.updateTicket(id: ticket.id, changes, changedBy: actingUserID, at: now)
        }
        if !entries.isEmpty { try await tx.insertHistory(entries) }
        return TicketUpdateResult(ticketID: ticket.id, ticketNumber: ticket.number, articleIDs: articleIDs)
    }

    /// Who an article comes from when the caller does not say: the customer for customers,
    /// the agent's full name for agents.
    private func defaultFrom() async throws -> String {
        switch principal {
        case .customer(let customer):
            return try await tx.customerUser(login: customer.login)?.mailbox ?? customer.login
        case .agent(let agent):
            return try await tx.agent(id: agent.id)?.fullName ?? agent.login
        }
    }
}
