import DeskCore
import DeskFaceKit
import Foundation
import Hummingbird

/// What a REST handler works with: the services, the face's mapping and ids, the caller, and
/// how answers are framed for this route.
struct DjangoAPI {
    let services: DeskServices
    let mapping: DjangoMapping
    let ids: DjangoIDs
    let principal: Principal
    /// `http://<Host>`.
    let origin: String
    let headers: DjangoWire.APIHeaders
    let request: FaceRequest
    /// The query string's pairs as sent, repeated keys included (page links keep them all).
    var query: [(key: String, value: String)] = []

    static let face = DjangoFace.faceName

    static var readOptions: TicketReadOptions {
        var options = TicketReadOptions(articles: true, attachments: true, attachmentContents: false, dynamicFields: true)
        options.faceAttributes = face
        // django-helpdesk shows custom fields of tickets only, no accounted time, and users by id.
        options.articleDynamicFields = false
        options.timeAccounting = false
        options.agents = false
        return options
    }

    func json(_ status: HTTPResponse.Status, _ value: JSONValue) -> Response { DjangoWire.json(status, value, headers) }
    func detail(_ status: HTTPResponse.Status, _ text: String) -> Response { DjangoWire.detail(status, text, headers) }
    func notFound(_ model: String) -> Response { detail(.notFound, "No \(model) matches the given query.") }

    /// The serializers, with the ids and customers of these tickets looked up in a few queries
    /// (`knownIDs`: django-helpdesk ids of tickets the caller already knows, by SwiftDesk id;
    /// `allocated`: the face ids a write just gave, `TicketCreateResult.faceIDs`).
    func serializers(for tickets: [TicketDetails], knownIDs: [Int: Int] = [:], allocated: [ExternalID] = []) async throws
        -> DjangoSerializers
    {
        var serializers = DjangoSerializers(mapping: mapping, origin: origin)
        var knownTickets = knownIDs
        var knownFollowups: [Int: Int] = [:]
        for mapping in allocated {
            guard let core = Int(mapping.coreID), let id = Int(mapping.externalID) else { continue }
            switch mapping.kind {
            case DjangoMapping.Kind.ticket: knownTickets[core] = id
            case DjangoMapping.Kind.followup: knownFollowups[core] = id
            default: break
            }
        }
        let unknown = tickets.map(\.ticket.id).filter { knownTickets[$0] == nil }
        serializers.ticketIDs = knownTickets.merging(try await ids.ids(DjangoMapping.Kind.ticket, core: unknown)) { known, _ in known }
        let unknownFollowups = tickets.flatMap { $0.articles.map(\.id) }.filter { knownFollowups[$0] == nil }
        serializers.followupIDs = knownFollowups.merging(try await ids.ids(DjangoMapping.Kind.followup, core: unknownFollowups)) {
            known, _ in known
        }
        let agents = Set(tickets.flatMap { [$0.ticket.ownerID] + $0.articles.map(\.createdBy) })
        serializers.agentIDs = try await ids.userIDs(agents: Array(agents)).agents
        let logins = tickets.compactMap(\.ticket.customerUserID)
        for customer in try await services.directory.customerUsers(logins: logins, by: principal) {
            serializers.customers[customer.login] = customer
        }
        // `merged_to` is a foreign key with `on_delete=SET_NULL`: a deleted target reads null.
        let targets = Set(tickets.compactMap { $0.ticketAttributes[DjangoSerializers.Attribute.mergedTo].flatMap { Int($0) } })
        for target in targets where try await coreTicket(String(target)) == nil { serializers.goneTickets.insert(target) }
        // A ticket merged by another face (WHMCS's MergeTicket) names its target as the merge did.
        let mergedElsewhere = tickets.filter {
            $0.ticketAttributes[DjangoSerializers.Attribute.mergedTo] == nil
                && mapping.catalog.stateTypeName(ofState: $0.ticket.stateID) == "merged"
        }.map(\.ticket.id)
        if !mergedElsewhere.isEmpty {
            let coreTargets = try await services.tickets.mergeTargets(ticketIDs: mergedElsewhere, by: principal)
            let djangoIDs = try await ids.ids(DjangoMapping.Kind.ticket, core: Array(Set(coreTargets.values)))
            serializers.mergeTargets = coreTargets.compactMapValues { djangoIDs[$0] }
        }
        return serializers
    }

