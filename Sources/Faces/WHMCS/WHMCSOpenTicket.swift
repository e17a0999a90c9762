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
        let people = context.people
        var client: WHMCSPeople.Client?
        if params.int("clientid") != 0 || params.nonEmpty("clientid") != nil {
            client = try await people.client(params.int("clientid"))
            guard client != nil else { throw WHMCSError("Client ID Not Found") }
        }
        var requester = client?.owner
        if let client, params.int("userid") != 0 {
            guard let user = try await people.contact(params.int("userid")), user.customerID == client.owner.customerID else {
                throw WHMCSError("The system cannot find the provided user ID.")
            }
            requester = user
        } else if let client, params.int("contactid") != 0 {
            guard let contact = try await people.contact(params.int("contactid")), contact.customerID == client.owner.customerID else {
                throw WHMCSError("Contact ID Not Found")
            }
            requester = contact
        }
        let name = params.text("name") ?? ""
        let email = (params.text("email") ?? "").trimmingSpaces
        if client == nil {
            guard !name.isEmpty, !email.isEmpty else { throw WHMCSError("Name and email address are required if not a client") }
            guard MailAddress.isBareAddress(email) else { throw WHMCSError("Email Address Invalid") }
        }
        let department = params.int("deptid")
        guard let queue = context.mapping.departmentToQueue[department] else { throw WHMCSError("Department ID not found") }
        let subject = params.text("subject") ?? ""
        guard !subject.trimmingSpaces.isEmpty else { throw WHMCSError("Subject is required") }
        let message = params.text("message") ?? ""
        guard !message.trimmingSpaces.isEmpty else { throw WHMCSError("Message is required") }
        let created = try context.created(future: "Ticket creation date cannot be in the future")
        let directory = context.mapping.directory
        guard let open = directory.status(titled: "Open") ?? directory.sortedStatuses.first,
            let state = context.mapping.state(ofStatus: open)
        else { throw WHMCSError("Ticket status Open has no SwiftDesk state") }

        var attributes: [String: String?] = [Attribute.accessCode: WHMCSTicketMask.accessCode()]
        let asAdmin = params.truthy("admin")
        if asAdmin { attributes[Attribute.admin] = context.adminName }
        if client == nil {
            attributes[Attribute.name] = name
            attributes[Attribute.email] = email
        }
        if params.int("serviceid") != 0 || params.nonEmpty("serviceid")?.first.map({ "SD".contains($0) }) == true {
            let service = params.text("serviceid") ?? ""
            attributes[Attribute.service] = service.first.map { "SD".contains($0) } == true ? service : "S\(params.int("serviceid"))"
        } else if params.int("domainid") != 0 {
            attributes[Attribute.service] = "D\(params.int("domainid"))"
        }
        let priority = context.mapping.priorityRef(params.text("priority") ?? "") ?? context.mapping.priorityRef("Low")
        var request = TicketCreateRequest(
            title: subject, queue: .id(queue), state: .id(state), priority: priority, lock: .name("unlock"), owner: .id(1),
            articles: [
                ArticleDraft(
                    subject: subject, body: message, senderType: .name(asAdmin ? "agent" : "customer"), channel: .name("Internal"),
                    isVisibleForCustomer: true, contentType: "text/plain; charset=utf-8",
                    attachments: WHMCSUploads.attachments(params, directory: directory),
                    fromDefault: requester.map { .customerUser($0.login) } ?? .text("\"\(name)\" <\(email)>"))
            ],
            dynamicFields: WHMCSUploads.customFields(params.text("customfields"), department: department, directory: directory))
        if let requester {
            request.customerUser = requester.login
            request.customerID = requester.customerID
        } else {
            let parts = name.trimmingSpaces.split(separator: " ", maxSplits: 1).map(String.init)
            request.registration = CustomerRegistration(
                email: email, firstName: parts.first ?? "", lastName: parts.count > 1 ? parts[1] : "")
        }
        request.createdAt = created
        let now = created ?? context.services.tickets.clock.now()
        request.faceID = FaceIDAllocation(face: context.face, kind: WHMCSMapping.Kind.ticket)
        request.faceKeys = [
            FaceKeyChoice(
                face: context.face, kind: WHMCSMapping.Kind.tid, candidates: WHMCSTicketMask.candidates(mask: directory.ticketMask, at: now)
            )
        ]
        request.faceAttributes = FaceAttributes(face: context.face, values: attributes)
        let result = try await context.services.tickets.create(request, by: context.principal)
        let id =
            result.faceIDs.first { $0.kind == WHMCSMapping.Kind.ticket }.flatMap { Int($0.externalID) } ?? FaceNumericIDs.foreign
            + result.ticketID
        let tid = result.faceIDs.first { $0.kind == WHMCSMapping.Kind.tid }?.externalID ?? result.ticketNumber
        return WHMCSWire.success([
            JSONMember(key: "id", value: .number(String(id))), JSONMember(key: "tid", value: .string(tid)),
            JSONMember(key: "c", value: .string(attributes[Attribute.accessCode].flatMap { $0 } ?? "")),
        ])
    }
}
