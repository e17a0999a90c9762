import SQLKit

/// A priority's and a lock's tickets, newest first, from partial indexes of the tickets whose
/// priority is not "3 normal" or whose lock is not "unlock".
///
/// Znuny's `PriorityIDs` and `LockIDs` filters (and the REST API's `priority_id`, `lock_id`)
/// had no index: a page of a value few tickets have walked all tickets newest first testing each
/// (200–230 ms at 1 M on SQLite, 125–160 ms on PostgreSQL, for `LockIDs=3` that no ticket has).
/// Most tickets of a real desk are of normal priority and unlocked, and so are the tickets every
/// face creates unless told otherwise, so the usual create maintains nothing more; a ticket an
/// agent locks or gives another priority enters the index (an update that changes the priority
/// took ~7 % more CPU: docs/performance-log.md). As with migration 38, the search states the
/// index's condition (`priority_id <> 3`) when the filter leaves that value out
/// (`TicketSearchSQL.idConditions`); a filter that asks for it walks by creation time as before,
/// where its tickets are dense.
///
/// A SQLite database with planner statistics gets them for the new indexes: without them SQLite
/// took the priority index for a queue's open tickets of one priority sorted by priority and
/// sorted its 200,000 entries (2–3 → 90–110 ms at 1 M) instead of reading the queue's index.
enum Schema040 {
    /// "3 normal", the priority the partial index leaves out.
    static let normalPriorityID = 3
    /// "unlock", the lock the partial index leaves out.
    static let unlockedID = 1

    static let indexes: [(name: String, statement: SQLQueryString)] = [
        (
            "tickets_priority",
            "CREATE INDEX tickets_priority ON tickets (priority_id, created_at) WHERE priority_id <> \(literal: normalPriorityID)"
        ),
        ("tickets_lock", "CREATE INDEX tickets_lock ON tickets (lock_id, created_at) WHERE lock_id <> \(literal: unlockedID)"),
    ]

    static func migrate(_ db: any SQLDatabase, kind: DatabaseKind) async throws {
        for (name, statement) in indexes {
            try await db.raw(statement).run()
            try await db.analyzeNewIndex(name, kind: kind)
        }
    }
}
