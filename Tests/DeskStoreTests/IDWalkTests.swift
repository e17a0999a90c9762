import DeskCore
import DeskTestSupport
import SQLKit
import Testing

@testable import DeskStore

/// A search sorted newest first may read its condition's index by ticket id (the id walk) only
/// when `CreationOrder` proves the page: these tests build tickets whose ids and creation times
/// disagree and check every page against the single-statement plan (a walk budget of 0 turns
/// the walk off).
@Suite("Walking a condition by ticket id")
struct IDWalkTests {
    static let day: Int64 = 86_400

    /// Creates a ticket at `time`, with Severity `severity` when given.
    @discardableResult
    static func ticket(_ db: TestDatabase.Handle, at time: Int64, title: String = "Routine check", severity: String? = nil) async throws
        -> Int
    {
        let desk = Desk(db, clock: .fixed(time))
        var request = Desk.simpleTicket(title: title)
        if let severity { request.dynamicFields = [DynamicFieldInput(name: "Severity", value: severity)] }
        return try await desk.tickets.create(request, by: try await desk.root()).ticketID
    }

    static func search(
        _ db: TestDatabase.Handle, _ query: TicketQuery, walkBudget: Int = SQLStoreSession.idWalkBudget
    ) async throws -> (ids: [Int], plan: SQLStoreSession.SearchPlan) {
        try await db.store.read {
            try await ($0 as! SQLStoreSession).plannedSearch(query, scope: .unrestricted, probeCap: 0, walkBudget: walkBudget)
        }
    }

    /// Every page of `query` (limits 1–3, offsets 0–5) through the walk, against the single statement.
    static func expectPagesAgree(
        _ db: TestDatabase.Handle, _ query: TicketQuery, plan: SQLStoreSession.SearchPlan, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        for limit in 1...3 {
            for offset in 0...5 {
                var page = query
                page.limit = limit
                page.offset = offset
                let single = try await search(db, page, walkBudget: 0)
                let walked = try await search(db, page)
                #expect(single.plan == .single, sourceLocation: sourceLocation)
                #expect(walked.ids == single.ids, "limit \(limit) offset \(offset)", sourceLocation: sourceLocation)
                if offset == 0 { #expect(walked.plan == plan, "limit \(limit)", sourceLocation: sourceLocation) }
            }
        }
        // An offset past every ticket is an empty page, not an overflow of offset + limit.
        var far = query
        far.offset = Int.max
        #expect(try await search(db, far).ids.isEmpty, sourceLocation: sourceLocation)
        #expect(try await search(db, far, walkBudget: 0).ids.isEmpty, sourceLocation: sourceLocation)
    }

    static func severity(_ db: TestDatabase.Handle, _ value: String) async throws -> TicketQuery {
        let field = try #require(try await db.store.read { try await $0.catalog() }.dynamicFields["Severity"]).id
        var query = TicketQuery()
        query.dynamicFields = [.init(fieldID: field, op: .equals, values: [value])]
        return query
    }

    static func segments(_ db: TestDatabase.Handle) async throws -> [Int] {
        try await db.database.read { conn in
            try await conn.raw("SELECT first_id FROM ticket_segments ORDER BY first_id").all().map {
                try $0.decode(column: "first_id", as: Int.self)
            }
        }
    }

    static func createdHigh(_ db: TestDatabase.Handle) async throws -> [Int: Int64] {
        try await db.database.read { conn in
            var highs: [Int: Int64] = [:]
            for row in try await conn.raw("SELECT id, created_high FROM tickets WHERE created_high IS NOT NULL").all() {
                highs[try row.decode(column: "id", as: Int.self)] = try row.decode(column: "created_high", as: Int64.self)
            }
            return highs
        }
    }

    /// The search world, then six tickets an hour apart (titled `title` and their number, or
    /// with Severity `severity`), then a day later a flood of thirty that match neither.
    static func flooded(
        _ db: TestDatabase.Handle, title: String? = nil, severity: String? = nil
    ) async throws -> TicketSearchTests.World {
        let w = try await TicketSearchTests.world(db)
        for index in 0..<6 {
            let at = Desk.now + 3_600 * Int64(index + 1)
            try await Self.ticket(db, at: at, title: title.map { "\($0) \(index)" } ?? "Routine check", severity: severity)
        }
        for index in 0..<30 { try await Self.ticket(db, at: Desk.now + Self.day + Int64(index), title: "Flood \(index)") }
        return w
    }

    @Test("a flood of newer tickets without the value: the walk reads past none of them", arguments: TestDatabase.kinds)
    func flood(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let w = try await Self.flooded(db, severity: "high")
            var high = try await Self.severity(db, "high")
            try await Self.expectPagesAgree(db, high, plan: .idWalk)
            high.queueIDs = [w.catalog.queues["Misc"]!.id]
            try await Self.expectPagesAgree(db, high, plan: .idWalk)
            high.sort = [(.created, false)]
            try await Self.expectPagesAgree(db, high, plan: .idWalk)
            // A value on few tickets: the walk reads all of them and sorts them.
            try await Self.expectPagesAgree(db, try await Self.severity(db, "low"), plan: .idWalk)
            try await Self.expectPagesAgree(db, try await Self.severity(db, "none such"), plan: .idWalk)
            // Other orders are not walked.
            high.sort = [(.created, true)]
            #expect(try await Self.search(db, high).plan == .single)
        }
    }

