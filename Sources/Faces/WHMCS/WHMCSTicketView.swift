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
        /// On a reply: the client and contact it was written as.
        static let userID = "userid"
        static let contactID = "contactid"
        /// On a ticket that took merges: the article that is its own message.
        static let opening = "opening"
        /// When the last reply was written (Unix seconds), as the API and imports set it.
        static let lastReply = "lastreply"
    }

    func id(_ ticket: Ticket) -> Int { ticketIDs[ticket.id] ?? FaceNumericIDs.foreign + ticket.id }
    func tid(_ ticket: Ticket) -> String { tids[String(ticket.id)] ?? ticket.number }
    func replyID(_ article: Article) -> Int { replyIDs[article.id] ?? FaceNumericIDs.foreign + article.id }
    /// Whether the article has a WHMCS reply id of its own (other faces' replies show 10⁹ + id).
    func hasReplyID(_ article: Article) -> Bool { replyID(article) < FaceNumericIDs.foreign }
    func noteID(_ article: Article) -> Int { noteIDs[article.id] ?? FaceNumericIDs.foreign + article.id }

    static func date(_ seconds: Int64) -> JSONValue { .string(WHMCSDates.format(seconds)) }
    static func text(_ value: Int) -> JSONValue { .string(String(value)) }

    // MARK: Articles

    /// What an article is to WHMCS: the ticket's own message, a reply (visible to the customer)
    /// or a note.
    enum Role {
        case opening, reply, note
    }

    /// The ticket's own message: the first article, unless a merge named another
    /// (`Attribute.opening`, since the merged tickets' older articles come first).
    func opening(_ details: TicketDetails) -> Article? { Self.opening(details) }

    static func opening(_ details: TicketDetails) -> Article? {
        if let id = details.ticketAttributes[Attribute.opening].flatMap({ Int($0) }),
            let article = details.articles.first(where: { $0.id == id })
        {
            return article
        }
        return details.articles.first
    }

    func role(_ article: Article, in details: TicketDetails) -> Role { Self.role(article, in: details) }

    static func role(_ article: Article, in details: TicketDetails) -> Role {
        if article.id == opening(details)?.id { return .opening }
        return article.isVisibleForCustomer ? .reply : .note
    }

    func articles(_ role: Role, in details: TicketDetails) -> [Article] {
        details.articles.filter { self.role($0, in: details) == role }
    }

    // MARK: Requesters

    /// Who a ticket or reply is from, in WHMCS's fields.
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

    /// The admin who opened the ticket, as its `admin` column reads: a merged ticket's was cleared
    /// by the merge (`mergeOtherTicketsInToThis`), as were its guest address and flag.
    func openingAdmin(_ details: TicketDetails) -> String {
        mapping.isMerged(details.ticket) ? "" : details.ticketAttributes[Attribute.admin] ?? ""
    }

    /// The ticket's own `email` column: a guest's address, cleared by a merge.
    func storedEmail(_ details: TicketDetails) -> String {
        mapping.isMerged(details.ticket) ? "" : details.ticketAttributes[Attribute.email] ?? ""
    }

    /// WHMCS's precedence: an admin opener, then a guest (name and address kept with the ticket,
    /// or a customer who is no client), then the client's owner, contact or other user.
    func requester(_ details: TicketDetails) -> Requester {
        let ticket = details.ticket
        let attributes = details.ticketAttributes
        let user = people.user(ticket)
        let guestEmail = attributes[Attribute.email] ?? ""
        let clientID = guestEmail.isEmpty ? people.clientID(ticket) : 0
        let contactID = clientID == 0 ? 0 : people.contactID(ticket)
        let owner = people.owner(ofClient: clientID)
        var who: Requester
        if clientID == 0 {
            let name = attributes[Attribute.name] ?? user?.fullName ?? ""
            let email = guestEmail.isEmpty ? user?.email ?? ticket.customerUserID ?? "" : guestEmail
            who = Requester(
                userID: 0, contactID: 0, name: name, email: email, ownerName: name, requestorName: name, requestorEmail: email,
                type: "Guest")
        } else {
            let label = owner?.fullName ?? user?.fullName ?? ""
            let type = contactID > 0 ? "Sub-account" : owner?.login == user?.login ? "Owner" : "Authorized User"
            who = Requester(
                userID: clientID, contactID: contactID, name: label, email: user?.email ?? "", ownerName: label,
                requestorName: user?.fullName ?? label, requestorEmail: user?.email ?? "", type: type)
        }
        if who.name.isEmpty { (who.name, who.ownerName) = ("Undefined", "Undefined") }
        if clientID == 0 && mapping.isMerged(ticket) { (who.email, who.requestorEmail) = ("", "") }
        let admin = openingAdmin(details)
        if !admin.isEmpty { (who.requestorName, who.requestorEmail, who.email, who.type) = (admin, "", "", "Operator") }
        return who
    }

    /// Whom an admin reply's `[NAME]`, `[FIRSTNAME]` and `[EMAIL]` name (`AddReply`): for a guest
    /// the first word of the ticket's name (no last name), for a ticket an admin opened its
    /// client's owner (else its guest), for a sub-account the contact, otherwise the requesting
    /// user.
    func placeholderPerson(_ details: TicketDetails) -> (first: String, last: String, email: String) {
        let ticket = details.ticket
        let attributes = details.ticketAttributes
        let user = people.user(ticket)
        let guestEmail = attributes[Attribute.email] ?? ""
        let clientID = guestEmail.isEmpty ? people.clientID(ticket) : 0
        func guest() -> (first: String, last: String, email: String) {
            let name = attributes[Attribute.name] ?? user?.fullName ?? ""
            let first = name.split(separator: " ", omittingEmptySubsequences: false).first.map(String.init) ?? ""
            return (first, "", guestEmail.isEmpty ? user?.email ?? ticket.customerUserID ?? "" : guestEmail)
        }
        func person(_ user: CustomerUser?) -> (first: String, last: String, email: String) {
            (user?.firstName ?? "", user?.lastName ?? "", user?.email ?? "")
        }
        if !openingAdmin(details).isEmpty {
            return clientID > 0 ? person(people.owner(ofClient: clientID)) : guest()
        }
        return clientID == 0 ? guest() : person(user)
    }

    /// The author of a reply: an admin (by the name the API gave, or the agent of an agent
    /// article), the client, contact or guest the reply was written as, else the ticket's
    /// requester.
    func author(_ article: Article, details: TicketDetails) -> Requester {
        let attributes = details.articleAttributes[article.id] ?? [:]
        // The reply's own `userid` and `contactid` (an admin's reply keeps the `clientid` given).
        let storedUserID = attributes[Attribute.userID].flatMap { Int($0) }
        let storedContactID = attributes[Attribute.contactID].flatMap { Int($0) } ?? 0
        let admin = adminName(article, attributes: attributes)
        if !admin.isEmpty {
            return Requester(
                userID: storedUserID ?? 0, contactID: storedContactID, name: admin, email: "", ownerName: admin,
                requestorName: admin, requestorEmail: "", type: "Operator")
        }
        var who = requester(details)
        if who.type == "Operator" {
            who.type = who.userID == 0 ? "Guest" : who.contactID > 0 ? "Sub-account" : "Owner"
            who.requestorName = who.name
            who.email = people.user(details.ticket)?.email ?? who.email
            who.requestorEmail = who.email
        }
        if let userID = storedUserID {
            let name = attributes[Attribute.name] ?? who.name
            let email = attributes[Attribute.email] ?? who.email
            let type = userID == 0 ? "Guest" : storedContactID > 0 ? "Sub-account" : "Owner"
            who = Requester(
                userID: userID, contactID: storedContactID, name: name, email: email, ownerName: name, requestorName: name,
                requestorEmail: email, type: type)
        }
        return who
    }

    // MARK: Tickets

    /// A GetTickets row (and the body of GetTicket).
    func ticket(_ details: TicketDetails) -> [JSONMember] {
        let ticket = details.ticket
        let attributes = details.ticketAttributes
        let who = requester(details)
        let files = opening(details).map { details.attachments[$0.id] ?? [] } ?? []
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
            ("admin", .string(openingAdmin(details))),
            ("attachment", .string(Self.storedNames(files))),
            ("attachments", Self.attachmentList(files)),
            ("attachments_removed", .bool(false)),
            ("lastreply", Self.date(lastReply(details))),
            ("flag", Self.text(mapping.isMerged(ticket) ? 0 : WHMCSFlag.adminID(ownerID: ticket.ownerID))),
            ("service", .string(attributes[Attribute.service] ?? "")),
        ]
        return members.map { JSONMember(key: $0.0, value: $0.1) }
    }

    /// When the ticket was last replied to: as this face recorded it (a reply with `created` sets
    /// it to that date, even an earlier one), or later when another face answered since; without
    /// a record, the newest message the customer can see.
    func lastReply(_ details: TicketDetails) -> Int64 {
        let visible = details.articles.filter { role($0, in: details) != .note }
        guard let recorded = details.ticketAttributes[Attribute.lastReply].flatMap({ Int64($0) }) else {
            return visible.map(\.createdAt).max() ?? details.ticket.createdAt
        }
        // Replies of other faces have no WHMCS reply id of their own (they show 10⁹ + their id).
        let otherFaces = visible.filter { role($0, in: details) == .reply && !hasReplyID($0) }.map(\.createdAt)
        return max(recorded, otherFaces.max() ?? recorded)
    }

    /// `replies` (the opening message first) for GetTicket.
    func replies(_ details: TicketDetails, descending: Bool) -> JSONValue {
        var rows: [JSONValue] = []
        if let opening = opening(details) {
            rows.append(openingRow(opening, details: details))
        } else {
            // A ticket merged into another keeps reply "0", its message gone with the merge.
            rows.append(
                row(
                    nil, id: "0", who: requester(details), admin: openingAdmin(details), rating: nil,
                    details: details))
        }
        rows += repliesInIDOrder(details).map { replyRow($0, details: details) }
        if descending { rows.reverse() }
        return .orderedObject([JSONMember(key: "reply", value: .array(rows))])
    }

    /// Replies as WHMCS lists them, by reply id: a merged ticket's message, numbered at the
    /// merge, comes after the replies written before it. Replies of other faces (no WHMCS id)
    /// keep their places in the order they were written.
    func repliesInIDOrder(_ details: TicketDetails) -> [Article] {
        var replies = articles(.reply, in: details)
        let numbered = replies.indices.filter { hasReplyID(replies[$0]) }
        let sorted = numbered.map { replies[$0] }.sorted { replyID($0) < replyID($1) }
        for (slot, article) in zip(numbered, sorted) { replies[slot] = article }
        return replies
    }

    /// The opening message as GetTicket's first reply: the ticket's own requester fields.
    func openingRow(_ article: Article, details: TicketDetails) -> JSONValue {
        let who = requester(details)
        return row(article, id: "0", who: who, admin: openingAdmin(details), rating: nil, details: details)
    }

    func replyRow(_ article: Article, details: TicketDetails) -> JSONValue {
        let attributes = details.articleAttributes[article.id] ?? [:]
        let who = author(article, details: details)
        let rating = attributes[Attribute.rating].flatMap { Int($0) } ?? 0
        return row(
            article, id: String(replyID(article)), who: who, admin: adminName(article, attributes: attributes), rating: rating,
            details: details)
    }

    func row(_ article: Article?, id: String, who: Requester, admin: String, rating: Int?, details: TicketDetails) -> JSONValue {
        let files = article.map { details.attachments[$0.id] ?? [] } ?? []
        var members: [(String, JSONValue)] = [
            ("replyid", .string(id)),
            ("userid", Self.text(who.userID)),
            ("contactid", Self.text(who.contactID)),
            ("name", .string(who.requestorName)),
            ("email", .string(who.requestorEmail)),
            ("requestor_name", .string(who.requestorName)),
            ("requestor_email", .string(who.requestorEmail)),
            ("requestor_type", .string(who.type)),
            ("date", Self.date(article?.createdAt ?? details.ticket.createdAt)),
            ("message", .string(article.map(Self.message) ?? "")),
            ("attachment", .string(Self.storedNames(files))),
            ("attachments", Self.attachmentList(files)),
            ("attachments_removed", .bool(false)),
            ("admin", .string(admin)),
        ]
        if let rating { members.append(("rating", .string(String(rating)))) }
        return .orderedObject(members.map { JSONMember(key: $0.0, value: $0.1) })
    }

    /// Who wrote an article as an admin: the name the API gave, else the agent of an agent article.
    func adminName(_ article: Article, attributes: [String: String]) -> String {
        if let admin = attributes[Attribute.admin] { return admin }
        guard article.senderTypeID != customerSender, attributes[Attribute.email] == nil, attributes[Attribute.userID] == nil else {
            return ""
        }
        return agents[article.createdBy]?.fullName ?? ""
    }

    /// Notes for GetTicket. WHMCS 8.7.2 reads a note's files through `$note->attachment`, a
    /// property the Note model does not map to its `attachments` column: every note shows
    /// `attachment` null and no `attachments` there (GetTicketNotes and GetTicketAttachment
    /// read the column and list them).
    func notes(_ details: TicketDetails, descending: Bool) -> [JSONValue] {
        var rows = articles(.note, in: details).map { article -> JSONValue in
            let attributes = details.articleAttributes[article.id] ?? [:]
            return .ordered([
                "noteid": Self.text(noteID(article)),
                "date": Self.date(article.createdAt),
                "message": .string(Self.message(article)),
                "attachment": .null,
                "attachments": .array([]),
                "attachments_removed": .bool(false),
                "admin": .string(attributes[Attribute.admin] ?? agents[article.createdBy]?.fullName ?? ""),
            ])
        }
        if descending { rows.reverse() }
        return rows
    }

    /// GetTicketNotes' rows: the `tblticketnotes` columns WHMCS selects (`id, admin, date,
    /// message, attachments, attachments_removed`) in date order. Its file list is named
    /// `attachments` there, unlike GetTicket's and the documentation's `attachment`.
    func noteRows(_ details: TicketDetails) -> [JSONValue] {
        articles(.note, in: details).sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }.map { article -> JSONValue in
            let attributes = details.articleAttributes[article.id] ?? [:]
            return .ordered([
                "id": Self.text(noteID(article)),
                "admin": .string(attributes[Attribute.admin] ?? agents[article.createdBy]?.fullName ?? ""),
                "date": Self.date(article.createdAt),
                "message": .string(Self.message(article)),
                "attachments": .string(Self.storedNames(details.attachments[article.id] ?? [])),
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
        HTMLEntities.decode(PHPStripTags.strip(html))
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
