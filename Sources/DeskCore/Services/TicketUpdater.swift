/// Plans a `TicketUpdateRequest` on one ticket: checks every value (in `Field` order), works out
/// the changes and their events in Znuny's order of application, then checks the permissions
/// those changes need (in `Action.step` order, against the ticket as it was) and the rules over
/// the whole change. Only reads; `TicketUpdatePlan.execute` writes.
struct TicketUpdatePlanner {
    let catalog: Catalog
    let reader: any StoreReader
    let principal: Principal
    let now: Int64
    /// The caller's `From` for articles that name none (`defaultFrom(for:reader:)`), when it
    /// was read before the transaction; nil: read it in `reader` when an article needs it.
    var defaultFrom: String? = nil

    private var actingUserID: Int { principal.actingUserID(catalog.settings) }

    /// Resolved values of the request, before anything is compared with the ticket.
    private struct Resolved {
        var customer: (login: String?, customerID: String?)?
        /// The parts of the customer the history names (nil: not given).
        var customerNamed: (login: String?, customerID: String?)?
        var queue: Queue?
        var lock: Lookup?
        var type: Lookup?
        var service: DeskServiceItem?
        var sla: SLA?
        var state: TicketState?
        var priority: Lookup?
        var owner: Agent?
        var responsible: Agent?
    }

