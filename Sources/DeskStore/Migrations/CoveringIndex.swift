import SQLKit

/// A `tickets` index that carries more columns than its key, so that a list filtered by them is
/// read from the index alone (migrations 39 and 41).
///
/// The key comes first, then the ticket id (unless the key names it), then the carried columns:
/// PostgreSQL `INCLUDE`s id and the rest (they are not part of the order), SQLite appends them
/// to the key (its entries were ordered by rowid after the key; naming `id` right after it
/// keeps that order whatever follows). A key that ends in `id` orders ties by ticket id on
/// PostgreSQL too.
enum CoveringIndex {
    /// `CREATE INDEX name ON tickets (key…, id, carried…)` (SQLite) or `… (key…) INCLUDE (id,
    /// carried…)` (PostgreSQL), partial when `predicate` is given. Columns already in the key
    /// are not repeated.
    static func create(
        _ name: String, key: [String], carrying carried: [String], where predicate: String? = nil, kind: DatabaseKind
    ) -> SQLQueryString {
        let rest = (key.contains("id") ? [] : ["id"]) + carried.filter { !key.contains($0) && $0 != "id" }
        var sql: SQLQueryString
        switch kind {
        case .sqlite:
            sql = "CREATE INDEX \(ident: name) ON tickets (\(unsafeRaw: (key + rest).joined(separator: ", ")))"
        case .postgres:
            sql =
                "CREATE INDEX \(ident: name) ON tickets (\(unsafeRaw: key.joined(separator: ", "))) INCLUDE (\(unsafeRaw: rest.joined(separator: ", ")))"
        }
        if let predicate { sql += " WHERE \(unsafeRaw: predicate)" }
        return sql
    }
}
