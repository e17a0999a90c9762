import DeskCore
import DeskFaceKit
import Foundation

/// Tickets, replies and notes in WHMCS's shapes (`Ticket::toArray`, GetTicket's `replies` and
/// `notes`). Row ids are strings as in WHMCS's documented examples; `attachments_removed` is a
/// boolean. The first article is the ticket's own message (reply id `"0"`); the other articles
/// visible to the customer are replies, the rest notes.
struct WHMCSTicketView: Sendable {
    let mapping: WHMCSMapping
    let ticketIDs: [Int: Int]
    let replyIDs: [Int: Int]
    let noteIDs: [Int: Int]
    let tids: [String: String]
    let people: WHMCSPeople.Lookup
    let agents: [Int: Agent]
    let customerSender: Int?

    /// Keys the face keeps on tickets and articles.
    enum Attribute {
        static let accessCode = "c"
        static let name = "name"
        static let email = "email"
        static let cc = "cc"
        static let admin = "admin"
        static let service = "service"
        static let rating = "rating"
    }

    func id(_ ticket: Ticket) -> Int { ticketIDs[ticket.id] ?? FaceNumericIDs.foreign + ticket.id }
    func tid(_ ticket: Ticket) -> String { tids[String(ticket.id)] ?? ticket.number }
    func replyID(_ article: Article) -> Int { replyIDs[article.id] ?? FaceNumericIDs.foreign + article.id }
    func noteID(_ article: Article) -> Int { noteIDs[article.id] ?? FaceNumericIDs.foreign + article.id }

    static func date(_ seconds: Int64) -> JSONValue { .string(WHMCSDates.format(seconds)) }
    static func text(_ value: Int) -> JSONValue { .string(String(value)) }

    // MARK: Requesters

    struct Requester {
        var userID: Int
        var contactID: Int
        var name: String
        var email: String
        var ownerName: String
        var requestorName: String
        var requestorEmail: String
        var type: String
    }

    func requester(_ details: TicketDetails) -> Requester {
        let ticket = details.ticket
        let attributes = details.ticketAttributes
        let clientID = people.clientID(ticket)
        let contactID = people.contactID(ticket)
        let user = people.user(ticket)
        let owner = people.owner(ofClient: clientID)
        let guestName = attributes[Attribute.name] ?? ""
        let guestEmail = attributes[Attribute.email] ?? ""
        let requestorName = user?.fullName ?? guestName
        let requestorEmail = user?.email ?? (guestEmail.isEmpty ? ticket.customerUserID ?? "" : guestEmail)
        var label = owner?.fullName ?? (guestName.isEmpty ? requestorName : guestName)
        if label.isEmpty { label = "Undefined" }
        let type: String
        if !(attributes[Attribute.admin] ?? "").isEmpty {
            type = "Operator"
        } else if clientID == 0 {
            type = "Guest"
        } else if contactID > 0 {
            type = "Sub-account"
        } else if owner?.login == user?.login {
            type = "Owner"
        } else {
            type = "Authorized User"
        }
        return Requester(
            userID: clientID, contactID: contactID, name: label, email: requestorEmail, ownerName: label, requestorName: requestorName,
            requestorEmail: requestorEmail, type: type)
    }

    // MARK: Tickets

    /// A GetTickets row (and the body of GetTicket).
    func ticket(_ details: TicketDetails) -> [JSONMember] {
        let ticket = details.ticket
        let attributes = details.ticketAttributes
        let who = requester(details)
        let first = details.articles.first
        let files = first.map { details.attachments[$0.id] ?? [] } ?? []
        let department = mapping.queueToDepartment[ticket.queueID] ?? 0
        let members: [(String, JSONValue)] = [
            ("id", Self.text(id(ticket))),
            ("ticketid", Self.text(id(ticket))),
            ("tid", .string(tid(ticket))),
            ("c", .string(attributes[Attribute.accessCode] ?? "")),
            ("deptid", Self.text(department)),
            ("deptname", .string(mapping.departmentName(department) ?? "Missing department")),
            ("userid", Self.text(who.userID)),
            ("contactid", Self.text(who.contactID)),
            ("name", .string(who.name)),
            ("owner_name", .string(who.ownerName)),
            ("email", .string(who.email)),
            ("requestor_name", .string(who.requestorName)),
            ("requestor_email", .string(who.requestorEmail)),
            ("requestor_type", .string(who.type)),
            ("cc", .string(attributes[Attribute.cc] ?? "")),
            ("date", Self.date(ticket.createdAt)),
            ("subject", .string(ticket.title)),
            ("status", .string(mapping.status(ofState: ticket.stateID).title)),
            ("priority", .string(mapping.priorityTitle(ticket.priorityID))),
            ("admin", .string(attributes[Attribute.admin] ?? "")),
            ("attachment", .string(Self.storedNames(files))),
            ("attachments", Self.attachmentList(files)),
            ("attachments_removed", .bool(false)),
            ("lastreply", Self.date(lastReply(details))),
            ("flag", Self.text(ticket.ownerID == 1 ? 0 : ticket.ownerID)),
            ("service", .string(attributes[Attribute.service] ?? "")),
        ]
        return members.map { JSONMember(key: $0.0, value: $0.1) }
    }

    /// The last message the customer can see (replies, not notes); the ticket's creation without one.
    func lastReply(_ details: TicketDetails) -> Int64 {
        details.articles.filter(\.isVisibleForCustomer).map(\.createdAt).max() ?? details.ticket.createdAt
    }

