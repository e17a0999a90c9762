import DeskCore

/// TicketUpdate (§5.4 of the spec). Unlike Znuny, an update is one transaction: when a late
/// step fails nothing of it stays (Znuny keeps the earlier changes).
struct TicketUpdateOperation {
    let services: AppServices

    func run(_ request: GIRequest) async throws -> GIResult {
        let data = request.data.filter { $0.key != "RequestMethod" }
        guard !data.isEmpty || !request.headerCredentials.isEmpty else {
            return .error(code: "TicketUpdate.EmptyRequest", message: "TicketUpdate: The request data is invalid!")
        }
        let ticketNumber = ZnunyInput.text(data, "TicketNumber")
        let ticketIDText = ZnunyInput.text(data, "TicketID")
        guard ticketNumber != nil || ticketIDText != nil else {
            return .error(code: "TicketUpdate.MissingParameter", message: "TicketUpdate: TicketID or TicketNumber is required!")
        }
        let principal: Principal
        switch try await GIAuthenticator(services: services).authenticate(request) {
        case .missingLogin: return .error(code: "TicketUpdate.MissingParameter", message: "TicketUpdate: UserLogin, CustomerUserLogin or SessionID is required!")
        case .missingPassword: return .error(code: "TicketUpdate.MissingParameter", message: "TicketUpdate: Password or SessionID is required!")
        case .failed: return .error(code: "TicketUpdate.AuthFail", message: "TicketUpdate: User could not be authenticated!")
        case .principal(let found): principal = found
        }
        let noAccess = GIResult.error(code: "TicketUpdate.AccessDenied", message: "TicketUpdate: User does not have access to the ticket!")
        let catalog = try await services.store.read { try await $0.catalog() }
        let ticketID: Int?
        if let ticketNumber {
            ticketID = try await services.store.read { try await $0.ticketID(number: ticketNumber) }
        } else {
            ticketID = Int(ticketIDText ?? "")
        }
        guard let ticketID, let ticket = try await services.store.read({ try await $0.ticket(id: ticketID) }),
              TicketAccess.canRead(ticket, by: principal, catalog: catalog)
        else { return noAccess }

        let now = services.tickets.clock.now()
        let checked: Checked<TicketUpdateRequest> = try await services.store.read { reader in
            let input = ZnunyInput(operation: "TicketUpdate", catalog: catalog, reader: reader)
            do {
                return .success(try await validate(data, ticket: ticket, principal: principal, input: input, now: now))
            } catch let failure as ZnunyInput.Failure {
                return .failure(failure.result)
            }
        }
        return try await checked.flatMapResult { update in
            do {
                let result = try await services.tickets.update(ticketID: ticket.id, update, by: principal)
                var answer: [String: JSONValue] = ["TicketID": .string(String(result.ticketID)), "TicketNumber": .string(result.ticketNumber)]
                let ids: [JSONValue] = result.articleIDs.map { id in
                    if case .customer = principal { return .string(String(id)) }
                    return .int(id)
                }
                if ids.count == 1 { answer["ArticleID"] = ids[0] } else if ids.count > 1 { answer["ArticleIDs"] = .array(ids) }
                return .data(answer)
            } catch DeskError.invalid(field: "PendingTime", _) {
                return .error(code: "TicketUpdate.MissingParameter", message: "Can't set a ticket on a pending state without pendig time!")
            } catch let error as DeskError {
                return ZnunyErrors.map(error, operation: "TicketUpdate")
            }
        }
    }

