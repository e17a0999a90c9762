/// A service's and an SLA's tickets, newest first, from partial indexes of the tickets that have
/// one.
///
/// Znuny's `ServiceIDs` and `SLAIDs` filters (and the REST API's) had no index: a page of a
/// service's tickets walked all tickets newest first testing each, which for a service with few
/// or no tickets meant every ticket (450–490 ms at 1 M on SQLite). Tickets without a service
/// or an SLA (every ticket of a desk that uses neither) are left out of the indexes, so such a
/// desk's creates do not maintain them.
enum Schema037 {
    static let statements = [
        "CREATE INDEX tickets_service ON tickets (service_id, created_at) WHERE service_id IS NOT NULL",
        "CREATE INDEX tickets_sla ON tickets (sla_id, created_at) WHERE sla_id IS NOT NULL",
    ]
}
