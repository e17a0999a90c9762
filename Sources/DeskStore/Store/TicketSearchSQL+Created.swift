import DeskCore
import SQLKit

/// Znuny's `CreatedTypeIDs`, `CreatedPriorityIDs`, `CreatedStateIDs` and `CreatedQueueIDs`:
/// the values a ticket was created with, which its `TicketCreated` event holds.
///
/// Two ways to test them, both exact. As a set, `t.id IN (SELECT ticket_id FROM ticket_events
/// …)`: the database collects every matching creation event first, a pass over all of them
/// (~90 ms at 1 M tickets), then tests each ticket against the set: right for a value few
/// tickets were created with, and for counts. Per ticket, `EXISTS (…  h.ticket_id = t.id …)`:
/// one step in `ticket_events_kind_ticket` for each ticket the walk in sort order reaches (~2 µs),
/// so a common value finds its page among the newest tickets at once, while a rare one would
/// take that step for every ticket (~1 s at 1 M). SQLite plans the set whatever the value (a
/// page of a common value cost 160–540 ms at 1 M over HTTP), so there the probe looks at the
/// newest creation events (`createdSample`) and picks per query (`SearchProbe.walksCreated`);
/// PostgreSQL plans the set as a semi-join and picks by its own estimates.
extension TicketSearchSQL {
    /// The creation-event columns the query filters, with the ids each may have.
    var createdValues: [(column: String, ids: [Int])] {
        [
            ("type_id", query.createdTypeIDs), ("priority_id", query.createdPriorityIDs),
            ("state_id", query.createdStateIDs), ("queue_id", query.createdQueueIDs),
        ].filter { !$0.1.isEmpty }
    }

    /// Whether the probe should look at how common the created values are: on SQLite, for a
    /// query sorted newest first (the only order in which a walk that tests each ticket can
    /// stop at the page).
    var probesCreatedValues: Bool {
        kind == .sqlite && sortsNewestFirst && !createdValues.isEmpty
    }

    /// The tickets whose creation event has the filtered values: tested per ticket, all values
    /// in one step, when the probe found them common; else a set per filtered column. (One set
    /// for all columns would save SQLite a pass for a rare combination, but PostgreSQL then
    /// estimates the columns as independent and walked the tickets instead: 0.78–0.95 s for two
    /// values at 1 M tickets, against 0.1–0.16 s with a set each.)
    func createdConditions() -> [SQLQueryString] {
        let tests = createdTests
        guard !tests.isEmpty else { return [] }
        if probe?.commonCreatedValues == true {
            return [
                Self.ticketsWith("ticket_events", "h", "h.kind = 'TicketCreated' AND " + tests.joined(separator: " AND "), perTicket: true)
            ]
        }
        return tests.map { Self.ticketsWith("ticket_events", "h", "h.kind = 'TicketCreated' AND " + $0, perTicket: false) }
    }

    /// `SELECT COUNT(*) AS n, … AS tickets`: how many of the `sample` newest creation events (by
    /// ticket id) have the filtered values, and the highest ticket id (about as many tickets as
    /// the set would pass over).
    func createdSample(_ sample: Int) -> SQLQueryString {
        """
        SELECT COUNT(*) AS n, (SELECT MAX(id) FROM tickets) AS tickets FROM (SELECT * FROM ticket_events
        WHERE kind = 'TicketCreated' ORDER BY ticket_id DESC LIMIT \(literal: sample)) h WHERE
        """ + " " + createdTests.joined(separator: " AND ")
    }

    /// One test of a creation event `h` per filtered column.
    private var createdTests: [SQLQueryString] {
        createdValues.map { "h.\(unsafeRaw: $0.column) IN (\(binds: binds($0.ids)))" }
    }
}
