/// A ticket's escalation deadlines as Znuny's `TicketEscalationIndexBuild` sets them, from the
/// ticket's `EscalationMinutes` (0: no such deadline):
/// - none at all while the state is of a merged, closed or removed type;
/// - first response: creation plus its minutes, until an agent's article visible to the customer;
/// - update: the latest customer contact plus its minutes (the latest visible agent article, or
///   the oldest of the customer articles after it), none in a pending state or without articles;
/// - solution: creation plus its minutes, until the ticket was closed once;
/// - the escalation time is the earliest of these.
///
/// Minutes count working time of Znuny's default calendar (`ZnunyWorkingTime.destination`).
struct EscalationIndex {
    /// What the index needs of an article.
    struct ArticleMark: Sendable {
        var senderTypeID: Int
        var isVisibleForCustomer: Bool
        var createdAt: Int64

        init(_ article: Article) {
            (senderTypeID, isVisibleForCustomer, createdAt) = (article.senderTypeID, article.isVisibleForCustomer, article.createdAt)
        }
    }

    let catalog: Catalog

    /// The deadlines of a ticket created at `createdAt`, now in `stateID`, with `articles`
    /// (oldest first); `everClosed`: whether its history has a closing.
    func times(
        createdAt: Int64, stateID: Int, minutes: EscalationMinutes, articles: [ArticleMark], everClosed: Bool
    ) -> EscalationTimes {
        guard !EscalationMinutes.stopped(inState: stateID, catalog: catalog) else { return .none }
        let stateType = catalog.stateTypeName(ofState: stateID)
        let agent = catalog.senderTypes["agent"]?.id
        let customer = catalog.senderTypes["customer"]?.id
        var response: Int64 = 0
        if minutes.firstResponse > 0, !articles.contains(where: { $0.senderTypeID == agent && $0.isVisibleForCustomer }) {
            response = ZnunyWorkingTime.destination(from: createdAt, adding: Int64(minutes.firstResponse) * 60)
        }
        var update: Int64 = 0
        if minutes.update > 0, !stateType.hasPrefix("pending"), let contact = Self.lastContact(articles, agent: agent, customer: customer) {
            update = ZnunyWorkingTime.destination(from: contact, adding: Int64(minutes.update) * 60)
        }
        let solution: Int64 =
            minutes.solution > 0 && !everClosed ? ZnunyWorkingTime.destination(from: createdAt, adding: Int64(minutes.solution) * 60) : 0
        let earliest: Int64 = [response, update, solution].filter { $0 > 0 }.min() ?? 0
        return EscalationTimes(escalation: earliest, response: response, update: update, solution: solution)
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

    /// The deadlines of `ticket` after a change, `added` being the articles the change adds:
    /// reads the ticket's articles and history only when its minutes need them.
    func rebuild(_ ticket: Ticket, adding added: [ArticleMark], reader: any StoreReader) async throws -> EscalationTimes {
        let minutes = EscalationMinutes(queueID: ticket.queueID, slaID: ticket.slaID, catalog: catalog)
        var articles: [ArticleMark] = []
        if minutes.firstResponse > 0 || minutes.update > 0 {
            articles = try await reader.articles(ticketID: ticket.id).map(ArticleMark.init)
        }
        var everClosed = false
        if minutes.solution > 0 {
            everClosed = try await reader.events(ticketID: ticket.id).contains { event in
                switch event.change {
                case .created, .state: catalog.stateTypeName(ofState: event.snapshot.stateID) == "closed"
                default: false
                }
            }
        }
        return times(
            createdAt: ticket.createdAt, stateID: ticket.stateID, minutes: minutes, articles: articles + added, everClosed: everClosed)
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
