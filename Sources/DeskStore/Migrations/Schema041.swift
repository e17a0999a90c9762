import SQLKit

/// The tickets with an escalation deadline in deadline order: Znuny's escalation view (a
/// `TicketEscalationTime…` window sorted by `EscalationTime`) reads its page in order and stops.
///
/// Migration 26's partial index holds the same tickets by id, for the escalation check's
/// batches; a search for the deadlines before a time, soonest first, read every escalating
/// ticket through it and sorted them (23,000 at 1 M on the benchmark's data: 28–40 ms on SQLite,
/// 67–88 ms on PostgreSQL over HTTP). Every escalation window states `escalation_time > 0`
/// (`TicketSearchSQL.timeConditions`), the index's condition, so both planners can use it. A
/// ticket enters the index when it gets a deadline (a queue or SLA with escalation minutes)
/// and moves when the deadline does; tickets in queues without minutes and closed tickets
/// (deadline 0) cost nothing.
///
/// The index carries what an agent's escalation view filters by (`CoveringIndex`): the queue,
/// state, owner, responsible agent and archive flag. Without them PostgreSQL, taking a queue's
/// escalating tickets to be spread like all the others, walked the whole index for a queue
/// without deadlines and visited every ticket (12–15 → 43–55 ms); from the index alone 2.3 ms.
enum Schema041 {
    static let indexName = "tickets_escalation_order"

    /// The agent scope (owner, responsible, queue), `StateType`/`StateIDs` and the archive flag.
    static let carried = ["queue_id", "state_id", "owner_id", "responsible_id", "archive_flag"]

    static func migrate(_ db: any SQLDatabase, kind: DatabaseKind) async throws {
        let statement = CoveringIndex.create(
            indexName, key: ["escalation_time", "id"], carrying: carried, where: "escalation_time > 0", kind: kind)
        try await db.raw(statement).run()
        try await db.analyzeNewIndex(indexName, kind: kind)
    }
}