    private func validate(_ data: [String: JSONValue], ticket: Ticket, principal: Principal, input: ZnunyInput, now: Int64) async throws -> TicketUpdateRequest {
        let catalog = input.catalog
        var fields: [String: JSONValue] = [:]
        if let value = data["Ticket"], value != .null {
            guard let object = value.objectValue else { throw input.invalid("Ticket parameter is not valid!") }
            fields = object
        }
        let articleEntries = ZnunyInput.list(data["Article"]) ?? []
        if data["Article"] != nil, !articleEntries.allSatisfy({ $0.objectValue != nil }) { throw input.invalid("Article parameter is not valid!") }
        let fieldEntries = ZnunyInput.list(data["DynamicField"])
        if data["DynamicField"] != nil, fieldEntries?.isEmpty ?? true { throw input.missing("DynamicField parameter is missing or not valid!") }
        let attachmentEntries = ZnunyInput.list(data["Attachment"])
        if data["Attachment"] != nil, attachmentEntries?.isEmpty ?? true { throw input.missing("Attachment parameter is missing or not valid!") }

        var update = TicketUpdateRequest()
        update.title = ZnunyInput.text(fields, "Title")
        update.customerUser = try await input.customerUser(fields, required: false)
        update.customerID = ZnunyInput.text(fields, "CustomerID")
        update.queue = try input.queue(fields, required: false)
        update.lock = try input.lock(fields)
        update.type = try input.type(fields, required: false)
        update.service = try input.service(fields)
        let serviceID: Int? = if case .id(let id) = update.service { id } else { ticket.serviceID }
        update.sla = try input.sla(fields, serviceID: serviceID)
        let state = try input.state(fields, required: false)
        update.state = state.map { .id($0.id) }
        update.priority = try input.priority(fields, required: false)
        update.owner = try await input.agent(fields, "Owner")
        update.responsible = try await input.agent(fields, "Responsible")
        update.pendingUntil = try input.pendingTime(fields, now: now)

        let defaults = ZnunyInput.ArticleDefaults(historyType: "AddNote", historyComment: "%%GenericInterface Note")
        let agentIDs = try await input.notificationAgentIDs(articleEntries)
        var drafts = try articleEntries.map { try input.article($0, principal: principal, defaults: defaults, agentIDs: agentIDs) }
        let dynamicFields = try input.dynamicFields(fieldEntries ?? [])
        if drafts.isEmpty {
            for input in dynamicFields where catalog.dynamicFields[input.name]?.object == .article {
                throw ZnunyInput.Failure(result: .error(code: "TicketUpdate.MissingParameter",
                                                        message: "TicketUpdate: To create an article DynamicField an article is required!"))
            }
        }
        let rootFiles = try input.attachments(attachmentEntries ?? [])
        if !rootFiles.isEmpty && drafts.isEmpty {
            throw input.missing("To create an attachment an article is needed!")
        }
        for index in drafts.indices {
            let own = try input.attachments(ZnunyInput.list(articleEntries[index].objectValue?["Attachment"]) ?? [])
            var articleFields: [DynamicFieldInput] = []
            if let entries = ZnunyInput.list(articleEntries[index].objectValue?["DynamicField"]) {
                articleFields = try input.dynamicFields(entries)
            }
            drafts[index].attachments = own + (index == 0 ? rootFiles : [])
            drafts[index].dynamicFields = articleFields
        }
        update.articles = drafts
        update.dynamicFields = dynamicFields

        // Znuny's permission checks, in its order, with its messages.
        func deny(_ message: String) -> ZnunyInput.Failure {
            ZnunyInput.Failure(result: .error(code: "TicketUpdate.AccessDenied", message: "TicketUpdate: \(message)"))
        }
        let can = { (change: TicketAccess.Change) in TicketAccess.canChange(change, ticket, by: principal, catalog: catalog) }
        if !drafts.isEmpty && !can(.article) { throw deny("Does not have permissions to create new articles!") }
        if !dynamicFields.isEmpty && !can(.dynamicFields) { throw deny("Does not have permissions to update dynamic fields!") }
        if case .id(let id) = update.queue, id != ticket.queueID, !can(.queue) { throw deny("Does not have permissions to update queue!") }
        if case .id(let id) = update.owner, id != ticket.ownerID, !can(.owner) { throw deny("Does not have permissions to update owner!") }
        if case .id(let id) = update.responsible, id != ticket.responsibleID, !can(.responsible) {
            throw deny("Does not have permissions to update responsibe!")
        }
        if case .id(let id) = update.priority, id != ticket.priorityID, !can(.priority) { throw deny("Does not have permissions to update priority!") }
        if let state, state.id != ticket.stateID {
            let type = catalog.stateTypeName(ofState: state.id)
            if (type.hasPrefix("close") || type.hasPrefix("pending")) && !can(.closeOrPending) {
                throw deny("Does not have permissions to update state!")
            }
        }
        return update
    }
}
