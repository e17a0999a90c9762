import DeskCore
import DeskFaceKit

/// TicketCreate (§5.3 of the spec).
struct TicketCreateOperation {
    let services: DeskServices

    func run(_ request: FaceRequest) async throws -> GIResult {
        let principal: Principal
        switch try await GIAuthenticator(services: services).authenticate(request) {
        case .missingLogin:
            return .error(
                code: "TicketCreate.MissingParameter", message: "TicketCreate: UserLogin, CustomerUserLogin or SessionID is required!")
        case .missingPassword:
            return .error(code: "TicketCreate.MissingParameter", message: "TicketCreate: Password or SessionID is required!")
        case .failed: return .error(code: "TicketCreate.AuthFail", message: "TicketCreate: User could not be authenticated!")
        case .principal(let found): principal = found
        }
        var input = ZnunyInput(operation: "TicketCreate", catalog: try await services.catalog())
        let draft: TicketCreateRequest
        do {
            draft = try read(request.parameters, into: &input)
        } catch {
            return error.result
        }
        let errors = ZnunyErrors()
        if let answer = try await input.failures.settle(
            check: { try await services.tickets.checkCreate(draft, by: principal) },
            map: { errors.answer(for: $0, in: "TicketCreate") }
        ) {
            return answer
        }
        do {
            let created = try await services.tickets.create(draft, by: principal)
            let articleIDs = ArticleIDValue.values(
                created.articleIDs, senderTypeIDs: created.articleSenderTypeIDs, catalog: input.catalog)
            return .data([
                "TicketID": .string(String(created.ticketID)),
                "TicketNumber": .string(created.ticketNumber),
                "ArticleID": articleIDs.count == 1 ? articleIDs[0] : .array(articleIDs),
            ])
        } catch let error as DeskError {
            return errors.answer(for: error, in: "TicketCreate")
        }
    }

    /// The request's blocks as a core request; the structure checks Znuny makes first end the
    /// call at once, the rest are recorded in `input.failures`.
    private func read(_ data: [String: JSONValue], into input: inout ZnunyInput) throws(ZnunyInput.Stop) -> TicketCreateRequest {
        // `IsHashRefWithData` / `IsArrayRefWithData`: an empty object is as good as none.
        guard case .entries(let articles) = ZnunyInput.articleBlock(data["Article"]), articles.allSatisfy({ $0.objectValue != nil })
        else {
            throw ZnunyInput.Stop(result: input.missingResult("Article parameter is missing or not valid!"))
        }
        guard let ticket = data["Ticket"]?.objectValue, !ticket.isEmpty else {
            throw ZnunyInput.Stop(result: input.missingResult("Ticket parameter is missing or not valid!"))
        }
        let fieldBlock = ZnunyInput.optionalBlock(data["DynamicField"])
        if case .invalid = fieldBlock {
            throw ZnunyInput.Stop(result: input.missingResult("DynamicField parameter is missing or not valid!"))
        }
        let attachmentBlock = ZnunyInput.optionalBlock(data["Attachment"])
        if case .invalid = attachmentBlock {
            throw ZnunyInput.Stop(result: input.missingResult("Attachment parameter is missing or not valid!"))
        }

        let fields = input.ticketFields(ticket, now: services.clock.now())
        // The GenericInterface requires a customer user; the core does not.
        if fields.customerUser == nil { input.missing(.customerUser, "Ticket->CustomerUser parameter is missing!") }
        let defaults = ZnunyInput.ArticleDefaults(
            historyType: "NewTicket", historyComment: "%%GenericInterface Create", autoResponseType: "auto reply")
        // Znuny's `To` is the queue as the request named it.
        let queueName = ZnunyInput.text(ticket, "Queue") ?? fields.queue.flatMap { input.catalog.queues[$0]?.name } ?? ""
        var drafts = articles.enumerated().map {
            input.article($0.element, index: $0.offset, defaults: defaults, addressing: .create(queueName: queueName))
        }
        // `_TicketCreate`: with an owner and no `NoAgentNotify` agents are not notified of the article.
        for index in drafts.indices where fields.owner != nil {
            let notify = articles[index].objectValue?["NoAgentNotify"]
            if notify == nil || notify == .null { drafts[index].notifications.none = true }
        }
        let dynamicFields = try input.dynamicFields(fieldBlock.entries, position: { .dynamicField($0, name: $1) })
        let rootFiles = try input.attachments(attachmentBlock.entries, article: 0)
        for index in drafts.indices {
            let own = try input.attachments(ZnunyInput.list(articles[index].objectValue?["Attachment"]) ?? [], article: index)
            drafts[index].attachments = own + rootFiles
        }
        // `Ticket::TicketCreate` keeps the first 255 characters of a longer title.
        var request = TicketCreateRequest(
            title: String((fields.title ?? "").prefix(255)), queue: fields.queue, state: fields.state, priority: fields.priority,
            type: fields.type, lock: fields.lock, service: fields.service, sla: fields.sla, owner: fields.owner,
            responsible: fields.responsible, customerUser: fields.customerUser, customerID: fields.customerID,
            pendingUntil: fields.pendingUntil, articles: drafts, dynamicFields: dynamicFields)
        // `_TicketCreate` looks for a customer by address when CustomerUser is no login (PostMasterSearch).
        request.customerByAddress = true
        request.unknownCustomerCheck = ZnunyAddressCheck.allows
        return request
    }
}
