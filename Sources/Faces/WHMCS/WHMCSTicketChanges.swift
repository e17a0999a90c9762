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

    /// A reply as an admin (`adminusername`: status Answered unless `status` names another), or as
    /// a client, contact or guest (status Customer-Reply).
    func addReply() async throws -> JSONValue {
        guard let ticketID = try await context.ticket(id: params.int("ticketid")) else { throw WHMCSError("Ticket ID Not Found") }
        let adminName = params.text("adminusername") ?? ""
        let fromAdmin = !adminName.isEmpty
        let requesting = try await context.people.requesting(params, withUserID: false, guestNeeded: !fromAdmin)
        var message = params.text("message") ?? ""
        // PHP's `empty($message)`: empty and "0" are missing; white space is a message.
        guard !message.isEmpty, message != "0" else { throw WHMCSError("Message is required") }
        message = WHMCSEmoji.cut(message)
        var status = mapping.directory.status(titled: fromAdmin ? "Answered" : "Customer-Reply")
        if let requested = params.nonEmpty("status") {
            guard let found = mapping.directory.statuses.first(where: { $0.title.lowercased() == requested.lowercased() }) else {
                throw WHMCSError("Invalid Ticket Status")
            }
            if fromAdmin { status = found }
        }
        let created = try context.created(future: "Reply creation date cannot be in the future")
        var attributes: [String: String?] = [:]
        let from: AddressDefault
        if fromAdmin {
            attributes[Attribute.admin] = adminName
            // WHMCS keeps the `clientid` (and `contactid`) given with an admin's reply in its row.
            if case .client(let client, _, let contactID)? = requesting {
                attributes[Attribute.userID] = String(client.id)
                attributes[Attribute.contactID] = String(contactID)
            }
            from = .text(adminName)
            if message.contains("["), let details = try await context.details([ticketID]).first {
                let person = try await context.view([details]).placeholderPerson(details)
                message = WHMCSOpenTicket.placeholders(
                    message, name: person.first + " " + person.last, first: person.first, email: person.email)
            }
        } else {
            attributes = requesting?.replyAttributes ?? [:]
            switch requesting {
            case .client(_, let user, _)?: from = .customerUser(user.login)
            case .guest(let name, let email)?: from = .text(MailAddress.mailbox(name: name, address: email))
            case nil: from = .standard
            }
        }
        var draft = ArticleDraft(
            subject: "", body: message, senderType: .name(fromAdmin ? "agent" : "customer"), channel: .name("Internal"),
            isVisibleForCustomer: true, contentType: "text/plain; charset=utf-8",
            attachments: WHMCSUploads.attachments(params, directory: mapping.directory),
            faceID: FaceIDAllocation(face: context.face, kind: Kind.reply),
            faceAttributes: attributes.isEmpty ? nil : FaceAttributes(face: context.face, values: attributes), fromDefault: from)
        // WHMCS mails an admin's reply to the client unless `noemail` is PHP-true (`"false"` is).
        if fromAdmin && !params.truthy("noemail") {
            draft.sending = .whenAddressed
            draft.toDefault = .ticketCustomer
        }
        // One instant for the reply and `lastreply`, so they show the same second.
        let now = services.tickets.clock.now()
        let written = min(created ?? now, now)
        draft.createdAt = written
        var update = TicketUpdateRequest(
            dynamicFields: WHMCSCustomFields.inputs(params.text("customfields"), directory: mapping.directory), articles: [draft])
        if let status, let state = mapping.state(ofStatus: status) { update.state = .id(state) }
        update.faceAttributes = FaceAttributes(face: context.face, values: [Attribute.lastReply: String(written)])
        _ = try await services.tickets.update(ticketID: ticketID, update, by: context.principal)
        return WHMCSWire.success([])
    }

    // MARK: AddTicketNote

    func addNote() async throws -> JSONValue {
        let ticketID: Int?
        if let number = params.nonEmpty("ticketnum") {
            ticketID = try await context.ticket(number: number)
        } else {
            ticketID = try await context.ticket(id: params.int("ticketid"))
        }
        guard let ticketID else { throw WHMCSError("Ticket ID not found") }
        let given = params.text("message") ?? ""
        guard !given.isEmpty, given != "0" else { throw WHMCSError("Message is required") }
        let message = WHMCSEmoji.cut(given)
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
        guard let ticketID = try await context.ticket(id: requestedID), let details = try await context.details([ticketID]).first else {
            throw WHMCSError("Ticket ID Not Found")
        }
        let view = try await context.view([details])
        let currentClient = view.requester(details).userID
        var update = TicketUpdateRequest()
        var attributes: [String: String?] = [:]
        // Each field counts as PHP tests it (`$x && …`): empty and "0" are not given.
        let name = params.truthyText("name")
        let email = params.truthyText("email")?.trimmingSpaces
        let newClient = params.has("userid") ? params.int("userid") : currentClient
        if newClient <= 0 && newClient != currentClient {
            // Leaving the client: the ticket becomes a guest's.
            guard name != nil, let email else { throw WHMCSError("Name and email address are required if not a client") }
            guard PHPEmailFilter.isValid(email), MailAddress.isBareAddress(email) else { throw WHMCSError("Email Address Invalid") }
        }
        if newClient > 0 && newClient != currentClient {
            guard let client = try await context.people.client(newClient) else { throw WHMCSError("Client ID Not Found") }
            update.customerUser = client.owner.login
            update.customerID = client.owner.customerID
            attributes[Attribute.name] = .some(nil)
            attributes[Attribute.email] = .some(nil)
        } else if newClient <= 0 {
            // A guest's name and address are the ticket's own; its customer follows the address.
            if let name { attributes[Attribute.name] = name }
            if let email {
                attributes[Attribute.email] = email
                update.customerUser = email
                update.customerID = WHMCSPeople.guestCustomerID(email)
            }
        }
        if params.int("deptid") != 0 {
            guard let queue = mapping.departmentToQueue[params.int("deptid")] else { throw WHMCSError("Department ID Not Found") }
            update.queue = .id(queue)
        }
        if let priority = params.truthyText("priority") {
            guard let ref = mapping.priorityRef(priority) else {
                throw WHMCSError("Invalid Ticket Priority. Valid priorities are: Low,Medium,High")
            }
            update.priority = ref
        }
        _ = try context.created(future: "Ticket creation date cannot be in the future")
        if let status = params.truthyText("status") {
            guard let found = mapping.directory.status(titled: status), let state = mapping.state(ofStatus: found) else {
                let titles = mapping.directory.sortedStatuses.map(\.title).joined(separator: ",")
                throw WHMCSError("Invalid Ticket Status. Valid statuses are: \(titles)")
            }
            update.state = .id(state)
        }
        if params.int("flag") != 0 {
            let agent = params.int("flag")
            guard agent > 0 else { throw WHMCSError("Invalid Admin ID for Flag") }
            update.owner = .id(agent)
            update.lock = .name("unlock")
        } else if params.truthy("removeFlag") {
            update.owner = .id(WHMCSFlag.unflaggedOwner)
            update.lock = .name("unlock")
        }
        // `Tickets::setSubject` trims the subject and ignores one that is left empty.
        if let subject = params.truthyText("subject")?.trimmingSpaces, !subject.isEmpty { update.title = subject }
        if let cc = params.truthyText("cc") { attributes[Attribute.cc] = cc }
        if let message = params.truthyText("message"), let opening = view.opening(details) {
            update.articleEdits = [ArticleEdit(articleID: opening.id, body: message)]
        }
        update.dynamicFields = WHMCSCustomFields.inputs(params.text("customfields"), directory: mapping.directory)
        if !attributes.isEmpty { update.faceAttributes = FaceAttributes(face: context.face, values: attributes) }
        do {
            _ = try await services.tickets.update(ticketID: ticketID, update, by: context.principal)
        } catch DeskError.invalid(.owner, _) {
            throw WHMCSError("Invalid Admin ID for Flag")
        }
        return WHMCSWire.success([JSONMember(key: "ticketid", value: .number(String(requestedID)))])
    }

    // MARK: UpdateTicketReply

    func updateReply() async throws -> JSONValue {
        guard params.int("replyid") != 0 else { throw WHMCSError("Reply ID Required") }
        let message = params.text("message") ?? ""
        guard !message.isEmpty, message != "0" else { throw WHMCSError("Message is Required") }
        _ = try context.created(future: "Reply creation date cannot be in the future")
        guard let (articleID, ticketID) = try await reply(params.int("replyid")) else { throw WHMCSError("Reply ID Not Found") }
        var update = TicketUpdateRequest()
        update.articleEdits = [ArticleEdit(articleID: articleID, body: message)]
        _ = try await services.tickets.update(ticketID: ticketID, update, by: context.principal)
        return WHMCSWire.success([JSONMember(key: "replyid", value: .number(String(params.int("replyid"))))])
    }

    /// A reply (a customer-visible article other than the opening message) and its ticket.
    func reply(_ id: Int, ticket: Int? = nil) async throws -> (article: Int, ticket: Int)? {
        try await context.article(Kind.reply, id, role: .reply, ticket: ticket)
    }
}
