import DeskCore
import SQLKit

/// SQLite: a query sorted by change time or ticket number alone walks that column's index in
/// sort order, testing each ticket, instead of collecting and sorting every match (docs/search.md,
/// "Sorting by change time or ticket number").
///
/// Given a queue's or an owner's open tickets, SQLite reads them from the queue's or owner's
/// index and sorts them all: ~30,000 tickets, 40 ms at 1 M. Walking `tickets_changed` or the
/// ticket-number index newest first finds a page among the first few thousand tickets when the
/// matches are not rare (0.4 ms). The walk is bounded: it reads the tickets down to the
/// `budget`-th of the order and no further (a range condition on the column), so matches that
/// are many but old cost at most that many tests before the single statement sorts them.
/// PostgreSQL's planner weighs the two plans itself and walks these indexes already.
extension TicketSearchSQL {
    /// The index whose order is the query's order.
    struct SortIndex: Sendable, Equatable {
        /// The sorted column of `tickets`.
        let column: String
        let index: String
        let ascending: Bool
    }

    /// The unique index of ticket numbers, named by SQLite after the `UNIQUE` of `tickets` (migration 1).
    static let ticketNumberIndex = "sqlite_autoindex_tickets_1"

    /// On SQLite, for a query sorted by change time or ticket number alone: that column's index.
    var sortIndex: SortIndex? {
        guard kind == .sqlite, query.sort.count == 1 else { return nil }
        let (key, ascending) = query.sort[0]
        switch key {
        case .changed: return SortIndex(column: "changed_at", index: "tickets_changed", ascending: ascending)
        case .ticketNumber: return SortIndex(column: "tn", index: Self.ticketNumberIndex, ascending: ascending)
        default: return nil
        }
    }

    /// The first `limit` matches among the first `budget` tickets of `sortIndex`'s order (all
    /// tickets whose column is at or before the `budget`-th one's value), read through that
    /// index in order: exact when it returns `limit` rows. None on a database of fewer than
    /// `budget` tickets, where the single statement is cheap anyway.
    func sortIndexWalk(_ sortIndex: SortIndex, budget: Int, limit: Int) -> SQLQueryString {
        let direction = sortIndex.ascending ? "ASC" : "DESC"
        let bound: SQLQueryString = """
            t.\(ident: sortIndex.column) \(unsafeRaw: sortIndex.ascending ? "<=" : ">=") (SELECT \(ident: sortIndex.column) FROM tickets \
            ORDER BY \(ident: sortIndex.column) \(unsafeRaw: direction) LIMIT 1 OFFSET \(literal: max(0, budget - 1)))
            """
        var sql: SQLQueryString = "SELECT t.id FROM tickets t INDEXED BY \(ident: sortIndex.index) WHERE "
        sql += ([bound] + conditions()).joined(separator: " AND ")
        sql += " ORDER BY " + sortClauses().order.joined(separator: ", ") + " LIMIT \(literal: limit)"
        return sql
    }
}
