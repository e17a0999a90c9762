extension TicketService {
    /// Accounts working time on a ticket, optionally for one of its articles (OTRS's
    /// `TicketAccountTime`), with its `TimeAccounted` event. Needs the right to add notes.
    public func accountTime(ticketID: Int, articleID: Int?, timeUnit: Double, by principal: Principal) async throws {
        guard timeUnit.isFinite, timeUnit > 0, timeUnit <= 1_000_000 else {
            throw DeskError.invalid(.other("TimeUnit"), .outOfRange("a number above 0 and at most 1000000"))
        }
        let now = clock.now()
        let catalog = try await store.catalog()
        try await store.write { tx in
            let ticket = try await Self.readable(ticketID, reader: tx, principal: principal, catalog: catalog)
            guard TicketAccess.canChange(.article, ticket, by: principal, catalog: catalog) else {
                throw DeskError.accessDenied(.accountTime)
            }
            if let articleID, !(try await tx.articles(ticketID: ticketID)).contains(where: { $0.id == articleID }) {
                throw DeskError.notFound(.article, key: String(articleID))
            }
            let actingUserID = principal.actingUserID(catalog.settings)
            let total = try await tx.timeAccounting(ticketID: ticketID).reduce(0) { $0 + $1.timeUnit } + timeUnit
            try await tx.insertTimeAccounting([
                NewTimeAccounting(ticketID: ticketID, articleID: articleID, timeUnit: timeUnit, createdAt: now, createdBy: actingUserID)
            ])
            let writer = ArticleWriter(tx: tx, catalog: catalog, now: now, actingUserID: actingUserID)
            try await tx.insertEvents([writer.event(.timeAccounted(unit: timeUnit, total: total), ticket, articleID: articleID)])
            try await tx.updateTicket(id: ticketID, TicketChanges(), changedBy: actingUserID, at: now)
        }
    }
}
