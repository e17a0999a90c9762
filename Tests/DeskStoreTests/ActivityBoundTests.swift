import DeskCore
import DeskTestSupport
import SQLKit
import Testing

@testable import DeskStore

/// A page sorted by the newest visible article is sorted only among the tickets changed since
/// a bound (`searchByActivityBound`): every page must equal the single statement's full sort.
@Suite("Sorting by the newest visible article within a bound")
struct ActivityBoundTests {
    @Test("every page equals the full sort, through the changed-index read and the planned fallback", arguments: TestDatabase.kinds)
    func pagesAgree(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let setup = try await Desk.bulkLoad(db, tickets: 3_000)
            // Notes and replies on some older tickets: their changes and keys part.
            let root = try await Desk(db).root()
            for ticketID in stride(from: 40, through: 400, by: 40) {
                let visible = ticketID % 80 == 0
                let article = ArticleDraft(subject: "s", body: "b", isVisibleForCustomer: visible, from: "x@example.org")
                _ = try await Desk(db).tickets.update(ticketID: ticketID, TicketUpdateRequest(articles: [article]), by: root)
            }
            // Tickets with notes only (their key is their creation): no visible article finds
            // them, so the most recently changed give the bound.
            let quiet = ArticleDraft(subject: "s", body: "b", isVisibleForCustomer: false, from: "x@example.org")
            for index in 0..<30 {
                let request = TicketCreateRequest(
                    title: "Quiet \(index)", queue: .name("Misc"), state: .name("new"), priority: .name("3 normal"), articles: [quiet],
                    dynamicFields: [])
                _ = try await Desk(db, clock: .fixed(Desk.now - Int64(index) * 60)).tickets.create(request, by: root)
            }
            // Two tickets with the newest twelve replies each: the first rows of the walk
            // (`4 × wanted`) hold fewer tickets than a page, and the walk goes on to the end.
            for ticketID in [500, 501] {
                for _ in 0..<12 {
                    let reply = ArticleDraft(subject: "s", body: "b", isVisibleForCustomer: true, from: "x@example.org")
                    _ = try await Desk(db).tickets.update(ticketID: ticketID, TicketUpdateRequest(articles: [reply]), by: root)
                }
            }
            let misc = try #require(try await db.store.read { try await $0.catalog() }.queues["Misc"]).id
            var quietQuery = TicketQuery()
            quietQuery.queueIDs = [misc]
            var queries: [TicketQuery] = [quietQuery]
            for queue in setup.queueIDs.prefix(3) {
                var query = TicketQuery()
                query.queueIDs = [queue]
                queries.append(query)
            }
            queries.append(TicketQuery())
            for var query in queries {
                query.sort = [(.lastVisibleArticle, false)]
                for (limit, offset) in [(1, 0), (5, 0), (25, 0), (25, 7), (20, 10), (50, 40), (10, 2_990)] {
                    query.limit = limit
                    query.offset = offset
                    let page = query
                    let single = try await db.store.read { reader in
                        let sql = TicketSearchSQL(query: page, scope: .unrestricted, kind: kind).select()
                        return try await (reader as! SQLStoreSession).ids(sql)
                    }
                    for candidates in [SQLStoreSession.activityCandidates, 5] {
                        let planned = try await db.store.read {
                            try await ($0 as! SQLStoreSession).plannedSearch(
                                page, scope: .unrestricted, probeCap: 0, activityCandidates: candidates)
                        }
                        #expect(planned.ids == single, "limit \(limit) offset \(offset) candidates \(candidates)")
                        if offset + limit <= 30 { #expect(planned.plan == .activityBound, "limit \(limit) offset \(offset)") }
                    }
                }
            }
        }
    }
}
