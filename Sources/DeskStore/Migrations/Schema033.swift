import SQLKit

/// PostgreSQL: a finer histogram of `LOWER(title)`, so that the title probe's plan follows how
/// common a pattern really is.
///
/// The probe asks for a pattern's first 201 tickets (`SearchProbe`). For a common pattern the
/// planner reads the table until it has them (3–4 ms at 1 M tickets); for a rare one, the GIN
/// trigram index, whose bitmap holds every match before the first is returned: 17–32 ms for a
/// word in 5.5 % of the titles. It tells common from rare by the histogram of `LOWER(title)`,
/// kept with the two indexes on that expression: of the 99 inner entries of the server's
/// default histogram a word in 5.5 % of the titles matched one, by chance, then and again, and
/// was taken for a word in 1 %. With 300 entries no word of the benchmark's list was estimated
/// below 3 % in three analyses, and none took the bitmap (docs/performance-log.md). `ANALYZE
/// tickets` reads 90,000 sample rows instead of 30,000 (1.8 s instead of 0.5 s at 1 M tickets).
///
/// `pg_indexes` does not give the target with an index's definition, so a bulk load that set
/// the indexes aside sets it again (`DeferredIndexes.restore`).
enum Schema033 {
    static let statisticsTarget = 300
    /// The indexes on `LOWER(title)` and that expression's column in each. The planner reads the
    /// statistics of whichever it meets first, so all get the target (migration 35 added the
    /// third).
    static let titleColumns = [("tickets_title_trgm", 1), (Schema015.indexName, 2), (Schema035.indexName, 1)]

    static func migrate(_ db: any SQLDatabase, kind: DatabaseKind) async throws {
        try await setTargets(db, kind: kind)
        if kind == .postgres { try await db.raw("ANALYZE tickets").run() }
    }

    /// Sets the target on those of the indexes that exist (pg_trgm and btree_gist may have been
    /// missing, migrations 4 and 15).
    static func setTargets(_ db: any SQLDatabase, kind: DatabaseKind) async throws {
        guard kind == .postgres else { return }
        for (index, column) in titleColumns where try await db.hasIndex(index) {
            try await db.raw(
                "ALTER INDEX \(ident: index) ALTER COLUMN \(literal: column) SET STATISTICS \(literal: statisticsTarget)"
            ).run()
        }
    }
}
