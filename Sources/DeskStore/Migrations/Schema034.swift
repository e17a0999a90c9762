import SQLKit

/// A customer's and a customer user's tickets, newest first, read from indexes of the
/// lower-cased columns in that order.
///
/// Tickets are looked up by customer id and customer user both as stored (the permission scope
/// of a customer user, `CustomerIDRaw`, the requesters of WHMCS and osTicket) and without case
/// (Znuny's `CustomerID` and `CustomerUserLogin`, WHMCS GetTickets by e-mail, osTicket's
/// clientTickets, django-helpdesk's user_tickets). The plain indexes served only the first: at
/// 1 M tickets PostgreSQL answered `LOWER(customer_id) = …` in 90 ms for a customer with 500
/// tickets and `LOWER(customer_user_id) = …` in 1.4 s for a login without any, walking every
/// ticket. Each column now has one index, of its lower-cased value, and the exact comparisons
/// go through it with the plain test as a recheck (`TicketSearchSQL.exactly`); the creation
/// time and id follow, so a page newest first is a walk down the index rather than a sort of
/// all the customer's tickets (500 per customer in `bench load`: 14–36 ms on PostgreSQL with
/// their pages not cached, 0.4 ms walked).
enum Schema034 {
    /// The index of lower-cased customer ids, which a sort by customer id also walks.
    static let customerIDIndex = "tickets_customer_lower"

    static let statements = [
        "DROP INDEX IF EXISTS tickets_customer_id",
        "DROP INDEX IF EXISTS tickets_customer_user",
        "CREATE INDEX tickets_customer_lower ON tickets (LOWER(customer_id), created_at, id)",
        "CREATE INDEX tickets_customer_user_lower ON tickets (LOWER(customer_user_id), created_at, id)",
    ]

    /// PostgreSQL: each column and its lower-cased value, as functionally dependent. Taken as
    /// independent, an exact comparison and its lower-cased twin made a customer's ~500 tickets
    /// an estimate of one, and the planner sorted them all (3.8 ms) instead of walking the
    /// index to the page (0.35 ms).
    static let postgresStatistics = [
        "CREATE STATISTICS tickets_customer_lower_dependency (dependencies) ON customer_id, (LOWER(customer_id)) FROM tickets",
        "CREATE STATISTICS tickets_customer_user_lower_dependency (dependencies) ON customer_user_id, (LOWER(customer_user_id)) FROM tickets",
    ]

    /// The statements, and on PostgreSQL the dependencies and an `ANALYZE` that fills them and the
    /// new expressions' statistics.
    static func migrate(_ db: any SQLDatabase, kind: DatabaseKind) async throws {
        for statement in statements + (kind == .postgres ? postgresStatistics : []) {
            try await db.raw(SQLQueryString(statement)).run()
        }
        if kind == .postgres { try await db.raw("ANALYZE tickets").run() }
    }
}
