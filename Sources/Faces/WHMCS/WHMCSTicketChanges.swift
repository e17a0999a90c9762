import DeskCore
import DeskFaceKit
import Foundation

/// The writing actions on one ticket: AddTicketReply, AddTicketNote, UpdateTicket and
/// UpdateTicketReply. Each is one core call, so nothing is half-written.
struct WHMCSTicketChanges {
    let context: WHMCSContext

    var params: WHMCSParameters { context.params }
    var mapping: WHMCSMapping { context.mapping }
    var services: DeskServices { context.services }
    typealias Attribute = WHMCSTicketView.Attribute
    typealias Kind = WHMCSMapping.Kind

    // MARK: AddTicketReply

    func addReply() async throws -> JSONValue {
        guard let ticketID = try await context.ticket(id: params.int("ticketid")) else { throw WHMCSError("Ticket ID Not Found") }
        let people = context.people
        var author: CustomerUser?
        if params.int("clientid") != 0 {
            guard let client = try await people.client(params.int("clientid")) else { throw WHMCSError("Client ID Not Found") }
            author = client.owner
            if params.int("contactid") != 0 {
                guard let contact = try await people.contact(params.int("contactid")), contact.customerID == client.owner.customerID else {
                    throw WHMCSError("Contact ID Not Found")
                }
                author = contact
            }
        }
        let adminName = params.text("adminusername") ?? ""
        let fromAdmin = !adminName.isEmpty
        let name = params.text("name") ?? ""
        let email = (params.text("email") ?? "").trimmingSpaces
        if author == nil && !fromAdmin {
            guard !name.isEmpty, !email.isEmpty else { throw WHMCSError("Name and email address are required if not a client") }
            guard MailAddress.isBareAddress(email) else { throw WHMCSError("Email Address Invalid") }
        }
        let message = params.text("message") ?? ""
        guard !message.trimmingSpaces.isEmpty else { throw WHMCSError("Message is required") }
        var status = mapping.directory.status(titled: fromAdmin ? "Answered" : "Customer-Reply")
        if fromAdmin, let requested = params.nonEmpty("status") {
            guard let found = mapping.directory.statuses.first(where: { $0.title.lowercased() == requested.lowercased() }) else {
                throw WHMCSError("Invalid Ticket Status")
            }
            status = found
        }
        let created = try context.created(future: "Reply creation date cannot be in the future")
        let department = try await department(of: ticketID)
        var attributes: [String: String?] = [:]
        if fromAdmin { attributes[Attribute.admin] = adminName }
        if author == nil && !fromAdmin {
            attributes[Attribute.name] = name
            attributes[Attribute.email] = email
        }
        let from: AddressDefault =
            fromAdmin ? .text(adminName) : author.map { .customerUser($0.login) } ?? .text("\"\(name)\" <\(email)>")
        var draft = ArticleDraft(
            subject: "", body: message, senderType: .name(fromAdmin ? "agent" : "customer"), channel: .name("Internal"),
            isVisibleForCustomer: true, contentType: "text/plain; charset=utf-8",
            attachments: WHMCSUploads.attachments(params, directory: mapping.directory),
            faceID: FaceIDAllocation(face: context.face, kind: Kind.reply),
            faceAttributes: attributes.isEmpty ? nil : FaceAttributes(face: context.face, values: attributes), fromDefault: from)
        draft.createdAt = created
        var update = TicketUpdateRequest(
            dynamicFields: WHMCSUploads.customFields(params.text("customfields"), department: department, directory: mapping.directory),
            articles: [draft])
        if let status, let state = mapping.state(ofStatus: status) { update.state = .id(state) }
        _ = try await services.tickets.update(ticketID: ticketID, update, by: context.principal)
        return WHMCSWire.success([])
    }

    func department(of ticketID: Int) async throws -> Int {
        let ticket = try await services.tickets.get(ticketID: ticketID, options: WHMCSContext.bare, by: context.principal).ticket
        return mapping.queueToDepartment[ticket.queueID] ?? 0
    }

    // MARK: AddTicketNote

    func addNote() async throws -> JSONValue {
        let ticketID: Int?
        if params.has("ticketnum") {
            ticketID = try await context.ticket(number: params.text("ticketnum") ?? "")
        } else {
            ticketID = try await context.ticket(id: params.int("ticketid"))
        }
        guard let ticketID else { throw WHMCSError("Ticket ID not found") }
        let message = params.text("message") ?? ""
        guard !message.trimmingSpaces.isEmpty else { throw WHMCSError("Message is required") }
        let created = try context.created(future: "Note creation date cannot be in the future")
        var draft = ArticleDraft(
            subject: "", body: message, senderType: .name("agent"), channel: .name("Internal"), isVisibleForCustomer: false,
            contentType: "text/plain; charset=utf-8",
            attachments: WHMCSUploads.attachments(params, directory: mapping.directory, checkTypes: false),
            faceID: FaceIDAllocation(face: context.face, kind: Kind.note),
            faceAttributes: FaceAttributes(face: context.face, values: [Attribute.admin: context.adminName]))
        draft.createdAt = created
        _ = try await services.tickets.update(ticketID: ticketID, TicketUpdateRequest(articles: [draft]), by: context.principal)
        return WHMCSWire.success([])
    }

