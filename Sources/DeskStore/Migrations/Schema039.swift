import SQLKit

/// A queue's and an owner's tickets with the columns an agent's ticket list filters and sorts
/// by: `tickets_queue_state` and `tickets_owner_state` rebuilt wider, so that such a list is
/// read from the index alone (a covering index) instead of visiting each matching ticket.
///
/// Znuny sorts a queue's or an owner's open tickets by priority, state, lock, type, owner or
/// queue (`SortBy`); no index orders those, so every match is sorted. With the ticket's row
/// needed for the sort key, PostgreSQL visited the heap row of each of a queue's ~30,000 open
/// tickets at 1 M (117–141 ms over HTTP) and SQLite looked each up in the table (38–46 ms); from
/// the index alone 19–35 ms and 2.7–8.6 ms (docs/performance-log.md, "Sorting a queue's or an
/// owner's tickets by priority").
/// The key columns stay as they were (the owner's gains the creation time), then the ticket
/// id, so every plan that used the old indexes finds the same order; the rest ride along
/// (`CoveringIndex`). A SQLite database with planner statistics (a bulk load's `ANALYZE`) gets
/// them for the new indexes: without them SQLite took the wider owner index for a page newest
/// first and sorted (1.2 → 4.8 ms at 1 M).
enum Schema039 {
    /// The key columns per index: as before, and the owner's now ordered by creation time as the
    /// queue's is, so that one state of an owner's tickets newest first is read in order too.
    static let indexes: [(name: String, key: [String])] = [
        ("tickets_owner_state", ["owner_id", "state_id", "created_at"]),
        ("tickets_queue_state", ["queue_id", "state_id", "created_at"]),
    ]

    /// What an agent's list tests or sorts by besides the key: the agent scope (owner,
    /// responsible, queue), `LockIDs`, `TypeIDs`, `PriorityIDs`, the archive flag and the
    /// id-valued sort keys (`TicketSearchSQL.sortClauses`).
    static let carried = [
        "queue_id", "owner_id", "responsible_id", "priority_id", "lock_id", "type_id", "archive_flag", "created_at",
    ]

    static func migrate(_ db: any SQLDatabase, kind: DatabaseKind) async throws {
        for (name, key) in indexes {
            // A bulk load that died set the old form aside; it is built here instead.
            if try await DeferredIndexes.hasDeferredSchema(db, kind: kind) {
                try await db.raw("DELETE FROM deferred_schema WHERE name = \(bind: name)").run()
            }
            try await db.raw("DROP INDEX IF EXISTS \(ident: name)").run()
            try await db.raw(CoveringIndex.create(name, key: key, carrying: carried, kind: kind)).run()
            try await db.analyzeNewIndex(name, kind: kind)
        }
    }
}
