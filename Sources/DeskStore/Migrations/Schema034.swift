/// A customer's and a customer user's tickets, newest first, read from an index in that order.
///
/// - `tickets_customer_created` replaces `tickets_customer_id`: the tickets of one customer id
///   by creation time, so a page of them is a walk down the index instead of a sort of all of
///   them (500 per customer in `bench load`'s million: 14–36 ms on PostgreSQL with its pages
///   not cached, 0.4–1.4 ms walked).
/// - `tickets_customer_user_lower`: tickets of a customer user compared without case (WHMCS
///   GetTickets by e-mail, osTicket's clientTickets, django-helpdesk's user_tickets:
///   `TicketSearchSQL.loginsCondition`). The plain index on `customer_user_id` cannot serve
///   `LOWER(customer_user_id)`: PostgreSQL read all 1 M tickets (1.4 s), now 0.5 ms.
///
/// The id ends both keys for ties (`ORDER BY created_at DESC, id DESC`); on SQLite every index
/// ends with the rowid anyway.
enum Schema034 {
    static let statements = [
        "DROP INDEX IF EXISTS tickets_customer_id",
        "CREATE INDEX tickets_customer_created ON tickets (customer_id, created_at, id)",
        "CREATE INDEX tickets_customer_user_lower ON tickets (LOWER(customer_user_id), created_at, id)",
    ]
}
