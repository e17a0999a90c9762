import DeskCore
import Foundation
import SQLKit

/// Loads many realistic tickets straight through SQL, for benchmarks: queues, states, owners and
/// customers spread out, 1–5 articles per ticket with text from a word list, three dynamic
/// fields, one history row per ticket. Rows go in with explicit ids (SQLite: multi-row INSERTs;
/// PostgreSQL: COPY, two batches at once), a large transaction per batch; a load into a nearly
/// empty database sets the indexes and triggers aside and builds them at the end (`DeferredIndexes`).
public struct BulkLoader: Sendable {
    public let database: Database
    /// Tickets per transaction. Each batch costs a commit (on SQLite's rollback journal, five
    /// `fsync`s) and a hand-over between the generator, the writer and the full-text build, so
    /// larger batches load faster: 1 M tickets on SQLite in 44.8–47.0 s at 10,000 against
    /// 49.5–51.6 s at 2,000, for up to ~250 MB more memory (docs/performance-log.md, "Larger
    /// batches for a bulk load").
    public static let defaultBatchSize = 10_000
    public var batchSize = defaultBatchSize
    public var seed: UInt64 = 42

    public init(database: Database) {
        self.database = database
    }

    /// Reference data the load uses; created on first use (idempotent).
    public struct Setup: Sendable {
        public var queueIDs: [Int]
        public var agentIDs: [Int]
        public var fieldIDs: (severity: Int, externalRef: Int, due: Int)
        public var customerCount: Int
        /// The catalog after the set-up: the queues' escalation minutes and the state types, from
        /// which the generated tickets get the deadlines a rebuild would give them.
        public var catalog: Catalog
    }

    /// Creates 12 queues, 20 agents, 2,000 customer ids and three ticket dynamic fields if missing.
    public func prepare(store: SQLDeskStore, admin: AdminService) async throws -> Setup {
        var catalog = try await store.read { try await $0.catalog() }
        for index in 1...12 where catalog.queues["Bench \(index)"] == nil {
            try await admin.addQueue(name: "Bench \(index)", firstResponseMinutes: index % 3 == 0 ? 240 : 0)
        }
        for index in 1...20 where try await store.read({ try await $0.agent(login: "bench-agent-\(index)") }) == nil {
            try await admin.addAgent(
                login: "bench-agent-\(index)", password: "bench-password-\(index)", firstName: "Bench",
                lastName: "Agent \(index)", email: "bench\(index)@example.com", grants: [.init(group: "users", permission: .rw)])
        }
        if catalog.dynamicFields["BenchSeverity"] == nil {
            try await admin.addDynamicField(
                name: "BenchSeverity", label: "Severity", type: .dropdown, object: .ticket,
                possibleValues: ["low", "medium", "high", "critical"].map { .init(key: $0, label: $0.capitalized) }, possibleNone: false)
        }
        if catalog.dynamicFields["BenchExternalRef"] == nil {
            try await admin.addDynamicField(
                name: "BenchExternalRef", label: "External reference", type: .text, object: .ticket, possibleValues: [], possibleNone: false
            )
        }
        if catalog.dynamicFields["BenchDue"] == nil {
            try await admin.addDynamicField(
                name: "BenchDue", label: "Due", type: .date, object: .ticket, possibleValues: [], possibleNone: false)
        }
        store.invalidateCatalog()
        catalog = try await store.read { try await $0.catalog() }
        let agents = try await store.read { try await Self.agentIDs(in: $0) }
        return Setup(
            queueIDs: (1...12).compactMap { catalog.queues["Bench \($0)"]?.id }, agentIDs: agents,
            fieldIDs: (
                catalog.dynamicFields["BenchSeverity"]!.id, catalog.dynamicFields["BenchExternalRef"]!.id,
                catalog.dynamicFields["BenchDue"]!.id
            ),
            customerCount: 2_000, catalog: catalog)
    }

