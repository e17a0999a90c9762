import DeskCore
import SQLKit

/// A query sorted by one column that has an index in that order walks the index, testing each
/// ticket, instead of collecting and sorting every match (docs/search.md, "Sorting by an
/// indexed column").
///
/// - SQLite, change time, ticket number, title or customer id: given a queue's or an owner's
///   open tickets, SQLite reads them from the queue's or owner's index and sorts them all
///   (~30,000 tickets, 40 ms at 1 M), where walking `tickets_changed`, the ticket-number index,
///   `tickets_title_lower` or `tickets_customer_lower` (titles and customer ids sort without
///   case: `sortClauses`) finds a page among the first few thousand tickets (0.4 ms).
///   PostgreSQL's planner weighs the two itself. Values equal without case follow by ticket
///   id: the database sorts each such group as the walk reaches it. Tickets without a customer
///   id (NULL) come first in SQLite's ascending order: those that match are read first, from
///   the start of the index (`sortIndexUnset`), and the walk fills the rest of the page.
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
        /// The index holds the column lower-cased (`LOWER(column)`): a sort without case.
        var lowered = false
        /// The index holds only tickets whose column is above 0 (a partial index).
        var onlySet = false
        /// The column may be NULL, which SQLite's order puts before every value: the walk
        /// reads only values; the NULLs before them, ascending, are read first.
        var nullable = false
        /// The query's own bounds on the column (a time window): the walk starts where they do.
        var from: Int64? = nil
        var to: Int64? = nil

        /// The sorted value holds text (ticket numbers, titles, customer ids), not a number.
        var isText: Bool { column == "tn" || lowered }

        /// Matches without a value come before the walked ones (`sortIndexUnset`).
        var unsetFirst: Bool { nullable && ascending }

        /// The sorted value of ticket `t`, or of the row of `tickets` when not `qualified`.
        func key(qualified: Bool) -> SQLQueryString {
            let column: SQLQueryString = qualified ? "t.\(ident: column)" : "\(ident: column)"
            return lowered ? "LOWER(" + column + ")" : column
        }
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
        case .title where kind == .sqlite:
            return SortIndex(column: "title", index: Schema035.indexName, ascending: ascending, lowered: true)
        case .customerID where kind == .sqlite:
            return SortIndex(column: "customer_id", index: Schema034.customerIDIndex, ascending: ascending, lowered: true, nullable: true)
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
        let key = sortIndex.key(qualified: false)
        var window: [SQLQueryString] = sortIndex.onlySet ? [key + " > 0"] : sortIndex.nullable ? [key + " IS NOT NULL"] : []
        if let from = sortIndex.from { window.append(key + " >= \(bind: from)") }
        if let to = sortIndex.to { window.append(key + " <= \(bind: to)") }
        var sql: SQLQueryString = "SELECT " + key + " AS bound FROM tickets"
        if !window.isEmpty { sql += " WHERE " + window.joined(separator: " AND ") }
        return sql + " ORDER BY " + key
            + " \(unsafeRaw: sortIndex.ascending ? "ASC" : "DESC") LIMIT 1 OFFSET \(literal: max(0, budget - 1))"
    }

    /// The first `limit` matches among the tickets of `sortIndex`'s order down to `bound` (from
    /// `sortIndexBound`; nil: the whole window, which then holds fewer than the budget), read
    /// through that index in order (SQLite is told the index: without statistics it would not
    /// pick it). Exact when it returns `limit` rows.
    func sortIndexWalk(_ sortIndex: SortIndex, bound: (any Encodable & Sendable)?, limit: Int) -> SQLQueryString {
        let source: SQLQueryString = kind == .sqlite ? "tickets t INDEXED BY \(ident: sortIndex.index)" : "tickets t"
        var walked = conditions()
        let key = sortIndex.key(qualified: true)
        if sortIndex.onlySet { walked.append(key + " > 0") }
        if sortIndex.nullable { walked.append(key + " IS NOT NULL") }
        if let bound { walked.append(key + " \(unsafeRaw: sortIndex.ascending ? "<=" : ">=") \(binds: [bound])") }
        return "SELECT t.id FROM " + source + " WHERE " + walked.joined(separator: " AND ") + " ORDER BY "
            + sortClauses().order.joined(separator: ", ") + " LIMIT \(literal: limit)"
    }

    /// `SELECT … AS n`: how many tickets lack a value, counted up to `cap` from the start of
    /// `sortIndex`'s index (SQLite), so that reading the matches among them stays bounded.
    func sortIndexUnsetCount(_ sortIndex: SortIndex, cap: Int) -> SQLQueryString {
        "SELECT COUNT(*) AS n FROM (SELECT 1 FROM tickets INDEXED BY \(ident: sortIndex.index) WHERE "
            + sortIndex.key(qualified: false) + " IS NULL LIMIT \(literal: cap)) AS unset"
    }

    /// The first `limit` matches without a value (`SortIndex.unsetFirst`), in the query's order,
    /// from the start of `sortIndex`'s index, where SQLite keeps them.
    func sortIndexUnset(_ sortIndex: SortIndex, limit: Int) -> SQLQueryString {
        let unset = conditions() + [sortIndex.key(qualified: true) + " IS NULL"]
        return "SELECT t.id FROM tickets t INDEXED BY \(ident: sortIndex.index) WHERE " + unset.joined(separator: " AND ")
            + " ORDER BY " + sortClauses().order.joined(separator: ", ") + " LIMIT \(literal: limit)"
    }
}
