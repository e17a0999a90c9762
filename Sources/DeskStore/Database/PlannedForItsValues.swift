import SQLKit

/// A statement whose best plan depends on the values it binds: the searches (a common value or
/// a rare one, a title word in every ticket or in a few), or on a table whose size changes
/// fast (the outbox's claim). `PreparingPostgresDatabase` sends it unnamed, so PostgreSQL plans
/// it for its values and the table's current size each time, as before statements were
/// prepared; a prepared statement may be given one generic plan for all values, kept until
/// the table's statistics change.
struct PlannedForItsValues: SQLExpression {
    let statement: SQLQueryString

    func serialize(to serializer: inout SQLSerializer) {
        statement.serialize(to: &serializer)
    }
}

/// `db.raw(statement)` for a statement that carries a marker for the connection
/// (`PlannedForItsValues`, `IndependentOfHeldInserts`): fetched the same way (`all()`, `first()`).
final class MarkedStatementBuilder: SQLQueryFetcher, @unchecked Sendable {
    let database: any SQLDatabase
    let query: any SQLExpression

    init(_ query: any SQLExpression, on database: any SQLDatabase) {
        self.database = database
        self.query = query
    }
}

extension SQLDatabase {
    /// A search: planned for its values (see `PlannedForItsValues`).
    func search(_ statement: SQLQueryString) -> MarkedStatementBuilder {
        MarkedStatementBuilder(PlannedForItsValues(statement: statement), on: self)
    }
}
