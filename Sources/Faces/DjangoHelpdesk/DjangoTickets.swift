import DeskCore
import DeskFaceKit
import Foundation
import Hummingbird

/// `/api/tickets/` (`TicketViewSet`): list with `?status=`, create, read, PUT/PATCH, DELETE.
struct DjangoTickets {
    let api: DjangoAPI

    var services: DeskServices { api.services }
    var mapping: DjangoMapping { api.mapping }

    func list(path: String) async throws -> Response {
        var query = TicketQuery()
        query.queueIDs = mapping.coreQueueIDs
        if let statuses = statusFilter() { query.stateIDs = statuses }
        query.sort = [(.ticketID, true)]
        let searchable = !query.queueIDs.isEmpty && query.stateIDs != [-1]
        return try await api.pagedSearch(searchable ? query : nil, path: path) { try await api.tickets($0) }
    }

    /// `?status=1,3`: tokens equal to a status number, as states; nil when none matches (no
    /// filter), `[-1]` when the statuses match no state.
    func statusFilter() -> [Int]? {
        guard let text = api.request.parameters["status"]?.scalarString else { return nil }
        let wanted = Set(
            text.split(separator: ",", omittingEmptySubsequences: false).compactMap { token in
                ["1", "2", "3", "4", "5"].contains(token) ? Int(token) : nil
            })
        guard !wanted.isEmpty else { return nil }
        let states = mapping.catalog.states.all.filter { wanted.contains(mapping.status(ofState: $0.id)) }.map(\.id)
        return states.isEmpty ? [-1] : states
    }

    func create(_ body: DjangoBody) async throws -> Response {
        let input: DjangoTicketInput
        switch try await DjangoTicketInput.read(body, api: api, partial: false, create: true) {
        case .failure(let errors): return api.json(.badRequest, errors.json)
        case .success(let read): input = read
        }
        let request = try await createRequest(
            NewTicketInput(
                title: input.title ?? "", queue: input.queue, priority: input.priority ?? 3, owner: input.assignedTo ?? nil,
                submitter: (input.submitterEmail ?? nil) ?? "", description: (input.description ?? nil) ?? "",
                dueDate: input.dueDate ?? nil, customFields: customFields(input),
                files: input.attachment.map { [DjangoAttachments.draft($0)] } ?? []))
        let (created, details) = try await services.tickets.createAndRead(request, options: DjangoAPI.readOptions, by: api.principal)
        return api.json(.created, try await api.serializers(for: [details], allocated: created.faceIDs).ticket(details))
    }

    /// What both APIs' creates carry: a ticket with status Open.
    struct NewTicketInput {
        var title: String
        var queue: Int?
        var priority: Int
        var owner: Int?
        var submitter: String
        var description: String
        var dueDate: Int64?
        var customFields: [DynamicFieldInput]
        var files: [AttachmentDraft] = []
    }

    /// The core request for a new ticket, as django-helpdesk's `Ticket` save plus its first public
    /// follow-up ("Ticket Opened", "& Assigned to …" with an owner). The submitter becomes the
    /// ticket's customer user (registered on first use); a customer caller is always its own
    /// submitter, so it cannot open tickets in another customer's name.
    func createRequest(_ ticket: NewTicketInput) async throws -> TicketCreateRequest {
        var opened = "Ticket Opened"
        var assignee: Agent?
        if let owner = ticket.owner, let agent = try await services.directory.agents(ids: [owner], by: api.principal).first {
            // `get_full_name() or get_username()`.
            let name = "\(agent.firstName) \(agent.lastName)".trimmingSpaces
            opened += " & Assigned to \(name.isEmpty ? agent.login : name)"
            assignee = agent
        }
        typealias Attribute = DjangoSerializers.Attribute
        var authorAttributes: [String: String?] = [:]
        var customerCaller: String?
        var submitter = ticket.submitter
        if case .customer(let customer) = api.principal {
            customerCaller = customer.login
            authorAttributes[Attribute.user] = try await api.callerUserID().map(String.init)
            submitter = try await services.directory.customerUser(login: customer.login, by: api.principal)?.email ?? customer.login
        }
        let recipients = DjangoMail.opening(submitter: submitter, owner: assignee)
        authorAttributes[Attribute.emailRecipients] = DjangoMail.json(recipients)
        // The description is the ticket's own field: editing or deleting the opening follow-up
        // leaves it as it was.
        var attributes: [String: String?] = [
            Attribute.secretKey: UUID().uuidString.lowercased(), Attribute.onHold: "0", Attribute.description: ticket.description,
        ]
        if let due = ticket.dueDate { attributes[Attribute.dueDate] = DRF.isoTime(due) }
        if !ticket.submitter.isEmpty { attributes[Attribute.submitterEmail] = ticket.submitter }
        let fromCustomer = customerCaller != nil || !ticket.submitter.isEmpty
        var opening = ArticleDraft(
            subject: opened, body: ticket.description, senderType: .name(fromCustomer ? "customer" : "agent"),
            channel: .name("Internal"), isVisibleForCustomer: true, contentType: "text/plain; charset=utf-8",
            attachments: ticket.files, faceID: FaceIDAllocation(face: DjangoAPI.face, kind: DjangoMapping.Kind.followup),
            faceAttributes: FaceAttributes(face: DjangoAPI.face, values: authorAttributes))
        DjangoMail.address(&opening, recipients: recipients, submitter: submitter)
        var request = TicketCreateRequest(
            title: ticket.title, queue: ticket.queue.map(Ref.id), state: stateRef(1), priority: priorityRef(ticket.priority),
            owner: ticket.owner.map(Ref.id), articles: [opening], dynamicFields: ticket.customFields)
        if ticket.owner == nil && customerCaller == nil {
            // Without `assigned_to` the ticket is unassigned, whoever creates it (the core would
            // give it to the creating agent, as Znuny does); naming the owner must not lock it.
            request.owner = .id(Ticket.unassignedOwnerID)
            request.lock = .name("unlock")
        }
        if let customerCaller {
            request.customerUser = customerCaller
        } else if !ticket.submitter.isEmpty {
            request.registration = CustomerRegistration(email: ticket.submitter)
        }
        request.faceID = FaceIDAllocation(face: DjangoAPI.face, kind: DjangoMapping.Kind.ticket)
        request.faceAttributes = FaceAttributes(face: DjangoAPI.face, values: attributes)
        return request
    }

