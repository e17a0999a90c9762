import SQLKit

/// A value bound into a statement.
typealias Bindable = any Encodable & Sendable

extension SQLDatabase {
    /// Inserts `rows` in one multi-row statement; with `returningID` the new ids come back in row order.
    @discardableResult
    func insertRows<Rows: Collection<[Bindable]>>(_ table: String, _ columns: [String], _ rows: Rows, returningID: Bool = false)
        async throws -> [Int]
    {
        guard !rows.isEmpty else { return [] }
        var builder = insert(into: table).columns(columns)
        for row in rows { builder = builder.values(row) }
        guard returningID else {
            try await builder.run()
            return []
        }
        return try await builder.returning(SQLColumn("id")).all().map { try $0.decode(column: "id", as: Int.self) }
    }
}
