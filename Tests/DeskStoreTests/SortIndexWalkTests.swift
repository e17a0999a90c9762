import DeskCore
import DeskTestSupport
import SQLKit
import Testing

@testable import DeskStore

/// A query sorted by one column with an index in that order, with many matches, walks the index
/// for a bounded number of tickets (`TicketSearchSQL.sortIndexWalk`): change time, ticket
/// number, title and customer id on SQLite, pending and escalation time newest first on both databases. A page the walk
/// does not fill is sorted by the single statement. Every page must be the single statement's.
@Suite("Walking a sort column's index")
struct SortIndexWalkTests {
    static func search(
        _ db: TestDatabase.Handle, _ query: TicketQuery, probeCap: Int = 0, sortBudget: Int
    ) async throws -> (ids: [Int], plan: SQLStoreSession.SearchPlan) {
        try await db.store.read {
            try await ($0 as! SQLStoreSession).plannedSearch(query, scope: .unrestricted, probeCap: probeCap, sortBudget: sortBudget)
        }
    }

    /// Every page of `query` (limit 10, offsets 0 and 7): the walk with `budget` against the
    /// single statement, and with a budget beyond the index (it reads all of it); a budget
    /// smaller than the page and a filter that none of the walked tickets meet (queue "Raw",
    /// the demo ticket alone) fall back to the single statement.
    static func expectPagesAgree(
        _ db: TestDatabase.Handle, _ base: TicketQuery, budget: Int, walks: Bool, _ label: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        for offset in [0, 7] {
            var query = base
            query.limit = 10
            query.offset = offset
            var demo = query
            demo.queueIDs = [2]
            let cases = [
                ("budget \(budget)", query, budget, walks), ("budget 100,000", query, 100_000, walks),
                ("a budget below the page", query, offset + 9, false), ("the demo ticket", demo, budget, false),
            ]
            for (name, query, budget, walks) in cases {
                let label = "\(label) offset \(offset), \(name)"
                let sorted = try await search(db, query, sortBudget: 0)
                #expect(sorted.plan == .single, "\(label)", sourceLocation: sourceLocation)
                let walked = try await search(db, query, sortBudget: budget)
                #expect(walked.plan == (walks ? .sortIndexWalk : .single), "\(label)", sourceLocation: sourceLocation)
                #expect(walked.ids == sorted.ids, "\(label)", sourceLocation: sourceLocation)
                if walks { #expect(sorted.ids.count == 10, "\(label)", sourceLocation: sourceLocation) }
            }
        }
    }

    /// Titles are sorted without case, equal ones by ticket id: a quarter of the tickets share
    /// the first title and another quarter the last, half of each in capitals, so that the walk's
    /// bound falls inside a group of ties either way.
    @Test(
        "sorted by change time, ticket number or title: the index walk and the sort give the same pages", arguments: TestDatabase.kinds)
    func changeTimeNumberAndTitle(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            try await Desk.bulkLoad(db, tickets: 1_500)
            try await db.database.transaction { conn in
                try await conn.raw(
                    """
                    UPDATE tickets SET title = CASE id % 8 WHEN 0 THEN 'Aaa first' WHEN 4 THEN 'AAA FIRST' WHEN 2 THEN 'zzz last'
                    ELSE 'ZZZ LAST' END WHERE id % 2 = 0
                    """
                ).run()
            }
            for key in [TicketQuery.SortKey.changed, .ticketNumber, .title] {
                for ascending in [false, true] {
                    var query = TicketQuery()
                    query.stateTypeIDs = [1, 2, 3]
                    query.sort = [(key, ascending)]
                    try await Self.expectPagesAgree(db, query, budget: 200, walks: kind == .sqlite, "\(key) ascending \(ascending)")
                    // Fewer matches than the probe's cap: sorted without a walk.
                    query.limit = 10
                    let few = try await Self.search(db, query, probeCap: 1_000_000, sortBudget: 200)
                    #expect(few.plan == .single, "\(key) ascending \(ascending), few")
                }
            }
        }
    }

