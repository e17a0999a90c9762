import SQLKit

/// A statement whose best plan depends on the values it binds: the searches (a common value or
/// a rare one, a title word in every ticket or in a few). `PreparingPostgresDatabase` sends it
/// unnamed, so PostgreSQL plans it for its values each time, as before statements were
/// prepared; a prepared statement may be given one generic plan for all values.
struct PlannedForItsValues: SQLExpression {
    let statement: SQLQueryString

    init(_ statement: SQLQueryString) {
        self.statement = statement
    }

    func serialize(to serializer: inout SQLSerializer) {
        statement.serialize(to: &serializer)
    }
}

extension SQLDatabase {
    /// Every row of a search statement (see `PlannedForItsValues`).
    func search(_ statement: SQLQueryString) async throws -> [any SQLRow] {
        let rows = RowCollector()
        try await execute(sql: PlannedForItsValues(statement)) { rows.append($0) }
        return rows.all
    }
}

/// Collects the rows `SQLDatabase.execute` hands over one after another.
private final class RowCollector: @unchecked Sendable {
    private(set) var all: [any SQLRow] = []

    func append(_ row: any SQLRow) {
        all.append(row)
    }
}
