/// A type's and a responsible agent's tickets, newest first, from partial indexes of the tickets
/// whose type or responsible agent is not the default one (id 1: "Unclassified", the admin).
///
/// Znuny's `TypeIDs` and `ResponsibleIDs` filters (and the REST API's `type_id`,
/// `responsible_id`) had no index: a page of a rare type's tickets walked all tickets newest
/// first testing each (210–220 ms at 1 M on SQLite for a value no ticket has). New tickets take
/// type 1 and responsible 1 unless told otherwise, so a desk that does not use types or
/// responsibles maintains nothing more on a create. The search adds the index's condition
/// (`type_id <> 1`) to a filter that leaves 1 out (`TicketSearchSQL.idConditions`): SQLite
/// uses a partial index only for a query that states its condition, and PostgreSQL's generic
/// plans cannot prove it from bound values. A filter that asks for 1 walks as before.
enum Schema038 {
    /// The id whose tickets the partial indexes leave out.
    static let defaultID = 1

    static let statements = [
        "CREATE INDEX tickets_type ON tickets (type_id, created_at) WHERE type_id <> \(defaultID)",
        "CREATE INDEX tickets_responsible ON tickets (responsible_id, created_at) WHERE responsible_id <> \(defaultID)",
    ]
}