    func plan(_ request: TicketUpdateRequest, for original: Ticket) async throws -> TicketUpdatePlan {
        try principal.require(.updateTickets)
        let resolver = Resolver(catalog: catalog, reader: reader)

        // 1. Values, in Field order.
        var values = Resolved()
        let title = request.title?.trimmingSpaces
        if let title, title.isEmpty { throw DeskError.invalid(.title, .missing) }
        if let title, title.count > 255 { throw DeskError.invalid(.title, .tooLong(max: 255)) }
        // Znuny's `_TicketUpdate`: customer user and customer id as the request names them (a
        // part left out is empty; an address is kept as sent), the customer id defaulting to the
        // customer user's own; a change only when either differs from the ticket's.
        var requestedUser = request.customerUser?.trimmingSpaces ?? ""
        let requestedID = request.customerID?.trimmingSpaces ?? ""
        var newCustomer: NewCustomerUser?
        var registered: CustomerUser?
        if let registration = request.registration {
            // A known customer user is taken as it is, as on create.
            (registered, newCustomer) = try await resolver.registration(registration, at: now)
            requestedUser = registered?.login ?? newCustomer?.login ?? ""
        }
        // Znuny's TicketCustomerSet changes a part that is given, even as "" (`defined`).
        let named =
            request.keepsCustomerPartsLeftOut
            ? request.customerUser != nil || request.customerID != nil : !requestedUser.isEmpty || !requestedID.isEmpty
        if named {
            let customer =
                request.registration != nil
                ? registered
                : requestedUser.isEmpty ? nil : try await resolver.customerUser(requestedUser, check: request.unknownCustomerCheck)
            var customerID = requestedID.isEmpty ? customer?.customerID ?? newCustomer?.customerID ?? "" : requestedID
            var login = requestedUser
            if request.keepsCustomerPartsLeftOut {
                login = request.customerUser == nil ? original.customerUserID ?? "" : requestedUser
                customerID = request.customerID == nil ? original.customerID ?? "" : requestedID
            }
            if login != (original.customerUserID ?? "") || customerID != (original.customerID ?? "") {
                values.customer = (login, customerID)
                values.customerNamed =
                    request.keepsCustomerPartsLeftOut
                    ? (request.customerUser.map { _ in login }, request.customerID.map { _ in customerID }) : (login, customerID)
            }
        }
        values.queue = try request.queue.map { try resolver.queue($0) }
        values.lock = try request.lock.map { try resolver.lock($0) }
        values.type = try request.type.map { try resolver.type($0) }
        // Znuny checks the service against the customer user the request names, else the ticket's.
        values.service = try await request.service.asyncMap {
            try await resolver.service($0, customerLogin: requestedUser.isEmpty ? original.customerUserID : requestedUser)
        }
        values.sla = try request.sla.map { try resolver.sla($0, serviceID: values.service?.id ?? original.serviceID) }
        let closed = catalog.stateTypeName(ofState: original.stateID).hasPrefix("closed")
        values.state = try (request.state ?? (closed ? request.stateWhenClosed : nil)).map { try resolver.state($0) }
        values.priority = try request.priority.map { try resolver.priority($0) }
        values.owner = try await request.owner.asyncMap { try await resolver.agent($0, field: .owner) }
        values.responsible = try await request.responsible.asyncMap { try await resolver.agent($0, field: .responsible) }

        // 2. Articles, ticket-level dynamic fields, then attachments and article fields.
        var prepared: [PreparedArticle] = []
        if !request.articles.isEmpty {
            let defaultFrom: String
            if let known = self.defaultFrom {
                defaultFrom = known
            } else {
                defaultFrom = try await Self.defaultFrom(for: principal, reader: reader)
            }
            let preparer = ArticlePreparer(resolver: resolver, principal: principal, now: now, actingUserID: actingUserID)
            // A ticket moved by the same request answers from its new queue.
            let queue = values.queue ?? catalog.queues[original.queueID]
            let addresses = ArticlePreparer.AddressContext(
                queue: queue, customerLogin: original.customerUserID, from: defaultFrom, to: queue?.name ?? "")
            for (index, draft) in request.articles.enumerated() {
                prepared.append(try await preparer.prepare(draft, index: index, ticketID: original.id, addresses: addresses))
                // Znuny's TicketUpdate checks an article's own dynamic fields before the next article.
                try preparer.prepareFields(draft, index: index, into: &prepared[index])
            }
        }
        let resolvedFields = try resolver.dynamicFields(request.dynamicFields, field: { .dynamicField($0, name: $1) })
        var ticketFields: [(field: DynamicField, values: [String])] = []
        var articleFields: [(field: DynamicField, values: [String])] = []
        for entry in resolvedFields {
            if entry.field.object == .ticket { ticketFields.append(entry) } else { articleFields.append(entry) }
        }
        if !articleFields.isEmpty && request.articles.isEmpty {
            let index = request.dynamicFields.firstIndex { $0.name == articleFields[0].field.name } ?? 0
            throw DeskError.invalid(.dynamicField(index, name: articleFields[0].field.name), .needsArticle)
        }
        if !request.articles.isEmpty {
            let preparer = ArticlePreparer(resolver: resolver, principal: principal, now: now, actingUserID: actingUserID)
            for (index, draft) in request.articles.enumerated() {
                try preparer.prepareAttachments(draft, index: index)
                if index == 0 { prepared[index].dynamicFields = articleFields + prepared[index].dynamicFields }
            }
        }

        // 3. Changes and events, in Znuny's order of application.
        var changes = Changes(original: original, actingUserID: actingUserID, now: now)
        var needed: [(TicketAccess.Change, Action)] = []
        var deferred: DeskError?
        if let title, title != original.title {
            needed.append((.fields, .changeTitle))
            changes.title = title
            changes.record(.title(old: original.title, new: title))
        }
        if let queue = values.queue, queue.id != changes.ticket.queueID {
            needed.append((.queue, .moveTicket))
            let old = NamedID(id: changes.ticket.queueID, name: catalog.queues[changes.ticket.queueID]?.name ?? "")
            changes.ticket.queueID = queue.id
            changes.fields.queueID = queue.id
            changes.record(.queue(old: old, new: NamedID(id: queue.id, name: queue.name)))
            // Znuny's ForceUnlockOnMove: a moved ticket is unlocked (by the system, agent 1), a
            // `Lock` in the same request notwithstanding.
            if changes.ticket.lockID != LockID.unlock {
                changes.setLock(LockID.unlock, catalog: catalog, actorID: 1)
            }
        }
        // The lock is compared with the ticket as read before the update (so `Lock=lock` on a
        // locked ticket that moves leaves it unlocked), and set only when it differs now too.
        if let lock = values.lock, lock.id != original.lockID, lock.id != changes.ticket.lockID {
            needed.append((.owner, .changeLock))
            changes.setLock(lock.id, catalog: catalog)
        }
        if let type = values.type, type.id != changes.ticket.typeID {
            needed.append((.fields, .changeType))
            let old = changes.ticket.typeID.flatMap { id in catalog.ticketTypes[id].map { NamedID(id: id, name: $0.name) } }
            changes.ticket.typeID = type.id
            changes.fields.typeID = .some(type.id)
            changes.record(.type(old: old, new: NamedID(id: type.id, name: type.name)))
        }
        // Znuny (`_TicketUpdate`): a state given is looked at even when it is the current one:
        // a pending state needs a pending time, which is set (and recorded) whenever it is sent;
        // a pending time without a state is not used. A new closing state unlocks first; then the
        // state; then (event handler) a non-pending state resets the pending time.
        var reopening = false
        if let state = values.state {
            let stateType = catalog.stateTypeName(ofState: state.id)
            let closing = stateType.hasPrefix("close")
            let pending = stateType.hasPrefix("pending")
            let changesState = state.id != changes.ticket.stateID
            if changesState {
                needed.append(
                    closing || pending ? (.closeOrPending, .closeOrPend(state: state.name)) : (.state, .changeState(state: state.name)))
            }
            if changesState && closing && changes.ticket.lockID != LockID.unlock {
                changes.setLock(LockID.unlock, catalog: catalog)
            }
            if pending, let until = request.pendingUntil {
                if !changesState { needed.append((.closeOrPending, .setPendingTime)) }
                changes.setPendingTime(until)
            } else if pending {
                deferred = .invalid(.pendingTime, .needsPendingTime)
            }
            reopening = changesState && closed && ["new", "open"].contains(stateType)
            if changesState {
                let old = NamedID(id: changes.ticket.stateID, name: catalog.states[changes.ticket.stateID]?.name ?? "")
                changes.ticket.stateID = state.id
                changes.fields.stateID = state.id
                changes.record(.state(old: old, new: NamedID(id: state.id, name: state.name)))
                if !pending { changes.setPendingTime(0) }
            }
        }
        if let service = values.service, service.id != changes.ticket.serviceID {
            needed.append((.fields, .changeService))
            // An SLA that does not cover the new service is dropped first, as Znuny does.
            if let slaID = changes.ticket.slaID, let sla = catalog.slas[slaID], !sla.serviceIDs.contains(service.id) {
                changes.ticket.slaID = nil
                changes.fields.slaID = .some(nil)
                changes.record(.sla(old: NamedID(id: sla.id, name: sla.name), new: nil))
            }
            let old = changes.ticket.serviceID.flatMap { id in catalog.services[id].map { NamedID(id: id, name: $0.name) } }
            changes.ticket.serviceID = service.id
            changes.fields.serviceID = .some(service.id)
            changes.record(.service(old: old, new: NamedID(id: service.id, name: service.name)))
        }
        if let sla = values.sla, sla.id != changes.ticket.slaID {
            needed.append((.fields, .changeSLA))
            let old = changes.ticket.slaID.flatMap { id in catalog.slas[id].map { NamedID(id: id, name: $0.name) } }
            changes.ticket.slaID = sla.id
            changes.fields.slaID = .some(sla.id)
            changes.record(.sla(old: old, new: NamedID(id: sla.id, name: sla.name)))
        }
        if let (login, customerID) = values.customer {
            needed.append((.fields, .changeCustomer))
            changes.ticket.customerUserID = login
            changes.ticket.customerID = customerID
            changes.fields.customerUserID = .some(login)
            changes.fields.customerID = .some(customerID)
            changes.record(.customer(customerID: values.customerNamed?.customerID, customerUser: values.customerNamed?.login))
        }
        if let priority = values.priority, priority.id != changes.ticket.priorityID {
            needed.append((.priority, .changePriority))
            let old = NamedID(id: changes.ticket.priorityID, name: catalog.priorities[changes.ticket.priorityID]?.name ?? "")
            changes.ticket.priorityID = priority.id
            changes.fields.priorityID = priority.id
            changes.record(.priority(old: old, new: NamedID(id: priority.id, name: priority.name)))
        }
        if let owner = values.owner, owner.id != changes.ticket.ownerID {
            needed.append((.owner, .changeOwner))
            changes.ticket.ownerID = owner.id
            changes.fields.ownerID = owner.id
            changes.record(.owner(old: nil, new: NamedID(id: owner.id, name: owner.login)))
        } else if reopening && request.reassignsOnReopen {
            // The caller did not choose this owner, so it needs no owner permission of its own.
            let owner = try await reopenOwner(of: changes.ticket, answers: prepared.map(\.row))
            if owner.id != changes.ticket.ownerID {
                changes.ticket.ownerID = owner.id
                changes.fields.ownerID = owner.id
                changes.record(.owner(old: nil, new: NamedID(id: owner.id, name: owner.login)))
            }
        }
        if let responsible = values.responsible, responsible.id != changes.ticket.responsibleID {
            needed.append((.responsible, .changeResponsible))
            changes.ticket.responsibleID = responsible.id
            changes.fields.responsibleID = responsible.id
            changes.record(.responsible(old: nil, new: NamedID(id: responsible.id, name: responsible.login)))
        }
        if let archived = request.archived, archived != changes.ticket.archived {
            needed.append((.fields, .archive))
            changes.ticket.archived = archived
            changes.fields.archived = archived
            changes.record(.archiveFlag(archived))
        }
        if !prepared.isEmpty { needed.append((.article, .addArticle)) }
        if request.faceAttributes != nil { needed.append((.fields, .changeAttributes)) }
        if !resolvedFields.isEmpty { needed.append((.dynamicFields, .updateDynamicFields)) }
        if let queue = values.queue, queue.id != original.queueID, case .agent(let agent) = principal,
            !agent.has(.moveInto, inGroup: queue.groupID)
        {
            needed.append((.queue, .moveInto(queue: queue.name)))
        }

        // 4. Permissions, against the ticket as it was, in the documented order.
        for (change, action) in needed.sorted(by: { $0.1.step < $1.1.step }) {
            if case .moveInto = action { throw DeskError.accessDenied(action) }
            guard TicketAccess.canChange(change, original, by: principal, catalog: catalog) else { throw DeskError.accessDenied(action) }
        }
        // 5. Rules over the whole change.
        if let deferred { throw deferred }

        var changedFields: [DynamicFieldValue] = []
        var fieldEvents: [TicketChange] = []
        if !ticketFields.isEmpty {
            let existing = try await reader.dynamicFieldValues(objectIDs: [original.id], object: .ticket)
            for (field, fieldValues) in ticketFields {
                let old = existing.first { $0.fieldID == field.id }?.values ?? []
                guard old != fieldValues else { continue }
                changedFields.append(DynamicFieldValue(fieldID: field.id, objectID: original.id, values: fieldValues))
                fieldEvents.append(.dynamicField(name: field.name, old: old, new: fieldValues))
            }
        }
        // Znuny's escalation index, rebuilt after the changes its event handler listens to.
        changes.recordEscalationStops(from: original, catalog: catalog)
        let added = prepared.map { ArticleMark($0.row) }
        if !added.isEmpty || !fieldEvents.isEmpty || changes.events.contains(where: { EscalationIndex.isRebuilt(after: $0.change) }) {
            if let times = try await EscalationIndex(catalog: catalog).changed(changes.ticket, adding: added, reader: reader) {
                changes.fields.escalation = times
                changes.ticket.escalationTimes = times
            }
        }
        let timeTotal =
            prepared.contains { ($0.timeUnit ?? 0) > 0 }
            ? try await reader.timeAccounting(ticketID: original.id).reduce(0) { $0 + $1.timeUnit } : 0
        // Who wrote last matters only to a customer's article (it restarts the unlock timer after an agent's).
        var previousSender: Int?
        if let customer = catalog.senderTypes["customer"]?.id, let system = catalog.senderTypes["system"]?.id,
            prepared.first?.row.senderTypeID == customer
        {
            previousSender = try await reader.lastSenderType(ofTicket: original.id, excluding: system)
        }
        var numbered: Set<Int> = []
        for edit in request.articleEdits {
            if edit.faceID != nil, !numbered.insert(edit.articleID).inserted {
                throw DeskError.invalid(.other("articleEdits"), .notPossible(String(edit.articleID)))
            }
            guard try await reader.ticketID(ofArticle: edit.articleID) == original.id else {
                throw DeskError.notFound(.article, key: String(edit.articleID))
            }
            guard TicketAccess.canChange(.fields, original, by: principal, catalog: catalog) else {
                throw DeskError.accessDenied(.changeAttributes)
            }
            if let subject = edit.subject, subject.count > 3_800 { throw DeskError.invalid(.article(0, .subject), .tooLong(max: 3_800)) }
            if let body = edit.body, body.trimmingSpaces.isEmpty { throw DeskError.invalid(.article(0, .body), .missing) }
            // An article keeps the face id it has: a second one would make two ids name it.
            if let allocation = edit.faceID,
                let existing = try await reader.externalID(face: allocation.face, kind: allocation.kind, coreID: String(edit.articleID))
            {
                throw DeskError.conflict(.exists(.externalID, key: existing.externalID))
            }
        }
        return TicketUpdatePlan(
            changes: changes, newCustomer: values.customer == nil ? nil : newCustomer, articles: prepared, dynamicFields: changedFields,
            dynamicFieldEvents: fieldEvents, previousTimeTotal: timeTotal, previousSender: previousSender,
            faceAttributes: request.faceAttributes, articleEdits: request.articleEdits)
    }

