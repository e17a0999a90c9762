import DeskCore

/// TicketCreate (§5.3 of the spec).
struct TicketCreateOperation {
    let services: AppServices

    func run(_ request: GIRequest) async throws -> GIResult {
        let data = request.data
        switch try await GIAuthenticator(services: services).authenticate(request) {
        case .missingLogin: return .error(code: "TicketCreate.MissingParameter", message: "TicketCreate: UserLogin, CustomerUserLogin or SessionID is required!")
        case .missingPassword: return .error(code: "TicketCreate.MissingParameter", message: "TicketCreate: Password or SessionID is required!")
        case .failed: return .error(code: "TicketCreate.AuthFail", message: "TicketCreate: User could not be authenticated!")
        case .principal(let principal): return try await create(data, principal: principal)
        }
    }

    private func create(_ data: [String: JSONValue], principal: Principal) async throws -> GIResult {
        let catalog = try await services.store.read { try await $0.catalog() }
        let now = services.tickets.clock.now()
        let checked: Checked<TicketCreateRequest> = try await services.store.read { reader in
            let input = ZnunyInput(operation: "TicketCreate", catalog: catalog, reader: reader)
            do {
                guard let articles = ZnunyInput.list(data["Article"]), !articles.isEmpty, articles.allSatisfy({ $0.objectValue != nil }) else {
                    throw input.missing("Article parameter is missing or not valid!")
                }
                guard let ticket = data["Ticket"]?.objectValue else { throw input.missing("Ticket parameter is missing or not valid!") }
                let fieldEntries = ZnunyInput.list(data["DynamicField"])
                if data["DynamicField"] != nil, fieldEntries?.isEmpty ?? true { throw input.missing("DynamicField parameter is missing or not valid!") }
                let attachmentEntries = ZnunyInput.list(data["Attachment"])
                if data["Attachment"] != nil, attachmentEntries?.isEmpty ?? true { throw input.missing("Attachment parameter is missing or not valid!") }

                guard let title = ZnunyInput.text(ticket, "Title") else { throw input.missing("Ticket->Title parameter is missing!") }
                let customer = try await input.customerUser(ticket, required: true)
                let queue = try input.queue(ticket, required: true)!
                let lock = try input.lock(ticket)
                let type = try input.type(ticket, required: true)
                let service = try input.service(ticket)
                let serviceID: Int? = if case .id(let id) = service { id } else { nil }
                let sla = try input.sla(ticket, serviceID: serviceID)
                let state = try input.state(ticket, required: true)!
                let priority = try input.priority(ticket, required: true)!
                let owner = try await input.agent(ticket, "Owner")
                let responsible = try await input.agent(ticket, "Responsible")
                let pending = try input.pendingTime(ticket, now: now)
                if case .id(let queueID) = queue, let row = catalog.queues[queueID], !TicketAccess.canCreate(in: row, by: principal) {
                    throw ZnunyInput.Failure(result: .error(code: "TicketCreate.AccessDenied", message: "TicketCreate: Can not create tickets in given Queue or QueueID!"))
                }
                let defaults = ZnunyInput.ArticleDefaults(historyType: "NewTicket", historyComment: "%%GenericInterface Create")
                let agentIDs = try await input.notificationAgentIDs(articles)
                var drafts = try articles.map { try input.article($0, principal: principal, defaults: defaults, agentIDs: agentIDs) }
                let fields = try input.dynamicFields(fieldEntries ?? [])
                let rootFiles = try input.attachments(attachmentEntries ?? [])
                for index in drafts.indices {
                    let own = try input.attachments(ZnunyInput.list(articles[index].objectValue?["Attachment"]) ?? [])
                    drafts[index].attachments = own + rootFiles
                }
                let request = TicketCreateRequest(
                    title: title, queue: queue, state: .id(state.id), priority: priority, type: type, lock: lock, service: service,
                    sla: sla, owner: owner, responsible: responsible, customerUser: customer,
                    customerID: ZnunyInput.text(ticket, "CustomerID"), pendingUntil: pending, articles: drafts, dynamicFields: fields)
                return .success(request)
            } catch let failure as ZnunyInput.Failure {
                return .failure(failure.result)
            }
        }
        return try await checked.flatMapResult { request in
            do {
                let created = try await services.tickets.create(request, by: principal)
                let articleIDs: [JSONValue] = created.articleIDs.map { id in
                    // Znuny answers ArticleID as a number to agents and as a string to customers.
                    if case .customer = principal { return .string(String(id)) }
                    return .int(id)
                }
                return .data([
                    "TicketID": .string(String(created.ticketID)),
                    "TicketNumber": .string(created.ticketNumber),
                    "ArticleID": articleIDs.count == 1 ? articleIDs[0] : .array(articleIDs),
                ])
            } catch let error as DeskError {
                return ZnunyErrors.map(error, operation: "TicketCreate")
            }
        }
    }
}

/// Either a validated request or the answer that ends the call.
enum Checked<T: Sendable>: Sendable {
    case success(T)
    case failure(GIResult)

    func flatMapResult(_ body: (T) async throws -> GIResult) async rethrows -> GIResult {
        switch self {
        case .success(let value): try await body(value)
        case .failure(let result): result
        }
    }
}

/// Maps core errors that slip past the face's own checks to Znuny's answers.
enum ZnunyErrors {
    static func map(_ error: DeskError, operation: String) -> GIResult {
        switch error {
        case .accessDenied:
            if operation == "TicketCreate" {
                return .error(code: "TicketCreate.AccessDenied", message: "TicketCreate: Can not create tickets in given Queue or QueueID!")
            }
            return .error(code: "\(operation).AccessDenied", message: "\(operation): User does not have access to the ticket!")
        case .notFound:
            return .error(code: "\(operation).AccessDenied", message: "\(operation): User does not have access to the ticket!")
        case .invalid(let field, _):
            let subject = ["Title", "Queue", "State", "Priority", "Type", "Lock", "Service", "SLA", "Owner", "Responsible", "CustomerUser", "PendingTime"]
                .contains(field) ? "Ticket->\(field)" : field == "DynamicField" ? "DynamicField->Value" : "Article->\(field)"
            return .error(code: "\(operation).InvalidParameter", message: "\(operation): \(subject) parameter is invalid!")
        case .conflict(let message):
            return .fault(message)
        }
    }
}
