import DeskCore
import SQLKit

/// Tickets sorted by creation time alone on PostgreSQL: one queue or owner read from its
/// (column, created) index, a few of them read one by one and merged.
extension TicketSearchSQL {
    /// PostgreSQL, sorted by creation time alone: `t.queue_id` when the query names one queue,
    /// else `t.owner_id` for one owner. The sort then leads with that column and the condition
    /// reads `= ANY(ARRAY[…])`, so that only the (column, created_at) index yields the order and
    /// the database reads that one queue's or owner's tickets newest first.
    ///
    /// Written plainly, the column equals a constant, PostgreSQL drops it from the sort, and the
    /// planner weighs that index against walking `tickets_created` and filtering. It prices the
    /// walk as if the queue's tickets were spread evenly over time (and the walk's heap reads as
    /// sequential): after a flood of new tickets in another queue it walked the whole flood
    /// (64,000 tickets, 20–400 ms, against 0.6 ms; the PostgreSQL soak's main grower).
    var creationOrderColumn: String? {
        guard kind == .postgres, sortsByCreation else { return nil }
        if query.queueIDs.count == 1 { return "t.queue_id" }
        if query.ownerIDs.count == 1 { return "t.owner_id" }
        return nil
    }

    /// Sorted by creation time alone, in either direction: no sort key (the default, newest
    /// first), or `Created`/`Age` alone.
    var sortsByCreation: Bool {
        guard let first = query.sort.first else { return true }
        guard query.sort.count == 1 else { return false }
        switch first.key {
        case .created, .age: return true
        default: return false
        }
    }

    /// At most this many queues (or owners) are read one by one (`mergedByCreation`), and at
    /// most this many tickets (offset and page) from each.
    static let mergedLists = 16
    static let mergedReach = 1_000

    /// PostgreSQL, a few queues (or, without queues, a few owners) sorted by creation time
    /// alone: each one's first `offset + limit` tickets newest (or oldest) first, read as for
    /// one queue or owner (`creationOrderColumn`: from its (column, created) index), then merged
    /// by creation time and paged. Written as one `IN (…)`, the order cannot come from that
    /// index (PostgreSQL 15 does not merge an `IN` list's index reads), and after a flood of new
    /// tickets elsewhere the planner walked `tickets_created` through the whole flood, filtering.
    func mergedByCreation() -> SQLQueryString? {
        let list: WritableKeyPath<TicketQuery, [Int]> = query.queueIDs.isEmpty ? \.ownerIDs : \.queueIDs
        let ids = Array(Set(query[keyPath: list])).sorted()
        let reach = pageSize + pageOffset
        guard kind == .postgres, sortsByCreation, (2...Self.mergedLists).contains(ids.count), reach <= Self.mergedReach
        else { return nil }
        let branches = ids.map { id -> SQLQueryString in
            var one = self
            one.query[keyPath: list] = [id]
            return "(" + one.rows("t.id, t.created_at", limit: reach, offset: 0) + ")"
        }
        let direction = query.sort.first?.ascending == true ? "ASC" : "DESC"
        var sql: SQLQueryString = "SELECT m.id FROM (" + branches.joined(separator: " UNION ALL ") + ") AS m"
        // The same order as the single statement's: creation time, then the highest id first.
        sql += " ORDER BY m.created_at \(unsafeRaw: direction), m.id DESC LIMIT \(literal: pageSize)"
        if pageOffset > 0 { sql += " OFFSET \(literal: pageOffset)" }
        return sql
    }
}