    /// `replies` (the opening message first) for GetTicket.
    func replies(_ details: TicketDetails, descending: Bool) -> JSONValue {
        let who = requester(details)
        var rows: [JSONValue] = []
        for (offset, article) in details.articles.enumerated() where offset == 0 || article.isVisibleForCustomer {
            rows.append(reply(article, details: details, requester: who, isOpening: offset == 0))
        }
        if descending { rows.reverse() }
        return .orderedObject([JSONMember(key: "reply", value: .array(rows))])
    }

    func reply(_ article: Article, details: TicketDetails, requester who: Requester, isOpening: Bool) -> JSONValue {
        let attributes = details.articleAttributes[article.id] ?? [:]
        let files = details.attachments[article.id] ?? []
        let admin = isOpening ? details.ticketAttributes[Attribute.admin] ?? "" : adminName(article, attributes: attributes)
        let fromAdmin = !admin.isEmpty
        let guestName = attributes[Attribute.name]
        let guestEmail = attributes[Attribute.email]
        var members: [(String, JSONValue)] = [
            ("replyid", .string(isOpening ? "0" : String(replyID(article)))),
            ("userid", Self.text(fromAdmin ? 0 : who.userID)),
            ("contactid", Self.text(fromAdmin ? 0 : who.contactID)),
            ("name", .string(fromAdmin ? admin : guestName ?? who.requestorName)),
            ("email", .string(fromAdmin ? "" : guestEmail ?? who.requestorEmail)),
            ("requestor_name", .string(fromAdmin ? admin : guestName ?? who.requestorName)),
            ("requestor_email", .string(fromAdmin ? "" : guestEmail ?? who.requestorEmail)),
            ("requestor_type", .string(fromAdmin ? "Operator" : who.type == "Operator" ? "Owner" : who.type)),
            ("date", Self.date(article.createdAt)),
            ("message", .string(Self.message(article))),
            ("attachment", .string(Self.storedNames(files))),
            ("attachments", Self.attachmentList(files)),
            ("attachments_removed", .bool(false)),
            ("admin", .string(admin)),
        ]
        if !isOpening { members.append(("rating", .number(attributes[Attribute.rating] ?? "0"))) }
        return .orderedObject(members.map { JSONMember(key: $0.0, value: $0.1) })
    }

    /// Who wrote an article as an admin: the name the API gave, else the agent of an agent article.
    func adminName(_ article: Article, attributes: [String: String]) -> String {
        if let admin = attributes[Attribute.admin] { return admin }
        guard article.senderTypeID != customerSender, attributes[Attribute.email] == nil else { return "" }
        return agents[article.createdBy]?.fullName ?? ""
    }

    /// Internal articles after the opening message, for GetTicket.
    func notes(_ details: TicketDetails, descending: Bool) -> [JSONValue] {
        var rows = details.articles.dropFirst().filter { !$0.isVisibleForCustomer }.map { article -> JSONValue in
            let files = details.attachments[article.id] ?? []
            let attributes = details.articleAttributes[article.id] ?? [:]
            return .ordered([
                "noteid": Self.text(noteID(article)),
                "date": Self.date(article.createdAt),
                "message": .string(Self.message(article)),
                "attachment": .string(Self.storedNames(files)),
                "attachments": Self.attachmentList(files),
                "attachments_removed": .bool(false),
                "admin": .string(attributes[Attribute.admin] ?? agents[article.createdBy]?.fullName ?? ""),
            ])
        }
        if descending { rows.reverse() }
        return rows
    }

    /// GetTicketNotes' rows (the stored note rows).
    func noteRows(_ details: TicketDetails) -> [JSONValue] {
        details.articles.dropFirst().filter { !$0.isVisibleForCustomer }.map { article -> JSONValue in
            let attributes = details.articleAttributes[article.id] ?? [:]
            return .ordered([
                "id": Self.text(noteID(article)),
                "admin": .string(attributes[Attribute.admin] ?? agents[article.createdBy]?.fullName ?? ""),
                "date": Self.date(article.createdAt),
                "message": .string(Self.message(article)),
                "attachment": .string(Self.storedNames(details.attachments[article.id] ?? [])),
                "attachments_removed": .bool(false),
            ])
        }
    }

    // MARK: Messages and attachments

    /// The article's text; HTML articles (from mail or other faces) without their tags.
    static func message(_ article: Article) -> String {
        article.mimeType.lowercased() == "text/html" ? stripTags(article.body) : article.body
    }

    static func stripTags(_ html: String) -> String {
        var out = ""
        var inTag = false
        for character in html {
            if character == "<" {
                inTag = true
            } else if character == ">" && inTag {
                inTag = false
            } else if !inTag {
                out.append(character)
            }
        }
        return HTMLEntities.decode(out)
    }

    /// The name WHMCS stores a file under: six digits, `_`, the file's name. The digits are
    /// derived from the attachment's id, so they stay the same on every read.
    static func storedName(_ file: Attachment) -> String {
        String(format: "%06d", (file.id &* 7_919 &+ 104_729) % 1_000_000) + "_" + file.filename
    }

    static func storedNames(_ files: [Attachment]) -> String {
        files.map(storedName).joined(separator: "|")
    }

    static func attachmentList(_ files: [Attachment]) -> JSONValue {
        .array(files.enumerated().map { .ordered(["filename": .string($0.element.filename), "index": .number(String($0.offset))]) })
    }
}
