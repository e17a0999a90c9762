import SQLKit

/// PostgreSQL: a GiST index of the ticket id together with the title's trigrams
/// (`tickets_title_order`), which answers `LOWER(title) LIKE …` ordered by the distance of the
/// id from a number above every id (btree_gist's `<->`): a title pattern's tickets read highest
/// id first, so that a search sorted newest first stops at its page instead of walking every
/// newer ticket without the pattern (docs/search.md, "Walking by ticket id"). The GIN trigram
/// index stays for the probe's unordered reads. SQLite reads its trigram table of titles in
/// rowid order already. Migration 18 rebuilds an index made by the first form of this migration.
enum Schema015 {
    static let indexName = "tickets_title_order"

    /// The index. The id comes first, so that the tree is ordered by id like a B-tree and new
    /// tickets go to its highest end, and each title's trigrams are a 64-byte signature (the
    /// default is 12), so that a page of titles without the pattern is mostly passed over whole.
    /// The first form, trigrams first with 12-byte signatures, grew into a tree whose pages
    /// each spanned many ids, and the walk read more of it as tickets arrived (212,000 tickets
    /// after 62,000 unlike ones: 8.5–12.8 ms for a page of a common word, 0.10–0.22 ms with
    /// this form; docs/performance-log.md).
    static let createIndex = SQLQueryString(
        "CREATE INDEX \(indexName) ON tickets USING GIST (\(idKey()), \(titleKey()) gist_trgm_ops(siglen = 64))")

    /// The indexed expression: the lowered title relabelled to the "C" collation (LIKE matches
    /// the same under any deterministic collation). Only the walk writes it, so the planner
    /// never takes this index for other title conditions: for a rare pattern its lossy
    /// signatures cost 25 ms where the GIN index takes 4 (212,000 tickets).
    static func titleKey(_ column: String = "title") -> String { "(LOWER(\(column)) COLLATE \"C\")" }

    /// The indexed id: `id + 0`, for the same reason. On `id` itself the planner took this index
    /// for lookups by id (`t.id IN (SELECT a.ticket_id …)`), 17 ms each instead of a step down
    /// the primary key: a full-text search took 3 s at 1 M tickets.
    static func idKey(_ column: String = "id") -> String { "(\(column) + 0)" }

    /// Needs the pg_trgm and btree_gist extensions (both in PostgreSQL's contrib package, both
    /// trusted: a database owner may create them); without them title patterns keep the walk
    /// by creation time, and the migration says so.
    static func migrate(_ db: any SQLDatabase, kind: DatabaseKind) async throws {
        guard kind == .postgres else { return }
        try await OptionalStep.run(
            db, savepoint: "title_order",
            warning: "btree_gist or pg_trgm is not available: title searches sorted newest first will walk tickets by creation time"
        ) {
            try await db.raw("CREATE EXTENSION IF NOT EXISTS btree_gist").run()
            try await db.raw(createIndex).run()
        }
    }
}
