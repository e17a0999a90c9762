/// A ticket's escalation deadlines as Znuny's `TicketEscalationIndexBuild` sets them, from the
/// ticket's `EscalationMinutes` (0: no such deadline):
/// - none at all while the state is of a merged, closed or removed type;
/// - first response: creation plus its minutes, until an agent's article visible to the customer;
/// - update: the latest customer contact plus its minutes (the latest visible agent article, or
///   the oldest of the customer articles after it), none in a pending state or without articles;
/// - solution: creation plus its minutes, until the ticket was closed once;
/// - the escalation time is the earliest of these.
///
/// Minutes count working time of the queue's or SLA's calendar (`WorkingCalendar.destination`).
/// Public for the bulk loader, whose generated tickets carry the deadlines a rebuild would give.
public struct EscalationIndex: Sendable {
    let catalog: Catalog

    public init(catalog: Catalog) {
        self.catalog = catalog
    }

    /// The deadlines of a ticket created at `createdAt`, now in `stateID`, with `articles`
    /// (stored ones by time, then new ones); `everClosed`: whether its history has a closing.
    public func times(
        createdAt: Int64, stateID: Int, minutes: EscalationMinutes, articles: [ArticleMark], everClosed: Bool
    ) -> EscalationTimes {
        guard !EscalationMinutes.stopped(inState: stateID, catalog: catalog) else { return .none }
        // By time as Znuny reads them; a new article may be dated before stored ones (WHMCS's
        // `date`), and on a tie the earlier in the list stays first.
        let articles = articles.enumerated().sorted { ($0.element.createdAt, $0.offset) < ($1.element.createdAt, $1.offset) }
            .map(\.element)
        let stateType = catalog.stateTypeName(ofState: stateID)
        let agent = catalog.senderTypes["agent"]?.id
        let customer = catalog.senderTypes["customer"]?.id
        let calendar = catalog.workingCalendar(named: minutes.calendar)
        var response: Int64 = 0
        if minutes.firstResponse > 0, !articles.contains(where: { $0.senderTypeID == agent && $0.isVisibleForCustomer }) {
            response = calendar.destination(from: createdAt, adding: Int64(minutes.firstResponse) * 60)
        }
        var update: Int64 = 0
        if minutes.update > 0, !stateType.hasPrefix("pending"), let contact = Self.lastContact(articles, agent: agent, customer: customer) {
            update = calendar.destination(from: contact, adding: Int64(minutes.update) * 60)
        }
        let solution: Int64 =
            minutes.solution > 0 && !everClosed
            ? calendar.destination(from: createdAt, adding: Int64(minutes.solution) * 60) : 0
        let earliest: Int64 = [response, update, solution].filter { $0 > 0 }.min() ?? 0
        return EscalationTimes(escalation: earliest, response: response, update: update, solution: solution)
    }

    /// The solution due date as products show it that keep one after closing (osTicket's
    /// `getEstDueDate`): the stored solution deadline while there is one; else, where Znuny's
    /// index has cleared it (a closed or once-closed ticket), the SLA's (with the service feature
    /// on) or queue's solution minutes counted in that one's calendar from the latest reopening
    /// (a state change out of a closed state in `events`) or the creation. Nil without solution
    /// minutes.
    public func keptSolutionDeadline(of ticket: Ticket, events: [TicketEvent]) -> Int64? {
        if ticket.escalationSolutionTime > 0 { return ticket.escalationSolutionTime }
        let minutes = EscalationMinutes(queueID: ticket.queueID, slaID: ticket.slaID, catalog: catalog)
        guard minutes.solution > 0 else { return nil }
        let reopened = events.last { event in
            guard case .state(let old, let new) = event.change else { return false }
            return catalog.stateTypeName(ofState: old.id) == "closed" && catalog.stateTypeName(ofState: new.id) != "closed"
        }
        return catalog.workingCalendar(named: minutes.calendar).destination(
            from: reopened?.createdAt ?? ticket.createdAt, adding: Int64(minutes.solution) * 60)
    }

