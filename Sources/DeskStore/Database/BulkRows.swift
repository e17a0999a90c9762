import SQLKit
import SQLiteNIO

/// Rows for one table of a bulk insert (`SQLDatabase.insertMany`), stored flat, one value per
/// column, row after row, already in the form the database binds: a loader builds them on its
/// own thread while the writer inserts the previous batch, and the writer only binds and steps.
struct BulkRows: Sendable {
    let columns: [String]
    private(set) var values: Values
    /// Rows appended so far.
    private(set) var count = 0

    enum Values: Sendable {
        /// SQLite: bound group by group to a statement compiled once (`SQLiteHandle.insert`).
        case sqlite([SQLiteData])
        /// PostgreSQL: sent as multi-row INSERTs.
        case bindable([Bindable])
    }

    /// One value of a bulk row: the loaders only need integers and text.
    enum Value: Sendable, ExpressibleByIntegerLiteral, ExpressibleByStringLiteral {
        case int(Int)
        case text(String)

        init(integerLiteral value: Int) { self = .int(value) }
        init(stringLiteral value: String) { self = .text(value) }
    }

    init(columns: [String], for kind: DatabaseKind, capacity: Int = 0) {
        self.columns = columns
        switch kind {
        case .sqlite:
            var values: [SQLiteData] = []
            values.reserveCapacity(capacity * columns.count)
            self.values = .sqlite(values)
        case .postgres:
            var values: [Bindable] = []
            values.reserveCapacity(capacity * columns.count)
            self.values = .bindable(values)
        }
    }

    /// Appends one row: a value for each column, in the order of `columns`.
    mutating func append(_ row: Value...) {
        precondition(row.count == columns.count, "a bulk row has \(row.count) values for \(columns.count) columns")
        count += 1
        switch values {
        case .sqlite(var flat):
            values = .sqlite([])
            for value in row {
                switch value {
                case .int(let number): flat.append(.integer(number))
                case .text(let text): flat.append(.text(text))
                }
            }
            values = .sqlite(flat)
        case .bindable(var flat):
            values = .bindable([])
            for value in row {
                switch value {
                case .int(let number): flat.append(number)
                case .text(let text): flat.append(text)
                }
            }
            values = .bindable(flat)
        }
    }
}

extension SQLDatabase {
    /// Inserts many rows into `table` (a bulk load or an import): on SQLite multi-row statements
    /// compiled once per call and bound again for each group of rows (`SQLiteHandle.insert`); on
    /// PostgreSQL multi-row INSERTs of `chunk` rows. Not atomic on its own: a failing row leaves
    /// the rows before it inserted, so call it inside a transaction.
    func insertMany(_ table: String, _ rows: BulkRows, chunk: Int = 1_000) async throws {
        switch rows.values {
        case .sqlite(let values):
            guard let sqlite = self as? SQLiteDirectDatabase else {
                throw DatabaseError.unexpected("rows built for SQLite inserted into another database")
            }
            try sqlite.insertMany(table, rows.columns, values)
        case .bindable(let values):
            let width = rows.columns.count
            let rowCount = rows.count
            var start = 0
            while start < rowCount {
                let end = min(rowCount, start + max(1, chunk))
                let part = (start..<end).map { Array(values[($0 * width)..<(($0 + 1) * width)]) }
                try await insertRows(table, rows.columns, part)
                start = end
            }
        }
    }
}
