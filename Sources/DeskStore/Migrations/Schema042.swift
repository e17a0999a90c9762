import SQLKit

/// The tickets with a pending time in pending-time order, carrying what an agent's list filters
/// by, like migration 41's escalation deadlines: a page of pending tickets sorted by pending time
/// is read in order instead of sorting every pending ticket.
///
/// Znuny's reminder list (`StateType=pending reminder`, `TicketPendingTimeOlderMinutes`,
/// `SortBy=PendingTime`, newest first) sorted all 70,000 pending tickets at 1 M on the bench
/// data: 90–128 ms on SQLite, 121–136 ms on PostgreSQL over HTTP. Znuny's window counts a pending
/// ticket without a pending time as pending since 0, so its query cannot state `until_time > 0`;
/// sorted newest first those tickets come last, and the search walks this index for the page
/// first (`TicketSearchSQL.sortIndex`). Migration 19's partial index holds the same tickets by
/// id, for the pending check's batches. A ticket enters the index when it is set pending with a
/// time and moves when the time does.
enum Schema042 {
    static let indexName = "tickets_pending_order"

    static func migrate(_ db: any SQLDatabase, kind: DatabaseKind) async throws {
        let statement = CoveringIndex.create(
            indexName, key: ["until_time", "id"], carrying: Schema041.carried, where: "until_time > 0", kind: kind)
        try await db.raw(statement).run()
        try await db.analyzeNewIndex(indexName, kind: kind)
    }
}