    /// When the update deadline starts: walking back from the newest article, internal ones
    /// and those of other senders skipped, the newest agent article, or the oldest customer
    /// article of the run of customer articles at the end; the newest article's time when
    /// neither is found; nil without articles.
    private static func lastContact(_ articles: [ArticleMark], agent: Int?, customer: Int?) -> Int64? {
        guard var contact = articles.last?.createdAt else { return nil }
        var afterCustomer = false
        for article in articles.reversed() where article.isVisibleForCustomer {
            if article.senderTypeID == agent {
                if !afterCustomer { contact = article.createdAt }
                break
            }
            if article.senderTypeID == customer {
                afterCustomer = true
                contact = article.createdAt
            }
        }
        return contact
    }

    /// The deadlines of `ticket` after a change, `added` being the articles the change adds.
    func rebuild(_ ticket: Ticket, adding added: [ArticleMark], reader: any StoreReader) async throws -> EscalationTimes {
        let added = added.map { mark in
            var mark = mark
            mark.ticketID = ticket.id
            return mark
        }
        return try await rebuild([ticket], adding: added, reader: reader)[ticket.id] ?? .none
    }

    /// The rebuilt deadlines of `ticket` when they differ from its stored ones; nil when they stay.
    func changed(_ ticket: Ticket, adding added: [ArticleMark] = [], reader: any StoreReader) async throws -> EscalationTimes? {
        let times = try await rebuild(ticket, adding: added, reader: reader)
        return times == ticket.escalationTimes ? nil : times
    }

    /// The deadlines of `tickets` by ticket id, from their articles (and `added`, articles not
    /// yet stored, newest last) and their history; reads only what their minutes need: articles
    /// for a first-response or update deadline, the history for a solution deadline.
    func rebuild(_ tickets: [Ticket], adding added: [ArticleMark] = [], reader: any StoreReader) async throws -> [Int: EscalationTimes] {
        var minutes: [Int: EscalationMinutes] = [:]
        var needArticles: [Int] = []
        var needHistory: [Int] = []
        for ticket in tickets where !EscalationMinutes.stopped(inState: ticket.stateID, catalog: catalog) {
            let ticketMinutes = EscalationMinutes(queueID: ticket.queueID, slaID: ticket.slaID, catalog: catalog)
            minutes[ticket.id] = ticketMinutes
            if ticketMinutes.firstResponse > 0 || ticketMinutes.update > 0 { needArticles.append(ticket.id) }
            if ticketMinutes.solution > 0 { needHistory.append(ticket.id) }
        }
        let articles = Dictionary(grouping: try await reader.articleMarks(ticketIDs: needArticles) + added, by: \.ticketID)
        let closedStates = catalog.states.all.map(\.id).filter { catalog.stateTypeName(ofState: $0) == "closed" }
        let everClosed = needHistory.isEmpty ? [] : try await reader.ticketsEver(inStates: closedStates, ticketIDs: needHistory)
        var result: [Int: EscalationTimes] = [:]
        for ticket in tickets {
            guard let ticketMinutes = minutes[ticket.id] else {
                result[ticket.id] = EscalationTimes.none
                continue
            }
            result[ticket.id] = times(
                createdAt: ticket.createdAt, stateID: ticket.stateID, minutes: ticketMinutes, articles: articles[ticket.id] ?? [],
                everClosed: everClosed.contains(ticket.id))
        }
        return result
    }

    /// Whether Znuny rebuilds the index after a change (its `EscalationIndex` event handler's
    /// events: queue, state, type, service, SLA, customer, priority, dynamic field, article; a
    /// merge sets the merged state, which clears the deadlines).
    static func isRebuilt(after change: TicketChange) -> Bool {
        switch change {
        case .queue, .state, .type, .service, .sla, .customer, .priority, .dynamicField, .articleAdded: true
        default: false
        }
    }
}
