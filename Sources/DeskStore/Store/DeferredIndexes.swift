import SQLKit

/// Sets the secondary indexes, checks and triggers of the ticket tables aside while a bulk load
/// fills them, and builds them once at the end instead of maintaining them row by row.
///
/// - SQLite: the indexes and the search triggers; at the end sorted index builds, the full-text
///   index (built beside the writer during the load, `FullTextSideBuild`, or else one `rebuild`
///   of both FTS5 tables) and one count of `ticket_counts`.
/// - Both: the creation-order triggers; at the end one pass over the loaded tickets
///   (`CreationOrder.recompute`).
/// - PostgreSQL: the indexes that no constraint owns (among them the trigram and full-text GIN
///   indexes), the foreign keys of the loaded tables and the counting triggers; at the end the
///   index builds, one validation per foreign key (a join, not a lookup per row) and one count.
///   The `search_tsv` column is generated, so each row still computes it as it arrives.
///
/// The definitions set aside are recorded in `deferred_schema` in the transaction that drops
/// them, so a load that dies half-way leaves nothing lost: the next start of any `swiftdesk`
/// command (`Migrator.migrate`) builds them. A load must not run beside a server on the same
/// database: searches would miss the new rows until the end.
enum DeferredIndexes {
    static let tables = ["tickets", "articles", "dynamic_field_values", "ticket_events"]

    /// Drops the indexes, foreign keys (PostgreSQL) and triggers of `tables`, recording their
    /// definitions.
    static func setAside(_ db: any SQLDatabase, kind: DatabaseKind) async throws {
        try await db.raw("CREATE TABLE IF NOT EXISTS deferred_schema (name TEXT PRIMARY KEY, type TEXT NOT NULL, sql TEXT NOT NULL)").run()
        // A full-text index copied in by an earlier load whose restore never finished says
        // nothing about the rows this one adds.
        try await db.raw("DELETE FROM deferred_schema WHERE type = \(bind: FullTextSideBuild.installedRecord)").run()
        let tableList = SQLQueryString("\(binds: tables.map { $0 as Bindable })")
        let definitions: SQLQueryString =
            switch kind {
            case .sqlite:
                """
                SELECT name, type, sql, tbl_name AS owner FROM sqlite_master
                WHERE type IN ('index', 'trigger') AND sql IS NOT NULL AND tbl_name IN (\(tableList))
                ORDER BY type, name
                """
            case .postgres:
                """
                SELECT i.indexname AS name, 'index' AS type, i.indexdef AS sql, i.tablename AS owner FROM pg_indexes i
                WHERE i.schemaname = current_schema() AND i.tablename IN (\(tableList))
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.indexname))::regclass)
                UNION ALL
                SELECT c.conname, 'constraint', 'ALTER TABLE ' || quote_ident(t.relname) || ' ADD CONSTRAINT '
                    || quote_ident(c.conname) || ' ' || pg_get_constraintdef(c.oid), t.relname
                FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
                WHERE c.contype = 'f' AND t.relnamespace = current_schema()::regnamespace AND t.relname IN (\(tableList))
                UNION ALL
                SELECT g.tgname, 'trigger', pg_get_triggerdef(g.oid), t.relname
                FROM pg_trigger g JOIN pg_class t ON t.oid = g.tgrelid
                WHERE NOT g.tgisinternal AND t.relnamespace = current_schema()::regnamespace AND t.relname IN (\(tableList))
                ORDER BY 2, 1
                """
            }
        for row in try await db.raw(definitions).all() {
            let name = try row.decode(column: "name", as: String.self)
            let type = try row.decode(column: "type", as: String.self)
            let owner = try row.decode(column: "owner", as: String.self)
            try await db.raw(
                "INSERT INTO deferred_schema (name, type, sql) VALUES (\(bind: name), \(bind: type), \(bind: try row.decode(column: "sql", as: String.self)))"
            ).run()
            switch (kind, type) {
            case (.postgres, "constraint"): try await db.raw("ALTER TABLE \(ident: owner) DROP CONSTRAINT \(ident: name)").run()
            case (.postgres, "trigger"): try await db.raw("DROP TRIGGER \(ident: name) ON \(ident: owner)").run()
            default: try await db.raw("DROP \(unsafeRaw: type == "index" ? "INDEX" : "TRIGGER") \(ident: name)").run()
            }
        }
        // Without the triggers the loaded tickets' creation order is computed at the end.
        try await db.raw(
            """
            INSERT INTO deferred_schema (name, type, sql)
            SELECT 'creation_order', 'creation_order', CAST(COALESCE(MAX(id), 0) + 1 AS TEXT) FROM tickets WHERE true
            ON CONFLICT (name) DO NOTHING
            """
        ).run()
    }

