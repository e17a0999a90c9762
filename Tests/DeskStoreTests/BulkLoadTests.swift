import DeskCore
import DeskTestSupport
import Foundation
import SQLKit
import Testing

@testable import DeskStore

/// A bulk load into an empty SQLite database sets the search indexes and triggers aside and
/// builds them at the end; afterwards everything must behave as if they had been there all along.
@Suite("Bulk load")
struct BulkLoadTests {
    /// The indexes, triggers and (PostgreSQL) foreign keys of the ticket tables, with their
    /// definitions.
    static func schemaObjects(_ database: Database) async throws -> [String] {
        let query: SQLQueryString =
            switch database.kind {
            case .sqlite:
                """
                SELECT type || ' ' || name || ' ' || sql AS object FROM sqlite_master
                WHERE type IN ('index', 'trigger') AND sql IS NOT NULL
                  AND tbl_name IN ('tickets', 'articles', 'dynamic_field_values', 'ticket_events')
                ORDER BY 1
                """
            case .postgres:
                """
                SELECT object FROM (
                    SELECT 'index ' || indexdef AS object FROM pg_indexes
                    WHERE schemaname = current_schema() AND tablename IN ('tickets', 'articles', 'dynamic_field_values', 'ticket_events')
                    UNION ALL
                    SELECT 'constraint ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
                    WHERE conrelid::regclass::text IN ('tickets', 'articles', 'dynamic_field_values', 'ticket_events')
                    UNION ALL
                    SELECT 'trigger ' || pg_get_triggerdef(oid) FROM pg_trigger
                    WHERE NOT tgisinternal AND tgrelid::regclass::text IN ('tickets', 'articles', 'dynamic_field_values', 'ticket_events')
                ) o ORDER BY 1
                """
            }
        return try await database.read { db in try await db.raw(query).all().map { try $0.decode(column: "object", as: String.self) } }
    }

    /// PostgreSQL: the statistics targets of `LOWER(title)` in its three indexes (migrations 33 and 35).
    static func titleStatisticsTargets(_ database: Database) async throws -> [Int] {
        try await database.read { db in
            var targets: [Int] = []
            for (index, column) in Schema033.titleColumns {
                let row = try await db.raw(
                    "SELECT attstattarget::int AS target FROM pg_attribute WHERE attrelid = to_regclass(\(bind: index)) AND attnum = \(bind: column)"
                ).first()
                targets.append(try row?.decode(column: "target", as: Int.self) ?? -1)
            }
            return targets
        }
    }