    /// The number a load gives ticket `id` ("9" and the id in nine digits).
    public static func ticketNumber(_ id: Int) -> String { BatchGenerator.ticketNumber(id) }

    /// Ids of the 20 benchmark agents that exist.
    public static func agentIDs(in reader: any StoreReader) async throws -> [Int] {
        try await (1...20).asyncMap { try await reader.agent(login: "bench-agent-\($0)")?.id }.compactMap { $0 }
    }

    /// How long the phases of a load took, in seconds.
    public struct Phases: Sendable {
        /// Generating and inserting the rows.
        public var inserting: Double
        /// Building what was set aside (indexes, full text, counts) and `ANALYZE`.
        public var indexing: Double
        /// The steps of `indexing`, in order, with their seconds; a step that ran beside the one
        /// before it says so in its name.
        public var steps: [(name: String, seconds: Double)] = []
        /// For a load into a database it makes up most of, on SQLite: whether it wrote through a
        /// rollback journal (`Database.beginBulkJournal`) or, because another connection had the
        /// file open, through the WAL. Nil when not tried.
        public var rollbackJournal: Bool? = nil
    }

    /// Inserts `count` tickets; `progress` is called after each batch with the total so far.
    ///
    /// The next batch is generated while the current one is written, so the generator and the
    /// database each keep a core busy.
    @discardableResult
    public func load(_ count: Int, setup: Setup, now: Int64, progress: @Sendable (Int) -> Void) async throws -> Phases {
        let started = ContinuousClock.now
        let kind = database.kind
        let (firstTicket, firstArticle) = try await database.read { db in
            (try await Self.highestID(in: "tickets", kind: kind, db) + 1, try await Self.highestID(in: "articles", kind: kind, db) + 1)
        }
        // A load that makes up most of the database builds its indexes once at the end.
        let deferIndexes = count >= firstTicket
        if deferIndexes {
            try await database.transaction { try await DeferredIndexes.setAside($0, kind: kind) }
        }
        let generator = BatchGenerator(
            setup: setup, kind: database.kind, count: count, now: now, random: SplitMix64(seed: seed), nextTicket: firstTicket,
            nextArticle: firstArticle)
        // On SQLite full text is indexed on the other core while the writer inserts.
        let fullText = deferIndexes ? try await FullTextSideBuild.start(for: database) : nil
        let rollbackJournal: Bool?
        let inserted: ContinuousClock.Instant
        var steps: [(name: String, seconds: Double)] = []
        do {
            // On SQLite such a load writes through a rollback journal (`Database.beginBulkJournal`).
            rollbackJournal = deferIndexes && kind == .sqlite ? try await database.beginBulkJournal() : nil
            try await insert(generator, count: count, overlapping: deferIndexes, fullText: fullText, progress: progress)
            inserted = ContinuousClock.now
            if let fullText {
                // The full-text index merges into one segment while the writer builds the others.
                async let merged = Self.timed { try await fullText.finish() }
                steps.append(("indexes", try await Self.timed { try await DeferredIndexes.buildIndexes(in: database) }))
                steps.append(("full-text merge beside them", try await merged))
                steps.append(("full-text copy", try await Self.timed { try await fullText.install() }))
            }
        } catch {
            await fullText?.close()
            throw error
        }
        await fullText?.close()
        if deferIndexes {
            let restore = try await Self.timed { try await DeferredIndexes.restore(in: database) }
            steps.append((fullText == nil ? "indexes and the rest set aside" : "counts, creation order, triggers", restore))
        }
        if kind == .postgres {
            try await database.transaction { db in
                for table in ["tickets", "articles"] {
                    let highest = try await Self.highestID(in: table, kind: kind, db)
                    guard highest > 0 else { continue }
                    try await db.raw("SELECT setval(pg_get_serial_sequence(\(bind: table), 'id'), \(bind: highest))").run()
                }
            }
        }
        if rollbackJournal == true { try await database.endBulkJournal() }
        steps.append(("ANALYZE", try await Self.timed { try await database.execute("ANALYZE") }))
        return Phases(
            inserting: (inserted - started).seconds, indexing: (ContinuousClock.now - inserted).seconds, steps: steps,
            rollbackJournal: rollbackJournal)
    }

