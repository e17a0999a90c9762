import DeskCore
import DeskFaceKit
import Foundation

/// The reading actions: GetTickets, GetTicket, GetTicketNotes, GetTicketAttachment.
struct WHMCSTicketQueries {
    let context: WHMCSContext

    var params: WHMCSParameters { context.params }
    var mapping: WHMCSMapping { context.mapping }
    var services: DeskServices { context.services }

    /// The most tickets one GetTickets call returns (each is read with its messages).
    static let maxPage = 250

    // MARK: GetTickets

    func getTickets() async throws -> JSONValue {
        let start = max(0, params.int("limitstart"))
        // PHP's `empty($limitnum)` gives 25; Laravel's `limit()` ignores a negative number (no
        // limit: here the page cap) and casts anything else with `(int)` (`abc` is 0 rows).
        let limit = params.text("limitnum") ?? ""
        let size: Int
        if limit.isEmpty || limit == "0" {
            size = 25
        } else if let number = Int(limit.trimmingSpaces), number < 0 {
            size = Self.maxPage
        } else {
            size = min(max(0, params.int("limitnum")), Self.maxPage)
        }
        // WHMCS echoes the parameter as sent, unless it is empty or 0.
        let startEcho: JSONValue = start > 0 ? .string(params.text("limitstart") ?? "") : .number("0")
        guard var query = try await ticketQuery() else {
            return WHMCSWire.success([
                JSONMember(key: "totalresults", value: .number("0")), JSONMember(key: "startnumber", value: startEcho),
                JSONMember(key: "numreturned", value: .number("0")),
            ])
        }
        let total = try await services.tickets.count(query, by: context.principal)
        query.offset = start
        query.limit = size
        let ids = total > start && size > 0 ? try await services.tickets.search(query, by: context.principal) : []
        let details = try await context.details(ids)
        let view = try await context.view(details)
        let order = Dictionary(ids.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
        let rows = details.sorted { order[$0.ticket.id, default: 0] < order[$1.ticket.id, default: 0] }.map {
            JSONValue.orderedObject(view.ticket($0))
        }
        var members = [
            JSONMember(key: "totalresults", value: .number(String(total))), JSONMember(key: "startnumber", value: startEcho),
            JSONMember(key: "numreturned", value: .number(String(rows.count))),
        ]
        if !rows.isEmpty {
            members.append(JSONMember(key: "tickets", value: .orderedObject([JSONMember(key: "ticket", value: .array(rows))])))
        }
        return WHMCSWire.success(members)
    }

    /// The filters of GetTickets as a core query; nil when they match nothing.
    func ticketQuery() async throws -> TicketQuery? {
        var query = TicketQuery()
        query.queueIDs = mapping.coreQueueIDs
        if params.int("deptid") != 0 {
            guard let queue = mapping.departmentToQueue[params.int("deptid")] else { return nil }
            query.queueIDs = [queue]
        }
        guard !query.queueIDs.isEmpty else { return nil }
        query.stateIDs = mapping.listedStates
        if let status = params.nonEmpty("status") {
            let wanted: [Int]
            switch status {
            case "Awaiting Reply": wanted = mapping.states { $0.showAwaiting }
            case "All Active Tickets": wanted = mapping.states { $0.showActive }
            case "My Flagged Tickets":
                guard WHMCSFlag.canBeFlagged(context.agent.id) else { return nil }
                wanted = mapping.states { $0.showActive }
                query.ownerIDs = [context.agent.id]
            default:
                // `where("status", …)` compares in MySQL's case-insensitive collation.
                guard let found = mapping.directory.statuses.first(where: { $0.title.lowercased() == status.lowercased() }) else {
                    return nil
                }
                wanted = mapping.states { $0.id == found.id }
            }
            query.stateIDs = query.stateIDs.filter(wanted.contains)
            guard !query.stateIDs.isEmpty else { return nil }
        }
        if params.int("clientid") != 0 {
            guard let client = try await context.people.client(params.int("clientid")) else { return nil }
            query.customerIDsRaw = [client.owner.customerID]
        }
        if let email = params.nonEmpty("email") {
            // WHMCS: `email = X OR userid = <the client with address X>`. The ticket's own `email`
            // is a guest's address: in SwiftDesk a guest ticket's customer id (OpenTicket,
            // UpdateTicket, the import), or a customer user who is no client and no contact (shown
            // as a guest with that address). A contact's address is no client's: only its guest
            // tickets match.
            let users = try await services.directory.customerUsers(email: email, by: context.principal)
            let logins = users.map { "customer:" + $0.login }
            let clients = try await services.externalIDs.externalIDs(face: context.face, kind: WHMCSMapping.Kind.client, coreIDs: logins)
            let contacts = try await services.externalIDs.externalIDs(face: context.face, kind: WHMCSMapping.Kind.contact, coreIDs: logins)
            let companies = users.filter { clients["customer:" + $0.login] != nil }.map(\.customerID)
            let others = users.filter { clients["customer:" + $0.login] == nil && contacts["customer:" + $0.login] == nil }
            query.requesters = TicketQuery.Requesters(
                customerIDs: Array(Set(companies + [WHMCSPeople.guestCustomerID(email)])).sorted(),
                customerUserLogins: others.map(\.login))
        }
        if params.has("subject") {
            let subject = (params.text("subject") ?? "").replacingOccurrences(of: "%", with: "")
            query.titles = ["%" + subject + "%"]
        }
        // `orderBy("lastreply", "desc")`: notes and updates leave a ticket where it was.
        query.sort = [(.lastVisibleArticle, false)]
        return query
    }

    // MARK: GetTicket

    func getTicket() async throws -> JSONValue {
        let core: Int?
        if params.int("ticketid") != 0 {
            core = try await context.ticket(id: params.int("ticketid"))
        } else {
            core = try await context.ticket(number: params.text("ticketnum") ?? "")
        }
        guard let core, let details = try await context.details([core]).first else { throw WHMCSError("Ticket ID Not Found") }
        let view = try await context.view([details])
        let descending = params.text("repliessort")?.uppercased() == "DESC"
        let notes = view.notes(details, descending: descending)
        return WHMCSWire.success(
            view.ticket(details) + [
                JSONMember(key: "replies", value: view.replies(details, descending: descending)),
                JSONMember(
                    key: "notes", value: notes.isEmpty ? .array([]) : .orderedObject([JSONMember(key: "note", value: .array(notes))])),
            ])
    }

    // MARK: GetTicketNotes

    func getTicketNotes() async throws -> JSONValue {
        var rows: [JSONValue] = []
        if let core = try await context.ticket(id: params.int("ticketid")), let details = try await context.details([core]).first {
            rows = try await context.view([details]).noteRows(details)
        }
        return WHMCSWire.success([
            JSONMember(key: "totalresults", value: .number(String(rows.count))),
            JSONMember(key: "notes", value: .orderedObject([JSONMember(key: "note", value: .array(rows))])),
        ])
    }

    // MARK: GetTicketAttachment

    func getTicketAttachment() async throws -> JSONValue {
        guard params.truthy("relatedid") else { throw WHMCSError("Related ID Required") }
        let type = params.text("type") ?? ""
        guard ["ticket", "reply", "note"].contains(type) else { throw WHMCSError("Invalid Type. Must be one of ticket, reply, note") }
        guard params.has("index") else { throw WHMCSError("Attachment Index Required") }
        let related = params.int("relatedid")
        var articleID: Int?
        switch type {
        case "ticket":
            if let core = try await context.ticket(id: related), let details = try await context.details([core]).first {
                articleID = WHMCSTicketView.opening(details)?.id
            }
        case "reply": articleID = try await context.article(WHMCSMapping.Kind.reply, related, role: .reply)?.article
        default: articleID = try await context.article(WHMCSMapping.Kind.note, related, role: .note)?.article
        }
        guard let articleID else { throw WHMCSError("Related ID Not Found") }
        // Only this message's files are read with their content.
        let files = try await services.tickets.attachments(ofArticle: articleID, withContent: true, by: context.principal)
        guard !files.isEmpty else { throw WHMCSError("No Attachments Found") }
        // `array_key_exists` on the raw text: only a plain decimal (no sign, space or leading 0) is a key.
        let raw = params.text("index") ?? ""
        let isKey = raw == "0" || (raw.first != "0" && !raw.isEmpty && raw.allSatisfy { $0.isASCII && $0.isNumber })
        guard isKey, let index = Int(raw), index < files.count else { throw WHMCSError("Invalid Attachment Index") }
        return WHMCSWire.success([
            JSONMember(key: "filename", value: .string(files[index].filename)),
            JSONMember(key: "data", value: .string(Base64.encode(files[index].content))),
        ])
    }
}