    /// osTicket's reopen assignment (`Ticket::setStatus`): the owner if it is available, else
    /// (an unassigned ticket) the author of the second-newest agent answer, counting the
    /// request's own `answers` as the newest (`getLastRespondent`'s `limit('1,1')`, read after
    /// `postReply` has added the reply); nobody available: unassigned.
    private func reopenOwner(of ticket: Ticket, answers: [Article]) async throws -> Agent {
        let agentType = catalog.senderTypes["agent"]?.id
        let isAnswer = { (article: Article) in article.senderTypeID == agentType && article.isVisibleForCustomer }
        var candidateID = ticket.assignedOwnerID
        if candidateID == nil {
            let stored = try await reader.articles(ticketID: ticket.id).filter(isAnswer).sorted { $0.id < $1.id }
            // An answer by agent 1 counts (it is osTicket staff); choosing it leaves the ticket unassigned.
            candidateID = (stored + answers.filter(isAnswer)).map(\.createdBy).dropLast().last
        }
        if let candidateID, let agent = try await reader.agent(id: candidateID), try await isAvailable(agent, for: ticket) {
            return agent
        }
        guard let nobody = try await reader.agent(id: Ticket.unassignedOwnerID) else {
            throw DeskError.notFound(.agent, key: String(Ticket.unassignedOwnerID))
        }
        return nobody
    }

