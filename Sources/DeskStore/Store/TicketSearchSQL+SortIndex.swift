import DeskCore
import SQLKit

/// A query sorted by one column that has an index in that order walks the index, testing each
/// ticket, instead of collecting and sorting every match (docs/search.md, "Sorting by an
/// indexed column").
///
/// - SQLite, change time or ticket number: given a queue's or an owner's open tickets, SQLite
///   reads them from the queue's or owner's index and sorts them all (~30,000 tickets, 40 ms at
///   1 M), where walking `tickets_changed` or the ticket-number index finds a page among the
///   first few thousand tickets (0.4 ms). PostgreSQL's planner weighs the two itself.
/// - Both databases, pending or escalation time newest first: only tickets that have one are in
///   its index (migrations 41 and 42); those without one (0) come after all of them in that
///   order, so a page filled from the index is exact. Znuny's pending window cannot say that
///   (it counts a pending ticket without a time as pending since 0), so neither planner could
///   use the index.
///
/// The walk is bounded: it reads the tickets down to the `budget`-th of the index's order within
/// the query's window on the column and no further (a range condition on the column, its value
/// read first), so matches that are many but far down the order cost at most that many tests
/// before the single statement sorts them.
extension TicketSearchSQL {
    /// The index whose order is the query's order.
    struct SortIndex: Sendable, Equatable {
        /// The sorted column of `tickets`.
        let column: String
        let index: String
        let ascending: Bool
        /// The index holds only tickets whose column is above 0 (a partial index).
        var onlySet = false
        /// The query's own bounds on the column (a time window): the walk starts where they do.
        var from: Int64? = nil
        var to: Int64? = nil

        /// The column holds text (ticket numbers), not a number.
        var isText: Bool { column == "tn" }
    }

    /// The unique index of ticket numbers, named by SQLite after the `UNIQUE` of `tickets` (migration 1).
    static let ticketNumberIndex = "sqlite_autoindex_tickets_1"

    /// The index to walk for a query sorted by one column (see the extension); none for a query
    /// that names its tickets by id or number, which match few.
    var sortIndex: SortIndex? {
        guard query.sort.count == 1, query.ticketIDs.isEmpty, query.ticketNumbers.isEmpty else { return nil }
        let (key, ascending) = query.sort[0]
        switch key {
        case .changed where kind == .sqlite:
            return SortIndex(
                column: "changed_at", index: "tickets_changed", ascending: ascending, from: query.changedFrom, to: query.changedTo)
        case .ticketNumber where kind == .sqlite:
            return SortIndex(column: "tn", index: Self.ticketNumberIndex, ascending: ascending)
        case .pendingTime where !ascending:
            return SortIndex(
                column: "until_time", index: Schema042.indexName, ascending: false, onlySet: true, from: query.pendingFrom,
                to: query.pendingTo)
        case .escalationTime where !ascending:
            return SortIndex(
                column: "escalation_time", index: Schema041.indexName, ascending: false, onlySet: true, from: query.escalationFrom,
                to: query.escalationTo)
        default:
            return nil
        }
    }

    /// Whether the walk waits for the probe's count of many matches (`SearchProbe`). The walks of
    /// the partial indexes do not: those hold only tickets with a time and carry the common
    /// filters, so a walk that finds little costs little, while counting Znuny's due reminders
    /// read the pending tickets through the state index (38 ms at 1 M; the walk 0.04 ms).
    var sortIndexWaitsForCount: Bool { sortIndex.map { !$0.onlySet } ?? false }

    /// `SELECT … AS bound`: the column's value at the `budget`-th ticket of `sortIndex`'s order
    /// within the query's window on the column; no row when the window holds fewer tickets.
    func sortIndexBound(_ sortIndex: SortIndex, budget: Int) -> SQLQueryString {
        let column = sortIndex.column
        var window: [SQLQueryString] = sortIndex.onlySet ? ["\(ident: column) > 0"] : []
        if let from = sortIndex.from { window.append("\(ident: column) >= \(bind: from)") }
        if let to = sortIndex.to { window.append("\(ident: column) <= \(bind: to)") }
        var sql: SQLQueryString = "SELECT \(ident: column) AS bound FROM tickets"
        if !window.isEmpty { sql += " WHERE " + window.joined(separator: " AND ") }
        return sql
            + " ORDER BY \(ident: column) \(unsafeRaw: sortIndex.ascending ? "ASC" : "DESC") LIMIT 1 OFFSET \(literal: max(0, budget - 1))"
    }

    /// The first `limit` matches among the tickets of `sortIndex`'s order down to `bound` (from
    /// `sortIndexBound`; nil: the whole window, which then holds fewer than the budget), read
    /// through that index in order (SQLite is told the index: without statistics it would not
    /// pick it). Exact when it returns `limit` rows.
    func sortIndexWalk(_ sortIndex: SortIndex, bound: (any Encodable & Sendable)?, limit: Int) -> SQLQueryString {
        let source: SQLQueryString = kind == .sqlite ? "tickets t INDEXED BY \(ident: sortIndex.index)" : "tickets t"
        var walked = conditions()
        if sortIndex.onlySet { walked.append("t.\(ident: sortIndex.column) > 0") }
        if let bound {
            walked.append("t.\(ident: sortIndex.column) \(unsafeRaw: sortIndex.ascending ? "<=" : ">=") \(binds: [bound])")
        }
        return "SELECT t.id FROM " + source + " WHERE " + walked.joined(separator: " AND ") + " ORDER BY "
            + sortClauses().order.joined(separator: ", ") + " LIMIT \(literal: limit)"
    }
}