    /// The seconds `body` took.
    private static func timed(_ body: () async throws -> Void) async rethrows -> Double {
        let start = ContinuousClock.now
        try await body()
        return (ContinuousClock.now - start).seconds
    }

    /// Generates and inserts the batches: one batch is written (and indexed by `fullText`) while
    /// the next is generated and, on PostgreSQL with the triggers set aside (`overlapping`),
    /// copied.
    private func insert(
        _ generator: BatchGenerator, count: Int, overlapping: Bool, fullText: FullTextSideBuild?, progress: @Sendable (Int) -> Void
    ) async throws {
        let batchSize = batchSize
        var next = Task { generator.advanced(by: batchSize) }
        var writing: (task: Task<Void, any Error>, indexing: Task<Void, any Error>?, doneAfter: Int)?
        var generated = 0
        while generated < count {
            let (batch, rest) = await next.value
            if rest.done < count { next = Task { rest.advanced(by: batchSize) } }
            generated = rest.done
            let task = Self.write(after: writing?.task, in: database, overlapping: overlapping) { try await batch.insert(into: $0) }
            let indexing = fullText?.add(batch)
            if let (previous, previousIndexing, doneAfter) = writing {
                do {
                    try await previous.value
                    try await previousIndexing?.value
                } catch {
                    _ = try? await task.value
                    throw error
                }
                progress(doneAfter)
            }
            writing = (task, indexing, generated)
        }
        if let (last, indexing, doneAfter) = writing {
            try await last.value
            try await indexing?.value
            progress(doneAfter)
        }
    }

    /// Starts `body` in a transaction that commits only after the write `before` has committed,
    /// and fails (rolled back) when that one failed: a load that stops keeps a run of whole
    /// batches from the start.
    ///
    /// With `overlapping`, on PostgreSQL, `body` runs on a connection of its own while `before`
    /// is still being written, so the server's per-row work (the stored tsvector, above all)
    /// keeps two backends busy. Only for a load that set the triggers aside: the counting
    /// trigger locks `ticket_counts` rows in no particular order, and two batches taking them at
    /// once could deadlock. Otherwise, and always on SQLite (one writer), `body` starts once
    /// `before` is done.
    static func write(
        after before: Task<Void, any Error>?, in database: Database, overlapping: Bool,
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> Void
    ) -> Task<Void, any Error> {
        Task {
            guard overlapping, database.kind == .postgres else {
                try await before?.value
                try await database.transaction(body)
                return
            }
            try await database.separateTransaction { db in
                try await body(db)
                try await before?.value
            }
        }
    }

    /// The highest id `table` holds or, on PostgreSQL, its sequence has handed out (a running
    /// server's writer draws ids ahead, `PrefetchedIDs`): loaded rows take the ids after it, and
    /// the sequence moves past them, never back.
    static func highestID(in table: String, kind: DatabaseKind, _ db: any SQLDatabase) async throws -> Int {
        let statement: SQLQueryString =
            switch kind {
            case .sqlite: "SELECT COALESCE(MAX(id), 0) AS m FROM \(ident: table)"
            case .postgres:
                """
                SELECT GREATEST(COALESCE(MAX(id), 0),
                    COALESCE(pg_sequence_last_value(pg_get_serial_sequence(\(bind: table), 'id')::regclass), 0)) AS m
                FROM \(ident: table)
                """
            }
        return try await db.raw(statement).first()!.decode(column: "m", as: Int.self)
    }

    static func weighted(_ items: [(id: Int, weight: Int)], _ random: inout SplitMix64) -> Int {
        var roll = random.next(upTo: items.reduce(0) { $0 + $1.weight })
        for item in items {
            if roll < item.weight { return item.id }
            roll -= item.weight
        }
        return items[0].id
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
