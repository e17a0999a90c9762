/// Assembles `TicketDetails` for tickets the principal may read.
///
/// Several tickets are read together: one statement per kind of row (articles, attachments,
/// dynamic field values, time accounting, agents, events) for all of them rather than one per
/// ticket, so a list of 25 tickets costs PostgreSQL a few round trips instead of a few hundred.
struct TicketReader {
    let reader: any StoreReader
    let principal: Principal

    func details(of ticket: Ticket, options: TicketReadOptions) async throws -> TicketDetails {
        try await details(of: [ticket], options: options)[0]
    }

    /// Details of `tickets`, in the order given.
    func details(of tickets: [Ticket], options: TicketReadOptions) async throws -> [TicketDetails] {
        guard !tickets.isEmpty else { return [] }
        var byTicket: [Int: TicketDetails] = [:]
        for ticket in tickets { byTicket[ticket.id] = TicketDetails(empty: ticket) }
        let ticketIDs = byTicket.keys.sorted()
        // The ticket of each article shown.
        var ticketOf: [Int: Int] = [:]
        if options.articles {
            if let only = options.articleIDs {
                // Articles of other tickets are not these tickets' business.
                for article in try await reader.articles(ids: Array(Set(only)).sorted()) where byTicket[article.ticketID] != nil {
                    byTicket[article.ticketID]?.add(article, shownTo: principal, numbered: false)
                }
            } else {
                for article in try await reader.articles(ticketIDs: ticketIDs) {
                    byTicket[article.ticketID]?.add(article, shownTo: principal)
                }
            }
            for (ticketID, details) in byTicket {
                for article in details.articles { ticketOf[article.id] = ticketID }
            }
            let shown = ticketOf.keys.sorted()
            if options.attachments && !shown.isEmpty {
                for file in try await reader.attachments(articleIDs: shown, withContent: options.attachmentContents) {
                    if let ticketID = ticketOf[file.articleID] { byTicket[ticketID]?.attachments[file.articleID, default: []].append(file) }
                }
            }
            if options.dynamicFields && options.articleDynamicFields && !shown.isEmpty {
                for value in try await reader.dynamicFieldValues(objectIDs: shown, object: .article) {
                    if let ticketID = ticketOf[value.objectID] {
                        byTicket[ticketID]?.articleDynamicFields[value.objectID, default: [:]][value.fieldID] = value.values
                    }
                }
            }
        }
        if options.dynamicFields {
            for value in try await reader.dynamicFieldValues(objectIDs: ticketIDs, object: .ticket) {
                byTicket[value.objectID]?.dynamicFields[value.fieldID] = value.values
            }
        }
        if options.timeAccounting {
            for entry in try await reader.timeAccounting(ticketIDs: ticketIDs) {
                byTicket[entry.ticketID]?.totalTimeUnits += entry.timeUnit
                if let id = entry.articleID { byTicket[entry.ticketID]?.articleTimeUnits[id, default: 0] += entry.timeUnit }
            }
        }
        if options.agents {
            // Owners, responsible agents and the authors of the articles read, in one query.
            let named = byTicket.mapValues(\.namedAgentIDs)
            let agents = try await reader.agents(ids: named.values.reduce(into: Set<Int>()) { $0.formUnion($1) }.sorted())
            for ticketID in named.keys { byTicket[ticketID]?.name(agents) }
        }
        if options.events {
            for event in try await reader.events(ticketIDs: ticketIDs) { byTicket[event.ticketID]?.events.append(event) }
        }
        if let face = options.faceAttributes {
            for (ticketID, attributes) in try await reader.faceAttributes(face: face, kind: .ticket, objectIDs: ticketIDs) {
                byTicket[ticketID]?.ticketAttributes = attributes
            }
            for (articleID, attributes) in try await reader.faceAttributes(face: face, kind: .article, objectIDs: ticketOf.keys.sorted()) {
                if let ticketID = ticketOf[articleID] { byTicket[ticketID]?.articleAttributes[articleID] = attributes }
            }
        }
        return tickets.map { byTicket[$0.id]! }
    }
}

extension TicketDetails {
    /// The ticket alone, before its parts are added.
    init(empty ticket: Ticket) {
        self.init(
            ticket: ticket, articles: [], attachments: [:], dynamicFields: [:], articleDynamicFields: [:], articleTimeUnits: [:],
            totalTimeUnits: 0, agents: [:], events: [], articleNumbers: [:])
    }

    /// The agents `agents` holds: the owner, the responsible agent and the authors of the
    /// articles shown.
    var namedAgentIDs: Set<Int> { Set([ticket.ownerID, ticket.responsibleID] + articles.map(\.createdBy)) }

    /// Keeps those of `agents` that the ticket names (`namedAgentIDs`).
    mutating func name(_ agents: [Agent]) {
        let ids = namedAgentIDs
        self.agents = Dictionary(uniqueKeysWithValues: agents.filter { ids.contains($0.id) }.map { ($0.id, $0) })
    }

    /// Adds the ticket's next article (they come in creation order): numbered among all the
    /// ticket's articles unless only some are read, shown as `principal` may see it. Customers
    /// see the articles meant for them, and never who got a blind copy.
    mutating func add(_ article: Article, shownTo principal: Principal, numbered: Bool = true) {
        if numbered { articleNumbers[article.id] = articleNumbers.count + 1 }
        guard case .customer = principal else {
            articles.append(article)
            return
        }
        guard article.isVisibleForCustomer else { return }
        var shown = article
        shown.bcc = ""
        articles.append(shown)
    }
}