    /// osTicket's `isAvailable() && canAccessDept()`: a valid agent, not out of office now, who
    /// may read the ticket's queue (`ro` or `rw` in its group).
    private func isAvailable(_ agent: Agent, for ticket: Ticket) async throws -> Bool {
        guard agent.validity == .valid, !agent.isOutOfOffice(at: now), let queue = catalog.queues[ticket.queueID] else { return false }
        return try await reader.permissions(agentID: agent.id).allowReading(inGroup: queue.groupID)
    }

    /// Who an article comes from when the caller does not say: the customer for customers,
    /// the agent's full name for agents.
    static func defaultFrom(for principal: Principal, reader: any StoreReader) async throws -> String {
        switch principal {
        case .customer(let customer):
            return try await reader.customerUser(login: customer.login)?.mailbox ?? customer.login
        case .agent(let agent):
            return try await reader.agent(id: agent.id)?.fullName ?? agent.login
        }
    }
}

/// The ticket as an update changes it step by step, the columns to write, and the events, each
/// with the ticket as it was right after its change.
struct Changes: Sendable {
    var ticket: Ticket
    var fields = TicketChanges()
    var events: [(change: TicketChange, snapshot: TicketSnapshot, actorID: Int)] = []
    let actingUserID: Int
    let now: Int64