    /// Customer ids sort without case, equal ones by ticket id; on SQLite tickets without one
    /// (NULL) come first ascending and last descending: a few of them before the walked page,
    /// then so many that they fill it.
    @Test("sorted by customer id: the index walk and the sort give the same pages", arguments: TestDatabase.kinds)
    func customerID(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            try await Desk.bulkLoad(db, tickets: 1_500)
            func set(_ assignment: String) async throws {
                try await db.database.transaction { try await $0.raw(SQLQueryString(assignment)).run() }
            }
            try await set("UPDATE tickets SET customer_id = CASE id % 8 WHEN 0 THEN 'Acme' ELSE 'ACME' END WHERE id % 4 = 0")
            try await set("UPDATE tickets SET customer_id = UPPER(customer_id) WHERE id % 4 = 1")
            try await set("UPDATE tickets SET customer_id = NULL WHERE id % 300 = 7")
            var query = TicketQuery()
            query.stateTypeIDs = [1, 2, 3]
            for ascending in [true, false] {
                query.sort = [(.customerID, ascending)]
                try await Self.expectPagesAgree(db, query, budget: 200, walks: kind == .sqlite, "a few without, ascending \(ascending)")
            }
            try await set("UPDATE tickets SET customer_id = NULL WHERE id % 20 = 3")
            for ascending in [true, false] {
                query.sort = [(.customerID, ascending)]
                try await Self.expectPagesAgree(db, query, budget: 200, walks: kind == .sqlite, "many without, ascending \(ascending)")
            }
            // More tickets without one (~80) than the budget: ascending, the walk gives way to the
            // sort rather than read every such ticket.
            query.sort = [(.customerID, true)]
            query.limit = 10
            let sorted = try await Self.search(db, query, sortBudget: 0)
            let bounded = try await Self.search(db, query, sortBudget: 50)
            #expect(bounded.plan == .single)
            #expect(bounded.ids == sorted.ids && sorted.ids.count == 10)
        }
    }

    /// Pending and escalation times newest first: tickets without one (0) sort last, after
    /// every ticket in the partial index. Znuny's pending window counts those as pending. (The
    /// load gives ~95 of 1,500 tickets a pending time and ~26 a deadline.)
    @Test(
        "pending and escalation time newest first: the partial index's walk and the sort give the same pages", arguments: TestDatabase.kinds
    )
    func pendingAndEscalationTime(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            try await Desk.bulkLoad(db, tickets: 1_500)
            var pending = TicketQuery()
            pending.pendingTo = Desk.now + 365 * 86_400
            pending.pendingUnsetIsZero = true
            pending.sort = [(.pendingTime, false)]
            try await Self.expectPagesAgree(db, pending, budget: 40, walks: true, "pending time")
            // A window that ends before the latest pending times (Znuny's reminders due): the
            // walk starts at its end, not at the latest time.
            let sixtyFirst = try await db.database.read { conn in
                try await conn.raw("SELECT until_time FROM tickets WHERE until_time > 0 ORDER BY until_time LIMIT 1 OFFSET 60").first()?
                    .decode(column: "until_time", as: Int64.self)
            }
            var due = pending
            due.pendingTo = try #require(sixtyFirst)
            try await Self.expectPagesAgree(db, due, budget: 40, walks: true, "pending time before a time")
            var escalation = TicketQuery()
            escalation.sort = [(.escalationTime, false)]
            try await Self.expectPagesAgree(db, escalation, budget: 20, walks: true, "escalation time")
            // Oldest first, those without a time come first: sorted, not walked.
            escalation.sort = [(.escalationTime, true)]
            try await Self.expectPagesAgree(db, escalation, budget: 20, walks: false, "escalation time ascending")
        }
    }
}
