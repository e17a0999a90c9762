import DeskCore
import DeskFaceKit
import Foundation

/// `OpenTicket`: a new ticket in a department, for a client (or one of its contacts) or for a
/// guest named by `name` and `email`. Checks run in WHMCS's order; the first failure answers.
struct WHMCSOpenTicket {
    let context: WHMCSContext

    var params: WHMCSParameters { context.params }
    typealias Attribute = WHMCSTicketView.Attribute

    func run() async throws -> JSONValue {
        guard let requesting = try await context.people.requesting(params, withUserID: true, guestNeeded: true) else {
            throw WHMCSError("Name and email address are required if not a client")
        }
        let department = params.int("deptid")
        guard let queue = context.mapping.departmentToQueue[department] else { throw WHMCSError("Department ID not found") }
        // PHP's `!$subject`: empty and "0" are missing; white space is a subject.
        let givenSubject = params.text("subject") ?? ""
        guard !givenSubject.isEmpty, givenSubject != "0" else { throw WHMCSError("Subject is required") }
        var message = params.text("message") ?? ""
        guard !message.isEmpty, message != "0" else { throw WHMCSError("Message is required") }
        let subject = WHMCSEmoji.cut(givenSubject)
        message = WHMCSEmoji.cut(message)
        let created = try context.created(future: "Ticket creation date cannot be in the future")
        let directory = context.mapping.directory
        guard let open = directory.status(titled: "Open") ?? directory.sortedStatuses.first,
            let state = context.mapping.state(ofStatus: open)
        else { throw WHMCSError("Ticket status Open has no SwiftDesk state") }

        let now = context.services.tickets.clock.now()
        // One instant for the ticket, its message and `lastreply`, so they show the same second.
        let written = min(created ?? now, now)
        var attributes: [String: String?] = [
            Attribute.accessCode: WHMCSTicketMask.accessCode(), Attribute.lastReply: String(written),
        ]
        let asAdmin = params.truthy("admin")
        if asAdmin { attributes[Attribute.admin] = context.adminName }
        if let service = service() { attributes[Attribute.service] = service }
        let priority = context.mapping.priorityRef(params.text("priority") ?? "") ?? context.mapping.priorityRef("Low")
        var article = ArticleDraft(
            subject: subject, body: message, senderType: .name(asAdmin ? "agent" : "customer"), channel: .name("Internal"),
            isVisibleForCustomer: true, contentType: "text/plain; charset=utf-8",
            attachments: WHMCSUploads.attachments(params, directory: directory))
        var request = TicketCreateRequest(
            title: subject, queue: .id(queue), state: .id(state), priority: priority, lock: .name("unlock"),
            owner: .id(WHMCSFlag.unflaggedOwner), articles: [],
            dynamicFields: WHMCSCustomFields.inputs(params.text("customfields"), directory: directory))
        // The (undocumented) `cc` parameter, trimmed, then the contact's address; WHMCS keeps the
        // distinct entries that `filter_var(…, FILTER_VALIDATE_EMAIL)` accepts, each as written.
        var carbonCopies = [(params.text("cc") ?? "").trimmingSpaces].filter { !$0.isEmpty }
        switch requesting {
        case .client(let client, let user, let contactID):
            request.customerUser = user.login
            request.customerID = user.customerID
            article.fromDefault = .customerUser(user.login)
            // `openNewTicket` copies the `contactid` contact's address to the ticket's cc, and fills
            // an admin's placeholders from that contact, else from the client.
            let isContact = contactID > 0 && contactID == params.int("contactid")
            if isContact, !user.email.isEmpty { carbonCopies.append(user.email) }
            let person = isContact ? user : client.owner
            if asAdmin {
                message = Self.placeholders(
                    message, name: person.firstName + " " + person.lastName, first: person.firstName, email: person.email)
            }
        case .guest(let name, let email):
            if asAdmin {
                let first = name.split(separator: " ", omittingEmptySubsequences: false).first.map(String.init) ?? ""
                message = Self.placeholders(message, name: name, first: first, email: email)
            }
            // WHMCS keeps a guest's name and address with the ticket; SwiftDesk also registers
            // the address as a customer user, as the other faces do.
            attributes[Attribute.name] = name
            attributes[Attribute.email] = email
            let parts = name.trimmingSpaces.split(separator: " ", maxSplits: 1).map(String.init)
            request.registration = CustomerRegistration(
                email: email, firstName: parts.first ?? "", lastName: parts.count > 1 ? parts[1] : "")
            // The client's GetTickets does not list a guest's ticket.
            request.customerID = WHMCSPeople.guestCustomerID(email)
            article.fromDefault = .text(MailAddress.mailbox(name: name, address: email))
        }
        var keptCopies: [String] = []
        for entry in carbonCopies.joined(separator: ",").split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        where !keptCopies.contains(entry) && entry == entry.trimmingSpaces && PHPEmailFilter.isValid(entry)
            && MailAddress.isBareAddress(entry)
        {
            keptCopies.append(entry)
        }
        if !keptCopies.isEmpty { attributes[Attribute.cc] = keptCopies.joined(separator: ",") }
        article.body = message
        // WHMCS mails the client a ticket an admin opened ("Support Ticket Opened by Admin") unless `noemail`.
        if asAdmin && !params.flag("noemail") {
            article.sending = .whenAddressed
            article.toDefault = .ticketCustomer
        }
        request.articles = [article]
        request.createdAt = written
        request.faceID = FaceIDAllocation(face: context.face, kind: WHMCSMapping.Kind.ticket)
        // The mask's date is today's, as WHMCS fills it in when it numbers the ticket.
        let candidates = WHMCSTicketMask.candidates(mask: directory.ticketMask, at: now)
        request.faceKeys = [FaceKeyChoice(face: context.face, kind: WHMCSMapping.Kind.tid, candidates: candidates)]
        request.faceAttributes = FaceAttributes(face: context.face, values: attributes)
        let result = try await context.services.tickets.create(request, by: context.principal)
        let id =
            result.faceIDs.first { $0.kind == WHMCSMapping.Kind.ticket }.flatMap { Int($0.externalID) }
            ?? FaceNumericIDs.foreign + result.ticketID
        let tid = result.faceIDs.first { $0.kind == WHMCSMapping.Kind.tid }?.externalID ?? result.ticketNumber
        return WHMCSWire.success([
            JSONMember(key: "id", value: .number(String(id))), JSONMember(key: "tid", value: .string(tid)),
            JSONMember(key: "c", value: .string(attributes[Attribute.accessCode].flatMap { $0 } ?? "")),
        ])
    }

    /// `openNewTicket` fills in `[NAME]`, `[FIRSTNAME]` and `[EMAIL]` of a message an admin
    /// opens a ticket with: the contact's (or client's) name and address, or the guest's.
    static func placeholders(_ message: String, name: String, first: String, email: String) -> String {
        message.replacingOccurrences(of: "[NAME]", with: name).replacingOccurrences(of: "[FIRSTNAME]", with: first)
            .replacingOccurrences(of: "[EMAIL]", with: email)
    }

    /// `S<id>` for a service, `D<id>` for a domain (the domain wins, as in WHMCS); `serviceid`
    /// may carry its letter already.
    func service() -> String? {
        if params.int("domainid") > 0 { return "D\(params.int("domainid"))" }
        let raw = params.text("serviceid") ?? ""
        if let letter = raw.first, letter == "S" || letter == "D" {
            let id = WHMCSParameters.phpInt(String(raw.dropFirst()))
            return id > 0 ? "\(letter)\(id)" : nil
        }
        return params.int("serviceid") > 0 ? "S\(params.int("serviceid"))" : nil
    }
}
