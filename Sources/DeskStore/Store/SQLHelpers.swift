import SQLKit

/// A value bound into a statement.
typealias Bindable = any Encodable & Sendable

extension SQLDatabase {
    /// Inserts `rows` in one multi-row statement; with `returningID` the new ids come back in row order.
    ///
    /// The SQL text is written out directly rather than through SQLKit's insert builder, whose
    /// identifier quoting showed in the create path's profile; table and column names are the
    /// store's own constants, never input.
    @discardableResult
    func insertRows<Rows: Collection<[Bindable]>>(_ table: String, _ columns: [String], _ rows: Rows, returningID: Bool = false)
        async throws -> [Int]
    {
        guard !rows.isEmpty else { return [] }
        var sql = SQLQueryString.insert(table, columns, rows)
        guard returningID else {
            try await raw(sql).run()
            return []
        }
        sql += " RETURNING id"
        return try await raw(sql).all().map { try $0.decode(column: "id", as: Int.self) }
    }

    /// Whether the SQLite database has the table `name` (for tables a later migration adds).
    func sqliteTableExists(_ name: String) async throws -> Bool {
        try await raw("SELECT 1 AS one FROM sqlite_master WHERE type = 'table' AND name = \(bind: name)").first() != nil
    }
}

extension SQLQueryString {
    /// `INSERT INTO table (columns) VALUES (…), (…)` for `rows`.
    static func insert<Rows: Collection<[Bindable]>>(_ table: String, _ columns: [String], _ rows: Rows) -> SQLQueryString {
        let head: String = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
        var sql = SQLQueryString(head)
        for (index, row) in rows.enumerated() {
            sql += index == 0 ? "(\(binds: row))" : ", (\(binds: row))"
        }
        return sql
    }
}