    @Test("a flood of newer tickets without a common title pattern: the walk reads past none of them", arguments: TestDatabase.kinds)
    func titleFlood(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let w = try await Self.flooded(db, title: "Printer jam")
            var query = TicketQuery()
            query.titles = ["%printer%"]
            try await Self.expectPagesAgree(db, query, plan: .idWalk)
            query.queueIDs = [w.catalog.queues["Misc"]!.id]
            try await Self.expectPagesAgree(db, query, plan: .idWalk)
            // A pattern on one ticket: the walk reads it and sorts.
            query = TicketQuery()
            query.titles = ["%jam 3"]
            try await Self.expectPagesAgree(db, query, plan: .idWalk)
            query.titles = ["printer%"]
            query.sort = [(.age, false)]
            try await Self.expectPagesAgree(db, query, plan: .idWalk)
            if kind == .postgres {
                // Without migration 15's index (no btree_gist) the single statement answers.
                try await db.database.transaction { try await $0.raw("DROP INDEX tickets_title_order").run() }
                db.store.invalidateCatalog()
                try await Self.expectPagesAgree(db, query, plan: .single)
            }
        }
    }

    @Test("imported older tickets after newer ones: the newer ones below are found, or the walk gives way", arguments: TestDatabase.kinds)
    func imported(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            _ = try await TicketSearchTests.world(db)
            var live: [Int] = []
            for index in 0..<3 { live.append(try await Self.ticket(db, at: Desk.now + 10 * Self.day + Int64(index), severity: "high")) }
            var imported: [Int] = []
            for index in 0..<8 {
                imported.append(try await Self.ticket(db, at: Desk.now - 30 * Self.day + 60 * Int64(index), severity: "high"))
            }
            #expect(try await Self.segments(db).contains(imported[0]))
            let high = try await Self.severity(db, "high")
            var page = high
            page.limit = 3
            #expect(try await Self.search(db, page).ids == live.reversed())
            try await Self.expectPagesAgree(db, high, plan: .idWalk)

            // Newer tickets again, then, more than `CreationOrder.smallSegment` ids later, a second
            // import: the segment below it holds newer tickets and is too large to search.
            var latest: [Int] = []
            for index in 0..<2 { latest.append(try await Self.ticket(db, at: Desk.now + 11 * Self.day + Int64(index), severity: "high")) }
            try await Self.skipIDs(db, by: CreationOrder.smallSegment + 10)
            var second: [Int] = []
            for index in 0..<8 { second.append(try await Self.ticket(db, at: Desk.now - 20 * Self.day + Int64(index), severity: "high")) }
            #expect(try await Self.segments(db).contains(second[0]))
            #expect(try await Self.search(db, page).ids == latest.reversed() + [live[2]])
            try await Self.expectPagesAgree(db, high, plan: .single)
        }
    }

    @Test("a ticket a little older than the one before it stays in its segment and is sorted right", arguments: TestDatabase.kinds)
    func smallDisorder(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            _ = try await TicketSearchTests.world(db)
            let first = try await Self.ticket(db, at: Desk.now + Self.day + 100, severity: "high")
            let second = try await Self.ticket(db, at: Desk.now + Self.day + 50, severity: "high")
            #expect(try await Self.createdHigh(db)[second] == Desk.now + Self.day + 100)
            #expect(try await Self.segments(db).contains(second) == false)
            var page = try await Self.severity(db, "high")
            page.limit = 1
            #expect(try await Self.search(db, page).ids == [first])
            try await Self.expectPagesAgree(db, try await Self.severity(db, "high"), plan: .idWalk)
        }
    }

    /// Clears what the triggers kept, so that a recompute has to write all of it.
    static func forgetCreationOrder(_ db: TestDatabase.Handle) async throws {
        try await db.database.transaction { db in
            try await db.raw("UPDATE tickets SET created_high = NULL WHERE created_high IS NOT NULL").run()
            try await db.raw("DELETE FROM ticket_segments").run()
        }
    }

    @Test("the triggers keep what a recompute from the creation times would set", arguments: TestDatabase.kinds)
    func upkeep(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            // The demo ticket 1 was created when the database was (now); these are older.
            let first = try await Self.ticket(db, at: Desk.now)
            _ = try await Self.ticket(db, at: Desk.now + 10)
            let older = try await Self.ticket(db, at: Desk.now + 5)
            let imported = try await Self.ticket(db, at: Desk.now - Self.day)
            let after = try await Self.ticket(db, at: Desk.now - Self.day + 30)
            #expect(try await Self.segments(db) == [first, imported])
            #expect(try await Self.createdHigh(db) == [older: Desk.now + 10])

            // A ticket inserted below existing ids raises those after it in its segment.
            try await Self.skipIDs(db, by: 10)
            let top = try await Self.ticket(db, at: Desk.now - Self.day + 40)
            try await Self.copyTicket(db, top, as: top - 5, createdAt: Desk.now - Self.day + 90)
            let highs = try await Self.createdHigh(db)
            #expect(highs[top] == Desk.now - Self.day + 90)
            #expect(highs[after] == nil)

            let before = (try await Self.segments(db), highs)
            try await Self.forgetCreationOrder(db)
            try await db.database.transaction { try await CreationOrder.recompute(from: 0, in: $0) }
            #expect(try await Self.segments(db) == before.0)
            #expect(try await Self.createdHigh(db) == before.1)
        }
    }

    @Test("a bulk load after the demo ticket starts a segment; its searches walk", arguments: TestDatabase.kinds)
    func bulkLoad(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let setup = try await Desk.bulkLoad(db, tickets: 400)
            #expect(try await Self.segments(db) == [2])
            let highs = try await Self.createdHigh(db)
            try await Self.forgetCreationOrder(db)
            try await db.database.transaction { try await CreationOrder.recompute(from: 0, in: $0) }
            #expect(try await Self.segments(db) == [2])
            #expect(try await Self.createdHigh(db) == highs)
            var query = TicketQuery()
            query.dynamicFields = [.init(fieldID: setup.fieldIDs.severity, op: .equals, values: ["high"])]
            try await Self.expectPagesAgree(db, query, plan: .idWalk)
        }
    }

    /// Moves the ticket id sequence on by `count`, as deleted tickets or rolled-back creates do.
    static func skipIDs(_ db: TestDatabase.Handle, by count: Int) async throws {
        db.database.forgetPrefetchedIDs()
        try await db.database.transaction { conn in
            switch db.database.kind {
            case .sqlite:
                try await conn.raw("UPDATE sqlite_sequence SET seq = seq + \(literal: count) WHERE name = 'tickets'").run()
            case .postgres:
                try await conn.raw(
                    "SELECT setval(pg_get_serial_sequence('tickets', 'id'), (SELECT MAX(id) FROM tickets) + \(literal: count))"
                ).run()
            }
        }
    }

    /// Inserts a copy of ticket `source` with id `id` (below existing ids, as an import may).
    static func copyTicket(_ db: TestDatabase.Handle, _ source: Int, as id: Int, createdAt: Int64) async throws {
        try await db.database.transaction { try await copyTicket($0, source, as: id, createdAt: createdAt, suffix: "-copy") }
    }

    /// Inserts a copy of ticket `source` (a new id when `id` is nil) in `conn`'s transaction.
    @discardableResult
    static func copyTicket(_ conn: any SQLDatabase, _ source: Int, as id: Int?, createdAt: Int64, suffix: String) async throws -> Int {
        let columns = SQLStoreSession.ticketInsertColumns.filter { $0 != "tn" && $0 != "created_at" }.joined(separator: ", ")
        let idColumn: SQLQueryString = id == nil ? "" : "id, "
        let idValue: SQLQueryString = id.map { "\(bind: $0), " } ?? ""
        let row = try await conn.raw(
            """
            INSERT INTO tickets (\(idColumn)tn, created_at, \(unsafeRaw: columns))
            SELECT \(idValue)tn || \(bind: suffix), \(bind: createdAt), \(unsafeRaw: columns) FROM tickets WHERE id = \(bind: source)
            RETURNING id
            """
        ).first()
        return try #require(row).decode(column: "id", as: Int.self)
    }

    /// PostgreSQL: two transactions inserting tickets at once. The second one's ticket is a few
    /// seconds older than the first one's, which is not committed yet when the second inserts;
    /// the insert lock makes the second wait and see it (without the lock its `created_high`
    /// stayed NULL, and a search could miss the first ticket).
    @Test("concurrent inserts on PostgreSQL see each other's tickets", arguments: TestDatabase.kinds.filter { $0 == .postgres })
    func concurrentInserts(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let source = try await Self.ticket(db, at: Desk.now)
            let (firstInserted, firstInsertedSignal) = AsyncStream.makeStream(of: Int.self)
            let first = Task {
                try await db.database.separateTransaction { conn in
                    let id = try await Self.copyTicket(conn, source, as: nil, createdAt: Desk.now + 10, suffix: "-a")
                    firstInsertedSignal.yield(id)
                    try await Task.sleep(for: .milliseconds(500))
                    return id
                }
            }
            var signals = firstInserted.makeAsyncIterator()
            _ = await signals.next()
            let second = try await db.database.separateTransaction { conn in
                try await Self.copyTicket(conn, source, as: nil, createdAt: Desk.now + 5, suffix: "-b")
            }
            let firstID = try await first.value
            #expect(second > firstID)
            #expect(try await Self.createdHigh(db)[second] == Desk.now + 10)
        }
    }
}