    init(original: Ticket, actingUserID: Int, now: Int64) {
        ticket = original
        self.actingUserID = actingUserID
        self.now = now
    }

    var title: String? {
        get { fields.title }
        set {
            fields.title = newValue
            if let newValue { ticket.title = newValue }
        }
    }

    mutating func record(_ change: TicketChange, actorID: Int? = nil) {
        events.append((change, TicketSnapshot(ticket), actorID ?? actingUserID))
    }

    /// Znuny's `TriggerEscalationStopEvents`: after a state, queue or SLA change, each deadline
    /// that was reached before it and is no longer shown after it gets an `Escalation…TimeStop`
    /// event right after the change's own. Znuny runs it before the escalation index is rebuilt
    /// (at the end of the request), so it compares the stored deadlines: only a state of a
    /// closed, merged or removed type, or a queue or SLA without minutes, ends one; an answer
    /// does not.
    mutating func recordEscalationStops(from original: Ticket, catalog: Catalog) {
        var (stateID, queueID, slaID) = (original.stateID, original.queueID, original.slaID)
        let now = now
        let reached = { (stateID: Int, queueID: Int, slaID: Int?) in
            EscalationMinutes.reached(
                original.escalationTimes, stateID: stateID, queueID: queueID, slaID: slaID, catalog: catalog, now: now)
        }
        var result: [(change: TicketChange, snapshot: TicketSnapshot, actorID: Int)] = []
        for event in events {
            result.append(event)
            let before = reached(stateID, queueID, slaID)
            switch event.change {
            case .state(_, let new): stateID = new.id
            case .queue(_, let new): queueID = new.id
            case .sla(_, let new): slaID = new?.id
            default: continue
            }
            let after = reached(stateID, queueID, slaID)
            for kind in before where !after.contains(kind) {
                result.append((.escalationStopped(kind), event.snapshot, event.actorID))
            }
        }
        events = result
    }