    @Test("loaded tickets are counted and found by full text and title; new writes are indexed again", arguments: TestDatabase.kinds)
    func loadedTicketsAreSearchable(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let before = try await Self.schemaObjects(db.database)
            #expect(before.contains { $0.hasPrefix("trigger") })
            if kind == .postgres {
                // Migration 17's small pending lists are part of the definitions rebuilt below.
                #expect(before.filter { $0.contains("gin_pending_list_limit='256'") }.count == Schema017.indexes.count)
                #expect(try await Self.titleStatisticsTargets(db.database) == [300, 300, 300])
            }
            let desk = Desk(db)
            // A ticket from before the load stays findable by its words.
            let earlier = try await desk.tickets.create(Desk.simpleTicket(title: "Nebulastorm in the lab"), by: try await desk.root())
            var loader = BulkLoader(database: db.database)
            loader.batchSize = 300
            let setup = try await loader.prepare(store: db.store, admin: desk.admin)
            let phases = try await loader.load(1_200, setup: setup, now: Desk.now) { _ in }
            #expect(try await Self.schemaObjects(db.database) == before)
            if kind == .postgres {
                // Migration 33's targets, which the rebuilt definitions do not carry.
                #expect(try await Self.titleStatisticsTargets(db.database) == [300, 300, 300])
            }
            #expect(phases.rollbackJournal == (kind == .sqlite ? true : nil))
            let expectedSteps =
                kind == .sqlite
                ? ["indexes", "full-text merge beside them", "full-text copy", "counts, creation order, triggers", "ANALYZE"]
                : ["indexes and the rest set aside", "ANALYZE"]
            #expect(phases.steps.map(\.name) == expectedSteps)
            if kind == .sqlite {
                // Written through a rollback journal, the file is back in WAL mode afterwards.
                let mode = try await db.database.read {
                    try await $0.raw("PRAGMA journal_mode").first()?.decode(column: "journal_mode", as: String.self)
                }
                #expect(mode == "wal")
                #expect(!FileManager.default.fileExists(atPath: db.url + "-journal"))
                #expect(!FileManager.default.fileExists(atPath: FullTextSideBuild.scratchPath(for: db.url)))
                // The full-text tables, built beside the writer and copied in, index exactly the
                // content tables (an integrity check with rank 1 compares them), with the default
                // settings in place for the writes that follow: the scratch file's (a large hash)
                // stay there, and no rebuild ran (it leaves a hashsize row).
                for settings in try await Self.checkFullText(db) {
                    #expect(settings == ["version"])
                }
                // Each merged index sits on the level FTS5's merges would have given it, above the
                // one `optimize` left it on (`FullTextStructure`).
                let articleLevels = try await Self.fullTextLevels(db, FullTextTable.articles)
                #expect(articleLevels.count == 1 && articleLevels[0] >= 3, "\(articleLevels)")
                _ = try await Self.fullTextLevels(db, FullTextTable.ticketTitles)
            }

            let total = try await db.store.read { try await $0.countTickets(TicketQuery(), scope: .unrestricted) }
            let counted = try await db.store.read { try await $0.queueStateCounts(queueIDs: nil) }.reduce(0) { $0 + $1.count }
            #expect(counted == total)
            #expect(total >= 1_200)

            // Every loaded ticket read in one call: more tickets and articles than one IN list takes.
            let counts = try await db.database.read { db in
                let row = try await db.raw(
                    """
                    SELECT (SELECT COUNT(*) FROM tickets) AS tickets, (SELECT COUNT(*) FROM articles) AS articles,
                        (SELECT COUNT(*) FROM dynamic_field_values) AS fields, (SELECT MAX(id) FROM tickets) AS last
                    """
                ).first()!
                return try (["tickets", "articles", "fields", "last"].map { try row.decode(column: $0, as: Int.self) })
            }
            // On PostgreSQL the loaded ids follow those the writer drew ahead (`PrefetchedIDs`).
            let allIDs = try await db.database.read { db in
                try await db.raw("SELECT id FROM tickets ORDER BY id DESC").all().map { try $0.decode(column: "id", as: Int.self) }
            }
            #expect(allIDs.first == counts[3])
            let everything = try await desk.tickets.get(ticketIDs: allIDs, by: try await desk.root())
            #expect(everything.count == counts[0])
            #expect(everything.map(\.ticket.id) == allIDs)
            #expect(everything.reduce(0) { $0 + $1.articles.count } == counts[1])
            #expect(counts[1] > 1_000)
            #expect(everything.reduce(0) { $0 + $1.dynamicFields.count } == counts[2])

            // Tickets loaded into a queue with first-response minutes carry the deadlines a
            // rebuild of the escalation index gives them: the rebuild changes none.
            let withDeadline = try await db.database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM tickets WHERE escalation_response_time > 0 AND escalation_time > 0")
                    .first()!.decode(column: "n", as: Int.self)
            }
            #expect(withDeadline > 0)
            #expect(try await desk.services.escalationRebuild.run().changed == 0)

            // A word of a loaded article, found through the full-text index as LIKE finds it.
            let sample = try await db.database.read { db in
                try await db.raw("SELECT body FROM articles WHERE id = (SELECT MAX(id) FROM articles)").first()!.decode(
                    column: "body", as: String.self)
            }
            let word = try #require(sample.split(separator: " ").map { $0.filter(\.isLetter).lowercased() }.first { $0.count > 5 })
            var fullText = TicketQuery()
            fullText.fullTextWords = [word]
            fullText.limit = 10_000
            let fullTextQuery = fullText
            let found = try await db.store.read { try await $0.searchTickets(fullTextQuery, scope: .unrestricted) }
            #expect(!found.isEmpty)

