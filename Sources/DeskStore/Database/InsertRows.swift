import SQLKit

/// `INSERT INTO table (columns) VALUES (…), (…)` for `rows`, with an `ON CONFLICT` clause and
/// `RETURNING id` if asked.
///
/// On SQLite the statement's text is written out directly (`sqliteText`, plain `?` placeholders)
/// and its values handed over as they are, without a pass of SQLKit's serializer: for the
/// inserts of a ticket create (about a hundred values) that pass was ~4 % of the create's CPU
/// (docs/performance-log.md, "Binds by their type, inserts written out"). Elsewhere it serializes
/// as any expression. Table and column names are the store's own constants, never input.
struct InsertRows: SQLExpression {
    let table: String
    let columns: [String]
    let rows: [[Bindable]]
    var onConflict: OnConflict? = nil
    var returningID = false

    init<Rows: Collection<[Bindable]>>(
        _ table: String, _ columns: [String], _ rows: Rows, onConflict: OnConflict? = nil, returningID: Bool = false
    ) {
        self.table = table
        self.columns = columns
        self.rows = Array(rows)
        self.onConflict = onConflict
        self.returningID = returningID
    }

    private var tail: String { (onConflict?.sql ?? "") + (returningID ? " RETURNING id" : "") }

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write("INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES ")
        for (index, row) in rows.enumerated() {
            serializer.write(index == 0 ? "(" : ", (")
            for (position, value) in row.enumerated() {
                if position > 0 { serializer.write(", ") }
                serializer.write(bind: value)
            }
            serializer.write(")")
        }
        serializer.write(tail)
    }

    /// The statement for SQLite, with a `?` per value, and its values in order. Written as bytes
    /// into one buffer: built from string interpolations and joined arrays it cost as much as
    /// the serializer's pass it replaces.
    var sqliteText: (sql: String, binds: [Bindable]) {
        var binds: [Bindable] = []
        binds.reserveCapacity(rows.count * columns.count)
        var sql: [UInt8] = []
        sql.reserveCapacity(64 + table.utf8.count + columns.count * 24 + rows.count * columns.count * 3)
        sql += "INSERT INTO ".utf8
        sql += table.utf8
        sql += " (".utf8
        for (position, column) in columns.enumerated() {
            if position > 0 { sql += ", ".utf8 }
            sql += column.utf8
        }
        sql += ") VALUES ".utf8
        for (index, row) in rows.enumerated() {
            if index > 0 { sql += ", ".utf8 }
            sql.append(UInt8(ascii: "("))
            for position in row.indices {
                if position > 0 { sql += ", ".utf8 }
                sql.append(UInt8(ascii: "?"))
            }
            sql.append(UInt8(ascii: ")"))
            binds.append(contentsOf: row)
        }
        sql += tail.utf8
        return (String(decoding: sql, as: UTF8.self), binds)
    }
}