    mutating func setLock(_ lockID: Int, catalog: Catalog, actorID: Int? = nil) {
        let old = catalog.locks[ticket.lockID]?.name
        ticket.lockID = lockID
        fields.lockID = lockID
        record(.lock(old: old, new: catalog.locks[lockID]?.name ?? ""), actorID: actorID)
        // Znuny's `TicketLockSet` restarts the unlock timer when it locks ("Reset of unlock time.").
        if catalog.locks[lockID]?.name == "lock" && ticket.unlockTimeout != now {
            ticket.unlockTimeout = now
            fields.unlockTimeout = now
            record(.unlockTimeoutReset, actorID: actorID)
        }
    }

    mutating func setPendingTime(_ until: Int64) {
        ticket.pendingUntil = until
        fields.pendingUntil = until
        record(.pendingTime(until))
    }
}

/// A checked update, ready to be written.
struct TicketUpdatePlan: Sendable {
    var changes: Changes
    /// A customer user to create first (see `CustomerRegistration`).
    let newCustomer: NewCustomerUser?
    let articles: [PreparedArticle]
    let dynamicFields: [DynamicFieldValue]
    let dynamicFieldEvents: [TicketChange]
    let previousTimeTotal: Double
    /// The sender type of the ticket's latest article that is not the system's, when it matters.
    let previousSender: Int?
    let faceAttributes: FaceAttributes?
    let articleEdits: [ArticleEdit]

    /// Writes field changes, then articles, then dynamic fields (Znuny's order), and their events.
    func execute(in tx: any StoreWriter, catalog: Catalog) async throws -> TicketUpdateResult {
        // Two requests may register the same address at once: the second one uses the first's.
        if let newCustomer { try await tx.insertCustomerUserIfAbsent(newCustomer) }
        var ticket = changes.ticket
        var fields = changes.fields
        var events = changes.events.map { entry in
            NewTicketEvent(
                ticketID: ticket.id, change: entry.change, snapshot: entry.snapshot, actorID: entry.actorID, createdAt: changes.now)
        }
        let writer = ArticleWriter(tx: tx, catalog: catalog, now: changes.now, actingUserID: changes.actingUserID)
        var articleIDs: [Int] = []
        var faceIDs: [ExternalID] = []
        if !articles.isEmpty {
            let written = try await writer.write(
                articles, for: ticket, previousTimeTotal: previousTimeTotal, previousSender: previousSender)
            articleIDs = written.ids
            faceIDs = written.faceIDs
            events += written.events
            if let timeout = written.unlockTimeout {
                fields.unlockTimeout = timeout
                ticket.unlockTimeout = timeout
            }
        }
        if !dynamicFields.isEmpty { try await tx.setDynamicFieldValues(dynamicFields) }
        for edit in articleEdits {
            if edit.subject != nil || edit.body != nil {
                try await tx.updateArticle(
                    id: edit.articleID, subject: edit.subject, body: edit.body, isVisibleForCustomer: nil, at: changes.now,
                    by: changes.actingUserID)
            }
            if let allocation = edit.faceID { faceIDs.append(try await ArticleWriter.allocate(allocation, for: edit.articleID, in: tx)) }
            if let attributes = edit.faceAttributes {
                try await tx.setFaceAttributes(face: attributes.face, kind: .article, objectID: edit.articleID, attributes.values)
            }
        }
        if let faceAttributes {
            try await tx.setFaceAttributes(face: faceAttributes.face, kind: .ticket, objectID: ticket.id, faceAttributes.values)
        }
        events += dynamicFieldEvents.map { writer.event($0, ticket) }
        try await NotificationPlanner.record(
            into: &events, ticket: ticket, articles: articles, articleIDs: articleIDs, tx: tx, writer: writer, catalog: catalog)
        if !fields.isEmpty || !articleIDs.isEmpty || !events.isEmpty || faceAttributes != nil || !articleEdits.isEmpty {
            try await tx.updateTicket(id: ticket.id, fields, changedBy: changes.actingUserID, at: changes.now)
        }
        if !events.isEmpty { try await tx.insertEvents(events) }
        return TicketUpdateResult(
            ticketID: ticket.id, ticketNumber: ticket.number, articleIDs: articleIDs,
            articleSenderTypeIDs: articles.map(\.row.senderTypeID), faceIDs: faceIDs)
    }
}