    /// Tickets read and rendered as `Ticket` objects, in the order given.
    func tickets(_ coreIDs: [Int]) async throws -> [JSONValue] {
        guard !coreIDs.isEmpty else { return [] }
        let details = try await services.tickets.get(ticketIDs: coreIDs, options: Self.readOptions, by: principal)
        let serializers = try await serializers(for: details)
        return details.map { serializers.ticket($0) }
    }

    /// The ticket behind a django-helpdesk id rendered as a `Ticket` object, if this face shows
    /// it to the caller: the same checks as `coreTicket`, made on the one read of the ticket.
    func shownTicket(_ id: String) async throws -> JSONValue? {
        guard let (number, core) = try await ticketIDs(id),
            let details = try await Self.unlessRefused({
                try await services.tickets.get(ticketIDs: [core], options: Self.readOptions, by: principal).first
            }),
            shows(details.ticket)
        else { return nil }
        return try await serializers(for: [details], knownIDs: [core: number]).ticket(details)
    }

    /// The SwiftDesk ticket behind a django-helpdesk id, if this face shows it to the caller.
    func coreTicket(_ id: String) async throws -> Int? {
        guard let (_, core) = try await ticketIDs(id),
            let ticket = try await Self.unlessRefused({ try await services.tickets.readableTickets(ids: [core], by: principal).first }),
            shows(ticket)
        else { return nil }
        return core
    }

    /// A django-helpdesk ticket id and the SwiftDesk id behind it (nil when it names nothing).
    private func ticketIDs(_ id: String) async throws -> (number: Int, core: Int)? {
        guard let number = DRF.pythonInt(id), let core = try await ids.core(DjangoMapping.Kind.ticket, number) else { return nil }
        return (number, core)
    }

    /// Whether the face shows a ticket the core let the caller read: one in a queue with a
    /// django-helpdesk id.
    private func shows(_ ticket: Ticket) -> Bool { mapping.queueFromCore[ticket.queueID] != nil }

    /// What `read` returns, or nil when the core refuses it (no such ticket, or not for this
    /// caller: django-helpdesk answers both with 404). Other failures, such as a database that
    /// does not answer, are not turned into a 404.
    private static func unlessRefused<T>(_ read: () async throws -> T?) async throws -> T? {
        do {
            return try await read()
        } catch is DeskError {
            return nil
        }
    }

    /// Who a follow-up mails (`DjangoMail.followup`), and the submitter's address: the ticket's
    /// `submitter_email` as the API shows it (`DjangoSerializers.submitterEmail`; `""` once
    /// cleared: no one).
    func followupRecipients(_ details: TicketDetails, isPublic: Bool, comment: String, status: Int?) async throws -> ([String], String) {
        let ticket = details.ticket
        var submitter = ""
        if let login = ticket.customerUserID {
            let customer = try await services.directory.customerUser(login: login, by: principal)?.email ?? login
            submitter = DjangoSerializers.submitterEmail(
                sent: details.ticketAttributes[DjangoSerializers.Attribute.submitterEmail], customer: customer)
        }
        var owner: Agent?
        if let ownerID = ticket.assignedOwnerID { owner = try await services.directory.agents(ids: [ownerID], by: principal).first }
        let recipients = DjangoMail.followup(
            submitter: submitter, isPublic: isPublic, comment: comment, status: status, owner: owner, writer: try await callerEmail())
        return (recipients, submitter)
    }

    /// The caller's e-mail address (django-helpdesk never mails the user who acted).
    func callerEmail() async throws -> String? {
        switch principal {
        case .agent(let agent): return try await services.directory.agents(ids: [agent.id], by: principal).first?.email
        case .customer(let customer): return try await services.directory.customerUser(login: customer.login, by: principal)?.email
        }
    }