    func retrieve(_ pk: String) async throws -> Response {
        guard let ticket = try await api.shownTicket(pk) else { return notFound(pk) }
        return api.json(.ok, ticket)
    }

    /// PUT and PATCH: a plain model update (no follow-up), fields left out keep their values.
    func update(_ pk: String, _ body: DjangoBody, partial: Bool) async throws -> Response {
        guard let core = try await api.coreTicket(pk) else { return notFound(pk) }
        let input: DjangoTicketInput
        switch try await DjangoTicketInput.read(body, api: api, partial: partial, create: false) {
        case .failure(let errors): return api.json(.badRequest, errors.json)
        case .success(let read): input = read
        }
        var request = TicketUpdateRequest(
            title: input.title, queue: input.queue.map(Ref.id), state: input.status.map(stateRef),
            priority: input.priority.map(priorityRef), dynamicFields: customFields(input))
        if let assigned = input.assignedTo { request.owner = .id(assigned ?? Ticket.unassignedOwnerID) }
        if let onHold = input.onHold { request.lock = .name(onHold ? "lock" : "unlock") }
        // The ticket's customer is the one with that address (registered when unknown), as on create.
        if case .some(.some(let email)) = input.submitterEmail, !email.isEmpty { request.registration = CustomerRegistration(email: email) }

        var attributes: [String: String?] = [:]
        // The address as written; "" clears the field (the ticket keeps its customer).
        if let email = input.submitterEmail { attributes[DjangoSerializers.Attribute.submitterEmail] = .some(email ?? "") }
        if let description = input.description { attributes[DjangoSerializers.Attribute.description] = .some(description ?? "") }
        if let resolution = input.resolution { attributes[DjangoSerializers.Attribute.resolution] = .some(resolution) }
        if let due = input.dueDate { attributes[DjangoSerializers.Attribute.dueDate] = .some(due.map(DRF.isoTime)) }
        if let merged = input.mergedTo { attributes[DjangoSerializers.Attribute.mergedTo] = .some(merged.map(String.init)) }
        if let onHold = input.onHold { attributes[DjangoSerializers.Attribute.onHold] = onHold ? "1" : "0" }
        if !attributes.isEmpty { request.faceAttributes = FaceAttributes(face: DjangoAPI.face, values: attributes) }
        _ = try await services.tickets.update(ticketID: core, request, by: api.principal)
        var ticket = try await api.tickets([core])[0]
        if case .orderedObject(var members) = ticket, !input.echoed.isEmpty {
            for index in members.indices { if let shown = input.echoed[members[index].key] { members[index].value = shown } }
            ticket = .orderedObject(members)
        }
        return api.json(.ok, ticket)
    }

    func destroy(_ pk: String) async throws -> Response {
        guard let core = try await api.coreTicket(pk) else { return notFound(pk) }
        try await services.tickets.delete(ticketID: core, by: api.principal)
        return DjangoWire.noContent(api.headers)
    }

    /// Unknown numeric ids name the model; anything else is DRF's bare `Not found.`
    func notFound(_ pk: String) -> Response {
        DRF.pythonInt(pk) == nil ? api.detail(.notFound, "Not found.") : api.notFound("Ticket")
    }

    func stateRef(_ status: Int) -> Ref {
        mapping.statusToCore[status].map(Ref.id) ?? .name(DjangoReference.statuses.first { $0.id == status }?.state ?? "open")
    }

    func priorityRef(_ priority: Int) -> Ref {
        mapping.priorityToCore[priority].map(Ref.id) ?? .name(DjangoReference.priorities.first { $0.id == priority }?.core ?? "3 normal")
    }

    func customFields(_ input: DjangoTicketInput) -> [DynamicFieldInput] {
        input.custom.map { DynamicFieldInput(name: $0.field.dynamicField, values: $0.value.map { [$0] } ?? []) }
    }
}