    // MARK: UpdateTicket

    func updateTicket() async throws -> JSONValue {
        let requestedID = params.int("ticketid")
        guard let ticketID = try await context.ticket(id: requestedID),
            let details = try await context.details([ticketID]).first
        else { throw WHMCSError("Ticket ID Not Found") }
        var update = TicketUpdateRequest()
        var attributes: [String: String?] = [:]
        let name = params.text("name")
        let email = params.text("email")?.trimmingSpaces
        if params.has("userid") && params.int("userid") == 0 {
            guard !(name ?? "").isEmpty, !(email ?? "").isEmpty else {
                throw WHMCSError("Name and email address are required if not a client")
            }
        }
        if let email, !email.isEmpty {
            guard MailAddress.isBareAddress(email) else { throw WHMCSError("Email Address Invalid") }
        }
        if params.int("userid") != 0 {
            guard let client = try await context.people.client(params.int("userid")) else { throw WHMCSError("Client ID Not Found") }
            update.customerUser = client.owner.login
            update.customerID = client.owner.customerID
            attributes[Attribute.name] = .some(nil)
            attributes[Attribute.email] = .some(nil)
        } else if params.has("userid") || details.ticketAttributes[Attribute.email] != nil || email != nil {
            if let name, !name.isEmpty { attributes[Attribute.name] = name }
            if let email, !email.isEmpty {
                attributes[Attribute.email] = email
                update.customerUser = email
            }
        }
        var department = mapping.queueToDepartment[details.ticket.queueID] ?? 0
        if params.int("deptid") != 0 {
            guard let queue = mapping.departmentToQueue[params.int("deptid")] else { throw WHMCSError("Department ID Not Found") }
            update.queue = .id(queue)
            department = params.int("deptid")
        }
        if let priority = params.nonEmpty("priority") {
            guard let ref = mapping.priorityRef(priority) else {
                throw WHMCSError("Invalid Ticket Priority. Valid priorities are: Low,Medium,High")
            }
            update.priority = ref
        }
        _ = try context.created(future: "Ticket creation date cannot be in the future")
        if let status = params.nonEmpty("status") {
            guard let found = mapping.directory.status(titled: status), let state = mapping.state(ofStatus: found) else {
                let titles = mapping.directory.sortedStatuses.map(\.title).joined(separator: ",")
                throw WHMCSError("Invalid Ticket Status. Valid statuses are: \(titles)")
            }
            update.state = .id(state)
        }
        if params.int("flag") != 0 {
            guard let agent = try await services.directory.agents(ids: [params.int("flag")], by: context.principal).first,
                agent.validity == .valid
            else { throw WHMCSError("Invalid Admin ID for Flag") }
            update.owner = .id(agent.id)
            update.lock = .name("unlock")
        } else if params.truthy("removeFlag") {
            update.owner = .id(1)
            update.lock = .name("unlock")
        }
        if let subject = params.nonEmpty("subject") { update.title = subject }
        if let cc = params.text("cc") { attributes[Attribute.cc] = cc }
        if let message = params.nonEmpty("message"), let opening = details.articles.first {
            update.articleEdits = [ArticleEdit(articleID: opening.id, body: message)]
        }
        update.dynamicFields = WHMCSUploads.customFields(params.text("customfields"), department: department, directory: mapping.directory)
        if !attributes.isEmpty { update.faceAttributes = FaceAttributes(face: context.face, values: attributes) }
        _ = try await services.tickets.update(ticketID: ticketID, update, by: context.principal)
        return WHMCSWire.success([JSONMember(key: "ticketid", value: .number(String(requestedID)))])
    }

    // MARK: UpdateTicketReply

    func updateReply() async throws -> JSONValue {
        guard params.int("replyid") != 0 else { throw WHMCSError("Reply ID Required") }
        let message = params.text("message") ?? ""
        guard !message.trimmingSpaces.isEmpty else { throw WHMCSError("Message is Required") }
        _ = try context.created(future: "Reply creation date cannot be in the future")
        guard let (articleID, ticketID) = try await reply(params.int("replyid")) else { throw WHMCSError("Reply ID Not Found") }
        var update = TicketUpdateRequest()
        update.articleEdits = [ArticleEdit(articleID: articleID, body: message)]
        _ = try await services.tickets.update(ticketID: ticketID, update, by: context.principal)
        return WHMCSWire.success([JSONMember(key: "replyid", value: .number(String(params.int("replyid"))))])
    }

    /// A reply (a customer-visible article other than the opening message) and its ticket.
    func reply(_ id: Int, ticket: Int? = nil) async throws -> (article: Int, ticket: Int)? {
        guard let articleID = try await context.ids.core(Kind.reply, id),
            let ticketID = try await services.tickets.ticketID(ofArticle: articleID, by: context.principal),
            ticket == nil || ticket == ticketID, try await context.visible(ticketID) != nil,
            let details = try await context.details([ticketID]).first,
            let article = details.articles.first(where: { $0.id == articleID }),
            article.isVisibleForCustomer, details.articles.first?.id != articleID
        else { return nil }
        return (articleID, ticketID)
    }
}