            #expect(try await Self.foundBurning(db, title: "nebulastorm") == [earlier.ticketID])

            // Writes after the load maintain the indexes through the triggers again.
            let root = try await desk.root()
            let created = try await desk.tickets.create(Desk.simpleTicket(title: "Quasarflux outage"), by: root)
            var byTitle = TicketQuery()
            byTitle.titles = ["%quasarflux%"]
            let titleQuery = byTitle
            #expect(try await db.store.read { try await $0.searchTickets(titleQuery, scope: .unrestricted) } == [created.ticketID])
            let countedAfter = try await db.store.read { try await $0.queueStateCounts(queueIDs: nil) }.reduce(0) { $0 + $1.count }
            #expect(countedAfter == total + 1)
            if kind == .sqlite { _ = try await Self.checkFullText(db) }
        }
    }

    /// The level of each segment of a full-text table's index, read from its structure record;
    /// expects a single segment to be settled (on its settled level or above).
    static func fullTextLevels(_ db: TestDatabase.Handle, _ table: FullTextTable) async throws -> [Int] {
        let block = try await db.database.read {
            try await $0.raw("SELECT block FROM \(ident: table.name + "_data") WHERE id = \(bind: FullTextStructure.recordID)")
                .first()?.decode(column: "block", as: Data.self)
        }
        let bytes = Array(try #require(block))
        let structure = try #require(FullTextStructure(decoding: bytes))
        if structure.segmentLevels.count == 1, let segment = structure.levels.last?.segments.first {
            // On its settled level, or above it where `optimize` already put a small index.
            #expect(structure.segmentLevels[0] >= FullTextStructure.settledLevel(pages: segment.pages), "\(table.name)")
            #expect(structure.settled() == nil, "\(table.name)")
        }
        return structure.segmentLevels
    }

    @Test("a bulk insert stores every row exactly, in full groups and a last short one", arguments: TestDatabase.kinds)
    func bulkInsertStoresEveryRow(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            try await db.database.transaction {
                try await $0.raw("CREATE TABLE bulk_probe (id BIGINT PRIMARY KEY, name TEXT NOT NULL UNIQUE, size BIGINT NOT NULL)").run()
            }
            var rows = BulkRows(columns: ["id", "name", "size"], for: kind)
            for id in 1...257 { rows.append(.int(id), .text("row \(id) 'quoted' ünïcode\t\\N\r\n\\"), .int(id * 1_000_000_007)) }
            let all = rows
            try await db.database.transaction { try await $0.insertMany("bulk_probe", all) }
            let stored = try await db.database.read { db in
                try await db.raw("SELECT id, name, size FROM bulk_probe ORDER BY id").all().map {
                    "\(try $0.decode(column: "id", as: Int.self)) \(try $0.decode(column: "name", as: String.self)) \(try $0.decode(column: "size", as: Int.self))"
                }
            }
            #expect(stored == (1...257).map { "\($0) row \($0) 'quoted' ünïcode\t\\N\r\n\\ \($0 * 1_000_000_007)" })

            // Texts of every length Swift keeps inline (up to 15 bytes) or on the heap, the empty
            // one among them (a text, not NULL: the column refuses NULL), through both paths.
            let texts = ["", "ü", "fifteen bytes!!", "sixteen bytes!!!", "a longer text, kept on the heap: ünïcode"]
            var short = BulkRows(columns: ["id", "name", "size"], for: kind)
            for (offset, text) in texts.enumerated() { short.append(.int(500 + offset), .text(text), 0) }
            let shortRows = short
            func storedTexts() async throws -> [String] {
                try await db.database.read { db in
                    try await db.raw("SELECT name FROM bulk_probe WHERE id >= 500 ORDER BY id").all().map {
                        try $0.decode(column: "name", as: String.self)
                    }
                }
            }
            try await db.database.transaction { try await $0.insertMany("bulk_probe", shortRows) }
            #expect(try await storedTexts() == texts)
            try await db.database.transaction { db in
                try await db.raw("DELETE FROM bulk_probe WHERE id >= 500").run()
                for (offset, text) in texts.enumerated() {
                    try await db.raw("INSERT INTO bulk_probe (id, name, size) VALUES (\(bind: 500 + offset), \(bind: text), 0)").run()
                }
            }
            #expect(try await storedTexts() == texts)
            try await db.database.transaction { try await $0.raw("DELETE FROM bulk_probe WHERE id >= 500").run() }

            // A duplicate in the last group fails the insert; the transaction keeps none of it.
            var clashing = BulkRows(columns: ["id", "name", "size"], for: kind)
            for id in 1_000...1_150 { clashing.append(.int(id), .text(id == 1_140 ? "row 7 'quoted' ünïcode\t\\N\r\n\\" : "new \(id)"), 0) }
            let failing = clashing
            await #expect(throws: (any Error).self) {
                try await db.database.transaction { try await $0.insertMany("bulk_probe", failing) }
            }
            let count = try await db.database.read {
                try await $0.raw("SELECT COUNT(*) AS n FROM bulk_probe").first()!.decode(column: "n", as: Int.self)
            }
            #expect(count == 257)
        }
    }

    @Test(
        "a load's batches commit in order even when written at once; one that fails takes the later ones with it",
        arguments: TestDatabase.kinds)
    func batchesCommitInOrder(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let database = db.database
            try await database.transaction { try await $0.raw("CREATE TABLE order_probe (name TEXT NOT NULL)").run() }
            func names() async throws -> [String] {
                try await database.read { db in
                    try await db.raw("SELECT name FROM order_probe ORDER BY name").all().map {
                        try $0.decode(column: "name", as: String.self)
                    }
                }
            }
            // The first batch holds its transaction open until the test has looked; the second
            // (on PostgreSQL written meanwhile) must wait for it to commit.
            let (firstIn, firstInSignal) = AsyncStream<Void>.makeStream()
            let (secondIn, secondInSignal) = AsyncStream<Void>.makeStream()
            let (release, releaseSignal) = AsyncStream<Void>.makeStream()
            let first = BulkLoader.write(after: nil, in: database, overlapping: true) { db in
                try await db.raw("INSERT INTO order_probe (name) VALUES ('first')").run()
                firstInSignal.finish()
                for await _ in release {}
            }
            let second = BulkLoader.write(after: first, in: database, overlapping: true) { db in
                try await db.raw("INSERT INTO order_probe (name) VALUES ('second')").run()
                secondInSignal.finish()
            }
            for await _ in firstIn {}
            // SQLite has one writer: there the second starts only after the first.
            if kind == .postgres { for await _ in secondIn {} }
            #expect(try await names() == [])
            releaseSignal.finish()
            try await second.value
            #expect(try await names() == ["first", "second"])

            struct Refused: Error {}
            let failing = BulkLoader.write(after: nil, in: database, overlapping: true) { db in
                try await db.raw("INSERT INTO order_probe (name) VALUES ('failing')").run()
                try await Task.sleep(for: .milliseconds(200))
                throw Refused()
            }
            let after = BulkLoader.write(after: failing, in: database, overlapping: true) { db in
                try await db.raw("INSERT INTO order_probe (name) VALUES ('after')").run()
            }
            await #expect(throws: Refused.self) { try await after.value }
            #expect(try await names() == ["first", "second"])
        }
    }

    @Test("indexes set aside by a load that died are built at the next start", arguments: TestDatabase.kinds)
    func interruptedLoadIsCompletedByMigrate(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let before = try await Self.schemaObjects(db.database)
            try await db.database.transaction { try await DeferredIndexes.setAside($0, kind: kind) }
            // What stays: primary keys and unique constraints with their indexes.
            let left = try await Self.schemaObjects(db.database)
            #expect(!left.isEmpty || kind == .sqlite)
            #expect(left.allSatisfy { !$0.hasPrefix("trigger") && !$0.contains("FOREIGN KEY") })
            #expect(left.filter { $0.hasPrefix("index") }.allSatisfy { $0.contains("UNIQUE") })
            try await Migrator(database: db.database, hasher: TestDatabase.hasher).migrate()
            #expect(try await Self.schemaObjects(db.database) == before)
        }
    }

    @Test("on SQLite a load that died before its full-text index was in place gets it rebuilt at the next start")
    func interruptedLoadRebuildsFullText() async throws {
        try await TestDatabase.withDatabase(.sqlite) { db in
            let desk = Desk(db)
            try await db.database.transaction { try await DeferredIndexes.setAside($0, kind: .sqlite) }
            // Rows inserted with the triggers set aside, as a load inserts them, and the
            // scratch file a side build leaves when the process dies.
            let root = try await desk.root()
            let created = try await desk.tickets.create(Desk.simpleTicket(title: "Cryoflare alarm"), by: root)
            // Enough titles for a title index of several pages.
            for number in 1...150 {
                _ = try await desk.tickets.create(Desk.simpleTicket(title: "Sensor \(number * 7919) reports drift \(number)"), by: root)
            }
            let scratch = FullTextSideBuild.scratchPath(for: db.url)
            #expect(FileManager.default.createFile(atPath: scratch, contents: Data("left behind".utf8)))
            try await Migrator(database: db.database, hasher: TestDatabase.hasher).migrate()
            #expect(!FileManager.default.fileExists(atPath: scratch))
            #expect(try await Self.foundBurning(db, title: "cryoflare") == [created.ticketID])
            // The rebuilt index is settled on its level too, and FTS5 takes it.
            let titleLevels = try await Self.fullTextLevels(db, FullTextTable.ticketTitles)
            #expect(titleLevels.count == 1 && titleLevels[0] >= 1, "\(titleLevels)")
            _ = try await Self.checkFullText(db)
            let later = try await desk.tickets.create(Desk.simpleTicket(title: "Cryoflare again"), by: root)
            #expect(try await Self.foundBurning(db, title: "cryoflare") == [later.ticketID, created.ticketID])
        }
    }

    @Test("a full-text rebuild (swiftdesk bench reindex) indexes every article again and settles the index", arguments: TestDatabase.kinds)
    func rebuildReindexes(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            let root = try await desk.root()
            var created: [Int] = []
            for number in 1...120 {
                // Words of its own in every body, for an article index of several pages.
                var request = Desk.simpleTicket(title: "Glacierpump \(number * 7919) stalls \(number)")
                let words = (0..<40).map { "w\(number)x\($0)" }.joined(separator: " ")
                request.articles = [ArticleDraft(subject: "Help", body: "It is burning. \(words)")]
                created.append(try await desk.tickets.create(request, by: root).ticketID)
            }
            if kind == .sqlite {
                // An index that lost its rows, as after a restore of the content tables alone.
                try await db.database.execute("INSERT INTO article_fts (article_fts) VALUES ('delete-all')")
                #expect(try await Self.foundBurning(db, title: "glacierpump").isEmpty)
            }
            let reports = Reports()
            try await SearchIndex.rebuild(db.database, batch: 50) { done, total in reports.add(done, total) }
            #expect(reports.last?.done == reports.last?.total)
            #expect(Set(try await Self.foundBurning(db, title: "glacierpump")) == Set(created))
            if kind == .sqlite {
                _ = try await Self.checkFullText(db)
                let levels = try await Self.fullTextLevels(db, FullTextTable.articles)
                #expect(levels.count == 1 && levels[0] >= 1, "\(levels)")
                let later = try await desk.tickets.create(Desk.simpleTicket(title: "Glacierpump again"), by: root)
                #expect(try await Self.foundBurning(db, title: "glacierpump").contains(later.ticketID))
                _ = try await Self.checkFullText(db)
            }
        }
    }

    /// The progress a rebuild reported, last report last.
    final class Reports: @unchecked Sendable {
        private let lock = NSLock()
        private var reports: [(done: Int, total: Int)] = []
        func add(_ done: Int, _ total: Int) { lock.withLock { reports.append((done, total)) } }
        var last: (done: Int, total: Int)? { lock.withLock { reports.last } }
    }

    @Test("on SQLite a load that died after copying its full-text index in keeps that index")
    func loadDeadAfterTheCopyKeepsItsFullText() async throws {
        try await TestDatabase.withDatabase(.sqlite) { db in
            let desk = Desk(db)
            let created = try await desk.tickets.create(Desk.simpleTicket(title: "Cryoflare alarm"), by: try await desk.root())
            try await db.database.transaction { try await DeferredIndexes.setAside($0, kind: .sqlite) }
            let build = try #require(try await FullTextSideBuild.start(for: db.database))
            try await build.finish()
            try await build.install()
            await build.close()
            try await Migrator(database: db.database, hasher: TestDatabase.hasher).migrate()
            for settings in try await Self.checkFullText(db) {
                // The copy stood: no rebuild ran (it leaves a hashsize setting).
                #expect(!settings.contains("hashsize"))
            }
            #expect(try await db.database.read { try await $0.raw("SELECT name FROM deferred_schema").all() }.isEmpty)
            #expect(try await Self.foundBurning(db, title: "cryoflare") == [created.ticketID])
        }
    }

    /// Checks each full-text table against its content table (FTS5 `integrity-check` with rank 1
    /// re-reads the content; any difference fails the statement), and returns each table's
    /// settings (the keys of its `_config`).
    static func checkFullText(_ db: TestDatabase.Handle) async throws -> [[String]] {
        try await db.database.transaction { db in
            var settings: [[String]] = []
            for table in FullTextTable.all.map(\.name) {
                try await db.raw("INSERT INTO \(ident: table) (\(ident: table), rank) VALUES ('integrity-check', 1)").run()
                settings.append(
                    try await db.raw("SELECT k FROM \(ident: table + "_config") ORDER BY k").all().map {
                        try $0.decode(column: "k", as: String.self)
                    })
            }
            return settings
        }
    }

    /// The tickets whose title contains `word` and whose articles say "burning" (the body of
    /// `Desk.simpleTicket`, a word the bench generator never writes).
    static func foundBurning(_ db: TestDatabase.Handle, title word: String) async throws -> [Int] {
        var query = TicketQuery()
        query.titles = ["%\(word)%"]
        query.fullTextWords = ["burning"]
        let search = query
        return try await db.store.read { try await $0.searchTickets(search, scope: .unrestricted) }
    }

    static func ticketCount(_ database: Database) async throws -> Int {
        try await database.read { try await $0.raw("SELECT COUNT(*) AS n FROM tickets").first()!.decode(column: "n", as: Int.self) }
    }

    @Test("on SQLite a load stays in WAL mode while another connection has the file open")
    func loadBesideAnotherConnectionKeepsTheWAL() async throws {
        try await TestDatabase.withDatabase(.sqlite) { db in
            let other = try Database(url: db.url, maxConnections: 2)
            let before = try await Self.ticketCount(other)
            let loader = BulkLoader(database: db.database)
            let setup = try await loader.prepare(store: db.store, admin: Desk(db).admin)
            let phases = try await loader.load(300, setup: setup, now: Desk.now) { _ in }
            #expect(phases.rollbackJournal == false)
            #expect(try await Self.ticketCount(other) == before + 300)
            let mode = try await other.read {
                try await $0.raw("PRAGMA journal_mode").first()?.decode(column: "journal_mode", as: String.self)
            }
            #expect(mode == "wal")
            await other.shutdown()
        }
    }
}
