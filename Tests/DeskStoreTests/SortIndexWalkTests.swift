import DeskCore
import DeskTestSupport
import Testing

@testable import DeskStore

/// On SQLite a query sorted by change time or ticket number alone, with many matches, walks
/// that column's index for a bounded number of tickets (`TicketSearchSQL.sortIndexWalk`); a page
/// the walk does not fill is sorted by the single statement. Every page must be the single
/// statement's.
@Suite("Walking a sort column's index")
struct SortIndexWalkTests {
    static func search(
        _ db: TestDatabase.Handle, _ query: TicketQuery, probeCap: Int = 0, sortBudget: Int
    ) async throws -> (ids: [Int], plan: SQLStoreSession.SearchPlan) {
        try await db.store.read {
            try await ($0 as! SQLStoreSession).plannedSearch(query, scope: .unrestricted, probeCap: probeCap, sortBudget: sortBudget)
        }
    }

    @Test("sorted by change time or ticket number: the index walk and the sort give the same pages", arguments: TestDatabase.kinds)
    func pagesAgree(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            try await Desk.bulkLoad(db, tickets: 1_500)
            for key in [TicketQuery.SortKey.changed, .ticketNumber] {
                for ascending in [false, true] {
                    for offset in [0, 7] {
                        var query = TicketQuery()
                        query.priorityIDs = [5]
                        query.sort = [(key, ascending)]
                        query.limit = 10
                        query.offset = offset
                        let label = "\(key) ascending \(ascending) offset \(offset)"
                        let sorted = try await Self.search(db, query, probeCap: 1_000_000, sortBudget: 1_000)
                        #expect(sorted.plan == .single, "\(label)")
                        #expect(sorted.ids.count == 10, "\(label)")
                        // A fifth of the tickets have priority 5: a page of 17 lies among the first 1,000.
                        let walked = try await Self.search(db, query, sortBudget: 1_000)
                        #expect(walked.plan == (kind == .sqlite ? .sortIndexWalk : .single), "\(label)")
                        #expect(walked.ids == sorted.ids, "\(label)")
                        // Too few among the first 20, and a budget beyond the table: sorted instead.
                        for budget in [20, 100_000] {
                            let fallback = try await Self.search(db, query, sortBudget: budget)
                            #expect(fallback.plan == .single, "\(label) budget \(budget)")
                            #expect(fallback.ids == sorted.ids, "\(label) budget \(budget)")
                        }
                    }
                }
            }
        }
    }
}
