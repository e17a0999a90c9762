extension TicketService {
    /// Accounts working time on a ticket, optionally for one of its articles (OTRS's
    /// `TicketAccountTime`), with the `TimeAccounting` history row. Needs the right to add notes.
    public func accountTime(ticketID: Int, articleID: Int?, timeUnit: Double, by principal: Principal) async throws {
        guard timeUnit.isFinite, timeUnit > 0, timeUnit <= 1_000_000 else {
            throw DeskError.invalid(field: "TimeUnit", reason: "must be a number above 0 and at most 1000000")
        }
        let now = clock.now()
        try await store.write { tx in
            let catalog = try await tx.catalog()
            guard let ticket = try await tx.ticket(id: ticketID), TicketAccess.canRead(ticket, by: principal, catalog: catalog) else {
                throw DeskError.notFound(entity: "ticket", key: String(ticketID))
            }
            guard TicketAccess.canChange(.article, ticket, by: principal, catalog: catalog) else {
                throw DeskError.accessDenied(action: "account time")
            }
            if let articleID, !(try await tx.articles(ticketID: ticketID)).contains(where: { $0.id == articleID }) {
                throw DeskError.notFound(entity: "article", key: String(articleID))
            }
            let actingUserID = principal.actingUserID(catalog.settings)
            let total = try await tx.timeAccounting(ticketID: ticketID).reduce(0) { $0 + $1.timeUnit } + timeUnit
            try await tx.insertTimeAccounting([NewTimeAccounting(ticketID: ticketID, articleID: articleID, timeUnit: timeUnit, createdAt: now, createdBy: actingUserID)])
            let writer = ArticleWriter(tx: tx, catalog: catalog, now: now, actingUserID: actingUserID)
            try await tx.insertHistory([writer.entry(ticket, articleID: articleID, typeID: catalog.historyTypeID("TimeAccounting"),
                                                     name: HistoryNames.timeAccounting(unit: timeUnit, total: total))])
            try await tx.updateTicket(id: ticketID, TicketChanges(), changedBy: actingUserID, at: now)
        }
    }
}