    /// The caller's django-helpdesk user id.
    func callerUserID() async throws -> Int? {
        switch principal {
        case .agent(let agent): return try await ids.userIDs(agents: [agent.id]).agents[agent.id]
        case .customer(let customer):
            guard let user = try await services.directory.customerUser(login: customer.login, by: principal) else { return nil }
            return try await ids.userIDs(agents: [], customers: [user]).customers[user.login]
        }
    }

    /// The ticket row alone (the face shows no agents by name and no accounted time).
    static var bare: TicketReadOptions {
        var options = TicketReadOptions.bare
        options.agents = false
        options.timeAccounting = false
        return options
    }

    // MARK: Pagination (`helpdesk/views/api.py` ConservativePagination)

    struct Page {
        var number: Int
        var size: Int
    }

    /// The largest page SwiftDesk serves (django-helpdesk sets no limit).
    static let maxPageSize = 1_000

    /// The page a request asks for; nil means DRF's 404 `Invalid page.` (checked against `count`).
    func page(count: Int) -> Page? {
        let parameters = request.parameters
        var size = 25
        // `_positive_int` and `Paginator.validate_number` read both as `int()` does.
        if let text = parameters["page_size"]?.scalarString, let value = DRF.pythonInt(text), value > 0 {
            size = min(value, Self.maxPageSize)
        }
        let pages = max(1, (count + size - 1) / size)
        let requested = parameters["page"]?.scalarString ?? ""
        let number: Int
        if requested.isEmpty {
            number = 1
        } else if requested == "last" {
            number = pages
        } else if let value = DRF.pythonInt(requested), value >= 1, value <= pages {
            number = value
        } else {
            return nil
        }
        return Page(number: number, size: size)
    }

    /// One page of a ticket search (nil: nothing to search), rendered by `render`.
    func pagedSearch(_ query: TicketQuery?, path: String, render: ([Int]) async throws -> [JSONValue]) async throws -> Response {
        guard var query else {
            guard let page = page(count: 0) else { return detail(.notFound, "Invalid page.") }
            return json(.ok, paginated([], count: 0, page: page, path: path))
        }
        let count = try await services.tickets.count(query, by: principal)
        guard let page = page(count: count) else { return detail(.notFound, "Invalid page.") }
        query.offset = (page.number - 1) * page.size
        query.limit = page.size
        let ids = count == 0 ? [] : try await services.tickets.search(query, by: principal)
        return json(.ok, paginated(try await render(ids), count: count, page: page, path: path))
    }

    /// `{"count", "next", "previous", "results"}` with absolute links built from this request's
    /// query as DRF's `replace_query_param` writes them: keys sorted, each key's values in the
    /// order sent, `page` set (or dropped for the first page).
    func paginated(_ results: [JSONValue], count: Int, page: Page, path: String) -> JSONValue {
        let pages = max(1, (count + page.size - 1) / page.size)
        var values: [String: [String]] = [:]
        for (key, value) in query where key != "page" { values[key, default: []].append(value) }
        func link(_ number: Int?) -> JSONValue {
            guard let number else { return .null }
            var linked = values
            if number > 1 { linked["page"] = [String(number)] }
            let query = linked.keys.sorted().flatMap { key in
                linked[key, default: []].map { Self.quotePlus(key) + "=" + Self.quotePlus($0) }
            }
            .joined(separator: "&")
            return .string(origin + path + (query.isEmpty ? "" : "?" + query))
        }
        return .ordered([
            "count": .int(count),
            "next": link(page.number < pages ? page.number + 1 : nil),
            "previous": link(page.number > 1 ? page.number - 1 : nil),
            "results": .array(results),
        ])
    }

    /// Python's `urllib.parse.quote_plus`.
    static func quotePlus(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "-._~ ")
        return (text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text).replacingOccurrences(of: " ", with: "+")
    }
}