    /// Builds whatever `setAside` recorded: the indexes first (`buildIndexes`), then the rest in
    /// one transaction. On SQLite it also removes the scratch file of a load that died
    /// (`FullTextSideBuild`).
    static func restore(in database: Database) async throws {
        if let path = database.sqlitePath { FullTextSideBuild.removeScratch(for: path) }
        try await buildIndexes(in: database)
        let rebuiltFullText = try await database.transaction { try await restore($0, kind: database.kind) }
        if rebuiltFullText, let path = database.sqlitePath { try FullTextStructure.settleAll(inFileAt: path) }
    }

    /// Builds the indexes `setAside` recorded, each committed with the removal of its record, so
    /// a build that stops half-way leaves the rest recorded for the next start. On PostgreSQL two
    /// at a time on connections of their own, the GIN indexes (full text, trigrams) first: the
    /// article full-text index alone takes as long as all the others together.
    static func buildIndexes(in database: Database) async throws {
        let kind = database.kind
        // Read on the writer: on SQLite a reader connection opened now (a bulk load closed the
        // idle ones) would put the file back into WAL mode in the middle of the load.
        let indexes = try await database.transaction { db -> [(name: String, sql: String)] in
            guard try await hasDeferredSchema(db, kind: kind) else { return [] }
            return try await db.raw("SELECT name, sql FROM deferred_schema WHERE type = 'index' ORDER BY name").all().map {
                (try $0.decode(column: "name", as: String.self), try $0.decode(column: "sql", as: String.self))
            }
        }
        func isGIN(_ index: (name: String, sql: String)) -> Bool { index.sql.contains(" USING gin ") }
        let queue = IndexQueue(indexes.filter(isGIN) + indexes.filter { !isGIN($0) })
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<(kind == .postgres ? 2 : 1) {
                group.addTask {
                    while let index = await queue.next() {
                        try Task.checkCancellation()
                        try await database.separateTransaction { db in
                            // Taking the record first makes another process restoring at
                            // the same time wait here, then find it gone and skip it.
                            let taken = try await db.raw(
                                "DELETE FROM deferred_schema WHERE name = \(bind: index.name) RETURNING name"
                            ).all()
                            guard !taken.isEmpty else { return }
                            if kind == .sqlite { try await db.raw("PRAGMA threads = \(literal: sorterThreads)").run() }
                            try await db.raw(SQLQueryString(index.sql)).run()
                            if kind == .sqlite { try await db.raw("PRAGMA threads = 0").run() }
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// Helper threads SQLite's sorter may use for an index build on SQLite (`PRAGMA threads`):
    /// the writer reads the table and fills the sort's runs while they sort and merge the runs.
    /// An index build then keeps both cores of a small machine busy instead of one
    /// (docs/performance-log.md, "Index builds on both cores").
    static let sorterThreads = 2

    /// The indexes still to build, handed out one at a time.
    private actor IndexQueue {
        private var indexes: [(name: String, sql: String)]
        init(_ indexes: [(name: String, sql: String)]) { self.indexes = indexes }
        func next() -> (name: String, sql: String)? { indexes.isEmpty ? nil : indexes.removeFirst() }
    }

    /// Whether the database has the `deferred_schema` table (a bulk load created it).
    static func hasDeferredSchema(_ db: any SQLDatabase, kind: DatabaseKind) async throws -> Bool {
        switch kind {
        case .sqlite:
            try await db.sqliteTableExists("deferred_schema")
        case .postgres:
            try await db.raw("SELECT to_regclass('deferred_schema') IS NOT NULL AS found").first()?.decode(column: "found", as: Bool.self)
                ?? false
        }
    }

    /// Builds whatever `setAside` recorded: indexes, foreign keys, the full-text tables (SQLite)
    /// and the ticket counts, then the triggers again. Does nothing when nothing is set aside.
    /// Returns whether it rebuilt the full-text tables (SQLite, when no bulk load put its index
    /// in place), which then want settling (`FullTextStructure.settleAll`) once committed.
    @discardableResult
    static func restore(_ db: any SQLDatabase, kind: DatabaseKind) async throws -> Bool {
        guard try await hasDeferredSchema(db, kind: kind) else { return false }
        let rows = try await db.raw("SELECT name, type, sql FROM deferred_schema ORDER BY type, name").all()
        guard !rows.isEmpty else { return false }
        let definitions = try rows.map {
            (type: try $0.decode(column: "type", as: String.self), sql: try $0.decode(column: "sql", as: String.self))
        }
        for type in ["index", "constraint"] {
            for definition in definitions where definition.type == type {
                try await db.raw(SQLQueryString(definition.sql)).run()
            }
        }
        let rebuildsFullText = kind == .sqlite && !definitions.contains { $0.type == FullTextSideBuild.installedRecord }
        if kind == .sqlite {
            // Unless a bulk load built the index beside its writer and put it in place.
            if rebuildsFullText {
                for table in FullTextTable.all {
                    try await rebuildFullText(table.name, in: db)
                }
            }
            // The rebuild (or the copy) indexed every row: none may be indexed again at COMMIT
            // (`FullTextQueue`).
            if try await db.sqliteTableExists("fts_pending") { try await db.raw("DELETE FROM fts_pending").run() }
        }
        try await db.raw("DELETE FROM ticket_counts").run()
        try await db.raw(
            "INSERT INTO ticket_counts (queue_id, state_id, n) SELECT queue_id, state_id, COUNT(*) FROM tickets GROUP BY queue_id, state_id"
        ).run()
        for definition in definitions where definition.type == "creation_order" {
            guard let firstID = Int(definition.sql) else { throw DatabaseError.unexpected("creation order from \(definition.sql)") }
            try await CreationOrder.recompute(from: firstID, in: db)
        }
        for definition in definitions where definition.type == "trigger" {
            try await db.raw(SQLQueryString(definition.sql)).run()
        }
        // A rebuilt index has the default statistics target again.
        try await Schema033.setTargets(db, kind: kind)
        try await db.raw("DELETE FROM deferred_schema").run()
        return rebuildsFullText
    }

    /// Rebuilds a full-text table from its content table. FTS5 collects terms in memory and
    /// writes them out as a segment whenever they exceed its `hashsize` (1 MiB by default),
    /// merging segments as they pile up; with 64 MiB a rebuild writes a few large segments and
    /// merges far less (200,000 tickets' articles: 5.5 s → 2.4 s). The setting is stored in the
    /// table, so it goes back to the default afterwards.
    ///
    /// Then `optimize` merges those segments into one. Left as they are, they sit side by side
    /// on one level, and the first writes after the load (a new segment per commit) set off
    /// FTS5's merges of them inside the server's write transactions: on a 1 M-ticket load the
    /// first 20 s of creates ran at 228/s with a p99 of 4 s, against ~1,400/s after an
    /// `optimize` (9.3 s for the articles, 1.5 s for the titles, paid once by the load). Once
    /// committed, `restore(in:)` moves the merged index up to its settled level
    /// (`FullTextStructure`), where the server's writes do not reach it for a long while.
    private static func rebuildFullText(_ table: String, in db: any SQLDatabase) async throws {
        try await db.raw("INSERT INTO \(ident: table) (\(ident: table), rank) VALUES ('hashsize', \(literal: rebuildHashSize))").run()
        try await db.raw("INSERT INTO \(ident: table) (\(ident: table)) VALUES ('rebuild')").run()
        try await db.raw("INSERT INTO \(ident: table) (\(ident: table), rank) VALUES ('hashsize', \(literal: defaultHashSize))").run()
        try await db.raw("INSERT INTO \(ident: table) (\(ident: table)) VALUES ('optimize')").run()
    }

    static let rebuildHashSize = 64 << 20
    static let defaultHashSize = 1 << 20
}
