import DeskCore
import SQLKit

/// Conditions on a ticket's history or articles in a time window: Znuny's `TicketChangeTime…`
/// (any history row), `TicketCloseTime…` (a change to a closed state) and `ArticleCreateTime…`.
///
/// Like the created values (`TicketSearchSQL+Created`) they are tested as a set of tickets, or,
/// on SQLite for a window with many rows, per ticket: SQLite builds the set before the first
/// ticket, and an "older than" window holds most of the history (at 1 M tickets over HTTP:
/// `TicketChangeTimeOlderMinutes=60` 393–445 ms, `TicketCloseTimeOlderMinutes=60` 401–417 ms,
/// `ArticleCreateTimeOlderMinutes=60` 1.78–1.97 s). Per ticket it is one step among the ticket's
/// own rows (`ticket_events_ticket`, `articles_ticket`) for each ticket the walk reaches. The
/// probe (`SearchProbe.walksWindow`) keeps the set for a window of few rows, which its time
/// index reads at once, and for one that many tickets created after its end would make the
/// walk pass first; PostgreSQL plans the set as a semi-join and picks by its own estimates.
extension TicketSearchSQL {
    /// Which rows of a ticket a window looks at.
    enum TimeWindow: Hashable, Sendable, CaseIterable {
        case anyChange, closed, articleCreated
    }

    /// The window's bounds in the query, or nil when it does not filter by it.
    func bounds(of window: TimeWindow) -> (from: Int64?, to: Int64?)? {
        let bounds =
            switch window {
            case .anyChange: (query.anyChangeFrom, query.anyChangeTo)
            case .closed: (query.closedFrom, query.closedTo)
            case .articleCreated: (query.articleCreatedFrom, query.articleCreatedTo)
            }
        return bounds.0 == nil && bounds.1 == nil ? nil : bounds
    }

    /// The windows the query filters by.
    var timeWindows: [TimeWindow] { TimeWindow.allCases.filter { bounds(of: $0) != nil } }

    /// Whether the probe should look at the windows: on SQLite, for a query sorted newest first.
    var probesTimeWindows: Bool { kind == .sqlite && sortsNewestFirst && !timeWindows.isEmpty }

    /// The window's table, its alias and the test of one of its rows.
    func rows(of window: TimeWindow) -> (table: String, alias: String, test: SQLQueryString) {
        let (from, to) = bounds(of: window) ?? (nil, nil)
        let alias = window == .articleCreated ? "a" : "h"
        var tests: [SQLQueryString] = []
        if window == .closed {
            // Closed = created in, or changed to, a closed-type state.
            tests.append(
                """
                h.kind IN ('TicketCreated', 'StateChanged')
                AND h.state_id IN (SELECT s.id FROM ticket_states s JOIN ticket_state_types st ON st.id = s.type_id WHERE st.name = 'closed')
                """)
        }
        if let from { tests.append("\(unsafeRaw: alias).created_at >= \(bind: from)") }
        if let to { tests.append("\(unsafeRaw: alias).created_at <= \(bind: to)") }
        return (window == .articleCreated ? "articles" : "ticket_events", alias, tests.joined(separator: " AND "))
    }

    /// The tickets with a row in the window: per ticket when the probe chose it, else a set.
    func windowCondition(_ window: TimeWindow) -> SQLQueryString {
        let rows = rows(of: window)
        return Self.ticketsWith(rows.table, rows.alias, rows.test, perTicket: probe?.perTicketWindows.contains(window) == true)
    }

    /// The tickets that have a row of `table` (named `alias`, with a `ticket_id`) passing
    /// `test`: as the set of those rows' tickets, or per ticket as a search for such a row
    /// among the ticket's own.
    static func ticketsWith(_ table: String, _ alias: String, _ test: SQLQueryString, perTicket: Bool) -> SQLQueryString {
        if perTicket {
            return "EXISTS (SELECT 1 FROM \(unsafeRaw: table) \(unsafeRaw: alias) WHERE \(unsafeRaw: alias).ticket_id = t.id AND "
                + test + ")"
        }
        return "t.id IN (SELECT \(unsafeRaw: alias).ticket_id FROM \(unsafeRaw: table) \(unsafeRaw: alias) WHERE " + test + ")"
    }
}
