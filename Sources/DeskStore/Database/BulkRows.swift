import NIOCore
import SQLKit
import SQLiteNIO

/// Rows for one table of a bulk insert (`SQLDatabase.insertMany`), stored flat, one value per
/// column, row after row, already in the form the database binds: a loader builds them on its
/// own thread while the writer inserts the previous batch, and the writer only binds and steps.
struct BulkRows: Sendable {
    let columns: [String]
    private(set) var values: Values

    enum Values: Sendable {
        /// SQLite: bound group by group to a statement compiled once (`SQLiteHandle.insert`).
        case sqlite([SQLiteData])
        /// PostgreSQL: rows in `COPY`'s text format, streamed by `COPY … FROM STDIN`.
        case copy(ByteBuffer)
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
            values = .copy(ByteBufferAllocator().buffer(capacity: capacity * columns.count * 8))
        }
    }

    /// Appends one row: a value for each column, in the order of `columns`.
    mutating func append(_ row: Value...) {
        precondition(row.count == columns.count, "a bulk row has \(row.count) values for \(columns.count) columns")
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
        case .copy(var text):
            values = .copy(ByteBuffer())
            for (index, value) in row.enumerated() {
                if index > 0 { text.writeInteger(UInt8(ascii: "\t")) }
                switch value {
                case .int(let number): text.writeString(String(number))
                case .text(let string): Self.writeCopyText(string, into: &text)
                }
            }
            text.writeInteger(UInt8(ascii: "\n"))
            values = .copy(text)
        }
    }

    /// SQLite: the values of the columns `wanted`, in that order, row after row; nil for rows
    /// built for PostgreSQL or when a column is missing.
    func sqliteValues(of wanted: [String]) -> [SQLiteData]? {
        guard case .sqlite(let flat) = values else { return nil }
        let positions = wanted.compactMap { columns.firstIndex(of: $0) }
        guard positions.count == wanted.count else { return nil }
        var picked: [SQLiteData] = []
        picked.reserveCapacity(flat.count / max(1, columns.count) * positions.count)
        for start in stride(from: 0, to: flat.count, by: columns.count) {
            for position in positions { picked.append(flat[start + position]) }
        }
        return picked
    }

    /// Writes `string` as a value of `COPY`'s text format: backslash, tab, newline and carriage
    /// return escaped with a backslash, everything else (UTF-8) as it is.
    static func writeCopyText(_ string: String, into buffer: inout ByteBuffer) {
        let special: (UInt8) -> Bool = {
            $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r")
        }
        guard string.utf8.contains(where: special) else {
            buffer.writeString(string)
            return
        }
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
            case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
            case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
            case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
            default: buffer.writeInteger(byte)
            }
        }
    }
}

/// A PostgreSQL connection that streams rows with `COPY … FROM STDIN`.
protocol CopyingDatabase: SQLDatabase {
    /// Streams `rows`, in `COPY`'s text format, into `columns` of `table`. `table` and `columns`
    /// are the store's own names, not input.
    func copy(into table: String, columns: [String], rows: ByteBuffer) async throws
}

extension SQLDatabase {
    /// Inserts many rows into `table` (a bulk load or an import): on SQLite multi-row statements
    /// compiled once per call and bound again for each group of rows (`SQLiteHandle.insert`); on
    /// PostgreSQL one `COPY … FROM STDIN`, no statement to parse or plan. Not atomic on its own
    /// on SQLite (a failing row leaves the rows before it inserted): call it inside a transaction.
    func insertMany(_ table: String, _ rows: BulkRows) async throws {
        switch rows.values {
        case .sqlite(let values):
            guard let sqlite = self as? SQLiteDirectDatabase else {
                throw DatabaseError.unexpected("rows built for SQLite inserted into another database")
            }
            try sqlite.insertMany(table, rows.columns, values)
        case .copy(let text):
            guard let postgres = self as? any CopyingDatabase else {
                throw DatabaseError.unexpected("rows built for PostgreSQL inserted into another database")
            }
            try await postgres.copy(into: table, columns: rows.columns, rows: text)
        }
    }
}
