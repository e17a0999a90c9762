import DeskCore
import DeskFaceKit

/// TicketUpdate (§5.4 of the spec). Unlike Znuny, an update is one transaction: when a late
/// step fails nothing of it stays (Znuny keeps the earlier changes).
struct TicketUpdateOperation {
    let services: DeskServices

    func run(_ request: FaceRequest) async throws -> GIResult {
        let data = request.parameters
        guard !data.isEmpty || !request.credentials.isEmpty else {
            return .error(code: "TicketUpdate.EmptyRequest", message: "TicketUpdate: The request data is invalid!")
        }
        // Perl truth: a TicketID or TicketNumber of "0" is not given.
        let ticketNumber = data.isTrue("TicketNumber") ? ZnunyInput.text(data, "TicketNumber") : nil
        let ticketIDText = data.isTrue("TicketID") ? ZnunyInput.text(data, "TicketID") : nil
        guard ticketNumber != nil || ticketIDText != nil else {
            return .error(code: "TicketUpdate.MissingParameter", message: "TicketUpdate: TicketID or TicketNumber is required!")
        }
        let principal: Principal
        switch try await GIAuthenticator(services: services).authenticate(request) {
        case .missingLogin:
            return .error(
                code: "TicketUpdate.MissingParameter", message: "TicketUpdate: UserLogin, CustomerUserLogin or SessionID is required!")
        case .missingPassword:
            return .error(code: "TicketUpdate.MissingParameter", message: "TicketUpdate: Password or SessionID is required!")
        case .failed: return .error(code: "TicketUpdate.AuthFail", message: "TicketUpdate: User could not be authenticated!")
        case .principal(let found): principal = found
        }
        let noAccess = GIResult.error(code: "TicketUpdate.AccessDenied", message: "TicketUpdate: User does not have access to the ticket!")
        let ticketID: Int
        if let ticketNumber {
            guard let found = try await services.tickets.ticketID(number: ticketNumber, by: principal) else { return noAccess }
            ticketID = found
        } else {
            guard let parsed = Int(ticketIDText ?? "") else { return noAccess }
            ticketID = parsed
        }
        var input = ZnunyInput(operation: "TicketUpdate", catalog: try await services.catalog())
        let update = read(data, principal: principal, into: &input)
        let errors = ZnunyErrors()
        if let answer = try await input.failures.settle(
            check: { try await services.tickets.checkUpdate(ticketID: ticketID, update, by: principal) },
            map: { errors.answer(for: $0, in: "TicketUpdate") }
        ) {
            return answer
        }
        do {
            let result = try await services.tickets.update(ticketID: ticketID, update, by: principal)
            // A TicketID looked up from a TicketNumber comes from the database as a number; one
            // from the request stays the text it was sent as.
            let id: JSONValue = ticketNumber != nil ? .int(result.ticketID) : .string(String(result.ticketID))
            var answer: [String: JSONValue] = ["TicketID": id, "TicketNumber": .string(result.ticketNumber)]
            let ids = ArticleIDValue.values(result.articleIDs, senderTypeIDs: result.articleSenderTypeIDs, catalog: input.catalog)
            if ids.count == 1 { answer["ArticleID"] = ids[0] } else if ids.count > 1 { answer["ArticleIDs"] = .array(ids) }
            return .data(answer)
        } catch let error as DeskError {
            return errors.answer(for: error, in: "TicketUpdate")
        }
    }

    /// The request's blocks as a core update. Structure problems rank before the values
    /// (`CheckStep.structure`), after the ticket access the core checks first; the `Article`
    /// block's shape ranks after the ticket's values (`CheckStep.articleStructure`).
    private func read(_ data: [String: JSONValue], principal: Principal, into input: inout ZnunyInput) -> TicketUpdateRequest {
        var fields: [String: JSONValue] = [:]
        if let value = data["Ticket"], value != .null {
            if let object = value.objectValue, !object.isEmpty {
                fields = object
            } else {
                input.failures.record(.structure, input.invalidResult("Ticket parameter is not valid!"))
            }
        }
        let fieldBlock = ZnunyInput.optionalBlock(data["DynamicField"])
        if case .invalid = fieldBlock {
            input.failures.record(.structure, input.missingResult("DynamicField parameter is missing or not valid!"))
        }
        let attachmentBlock = ZnunyInput.optionalBlock(data["Attachment"])
        if case .invalid = attachmentBlock {
            input.failures.record(.structure, input.missingResult("Attachment parameter is missing or not valid!"))
        }
        guard input.failures.isEmpty else { return TicketUpdateRequest() }

        let ticket = input.ticketFields(fields, now: services.clock.now())
        // The `Article` block's shape is looked at after the ticket's values (`_CheckTicket`):
        // a bad one leaves an update of the ticket's fields alone, whose problems come first.
        let articleBlock = ZnunyInput.articleBlock(data["Article"])
        let articleEntries = articleBlock.entries
        let badArticles: Bool
        if case .invalid = articleBlock { badArticles = true } else { badArticles = !articleEntries.allSatisfy { $0.objectValue != nil } }
        var update = TicketUpdateRequest(
            title: ticket.title, queue: ticket.queue, state: ticket.state, priority: ticket.priority, type: ticket.type, lock: ticket.lock,
            service: ticket.service, sla: ticket.sla, owner: ticket.owner, responsible: ticket.responsible,
            customerUser: ticket.customerUser, customerID: ticket.customerID, pendingUntil: ticket.pendingUntil)
        update.unknownCustomerCheck = ZnunyAddressCheck.allows
        guard !badArticles else {
            input.failures.record(.articleStructure, input.invalidResult("Article parameter is not valid!"))
            return update
        }
        let defaults = ZnunyInput.ArticleDefaults(
            historyType: "AddNote", historyComment: "%%GenericInterface Note", autoResponseType: "auto follow up")
        var callerIsCustomer = false
        if case .customer = principal { callerIsCustomer = true }
        let addressing = ZnunyInput.Addressing.update(requestCustomerUser: ticket.customerUser, callerIsCustomer: callerIsCustomer)
        var drafts = articleEntries.enumerated().map {
            input.article($0.element, index: $0.offset, defaults: defaults, addressing: addressing)
        }
        do {
            update.dynamicFields = try input.dynamicFields(fieldBlock.entries, position: { .dynamicField($0, name: $1) })
            // `_CheckAttachment` asks for the article before it looks at the files.
            var rootFiles: [AttachmentDraft] = []
            if drafts.isEmpty && !attachmentBlock.entries.isEmpty {
                input.missing(.article(0, .attachment(0, .content)), "To create an attachment an article is needed!")
            } else {
                rootFiles = try input.attachments(attachmentBlock.entries, article: 0)
            }
            for index in drafts.indices {
                let object = articleEntries[index].objectValue
                drafts[index].attachments =
                    try input.attachments(ZnunyInput.list(object?["Attachment"]) ?? [], article: index)
                    + (index == 0 ? rootFiles : [])
                let fields = try input.dynamicFields(
                    ZnunyInput.list(object?["DynamicField"]) ?? [], position: { .article(index, .dynamicField($0, name: $1)) })
                // Znuny takes a ticket field named in an article's block (`SetDynamicFieldValue`
                // writes it to the ticket).
                let catalog = input.catalog
                let isTicketField = { (field: DynamicFieldInput) in catalog.dynamicFields[field.name]?.object == .ticket }
                drafts[index].dynamicFields = fields.filter { !isTicketField($0) }
                update.dynamicFields += fields.filter(isTicketField)
            }
        } catch {
            input.failures.record(.structure, error.result)
        }
        update.articles = drafts
        return update
    }
}
