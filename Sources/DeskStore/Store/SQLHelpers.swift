import SQLKit

/// A value bound into a statement.
typealias Bindable = any Encodable & Sendable

/// Most ids one `IN` list of `rows(forIDs:)` binds.
let idsPerStatement = 1_000

extension SQLDatabase {
    /// Whether the database orders text bytewise (by code point), so that the values that
    /// begin with the same text lie together in an index: always on SQLite (`BINARY`); on
    /// PostgreSQL when the database's collation is libc's C, POSIX or C.UTF-8 (`initdb
    /// --no-locale`, `CREATE DATABASE … LOCALE 'C'`), not under ICU or a language's locale,
    /// and its encoding UTF-8 (a prefix range ends at U+10FFFF, `TicketSearchSQL.range`).
    func ordersTextBytewise(_ kind: DatabaseKind) async throws -> Bool {
        guard kind == .postgres else { return true }
        // `datlocprovider` (PostgreSQL 15 on) read through JSON, so that older servers answer too.
        let statement: SQLQueryString = """
            SELECT datcollate IN ('C', 'POSIX', 'C.UTF-8', 'C.utf8')
                AND COALESCE(to_jsonb(d) ->> 'datlocprovider', 'c') = 'c'
                AND pg_encoding_to_char(encoding) = 'UTF8' AS bytewise
            FROM pg_database d WHERE datname = current_database()
            """
        return try await raw(statement).first()?.decode(column: "bytewise", as: Bool.self) ?? false
    }

    /// PostgreSQL: whether the index exists (a bulk load sets indexes aside for a while, and an
    /// installation without an extension lacks the indexes built on it).
    func hasIndex(_ name: String) async throws -> Bool {
        try await raw("SELECT to_regclass(\(bind: name)) IS NOT NULL AS present").first()?.decode(column: "present", as: Bool.self) ?? false
    }

    /// Inserts `rows` in one multi-row statement (`InsertRows`); with `returningID` the new ids
    /// come back in row order.
    @discardableResult
    func insertRows<Rows: Collection<[Bindable]>>(_ table: String, _ columns: [String], _ rows: Rows, returningID: Bool = false)
        async throws -> [Int]
    {
        guard !rows.isEmpty else { return [] }
        let statement = query(InsertRows(table, columns, rows, returningID: returningID))
        guard returningID else {
            try await statement.run()
            return []
        }
        return try await statement.all().map { try $0.decode(column: "id", as: Int.self) }
    }

    /// `expression` as a query to `run()`, or to fetch the rows of with `all()` or `first()`
    /// (what `raw(_:)` gives for an `SQLQueryString`).
    func query(_ expression: any SQLExpression) -> ExpressionQuery {
        ExpressionQuery(query: expression, database: self)
    }

    /// The rows of `statement` for `ids`, read in groups of at most `idsPerStatement` ids in
    /// ascending order: one `IN` list per group, so that a read of many tickets stays under the
    /// databases' limits on bound values (SQLite 32,766, PostgreSQL 65,535). Rows a statement
    /// orders by the id come out in that order across the groups too. No ids, no statement.
    func rows(forIDs ids: [Int], _ statement: (_ idList: SQLQueryString) -> SQLQueryString) async throws -> [any SQLRow] {
        let sorted = Array(Set(ids)).sorted()
        var rows: [any SQLRow] = []
        var start = 0
        while start < sorted.count {
            let group = sorted[start..<min(sorted.count, start + idsPerStatement)]
            rows += try await raw(statement("\(binds: group.map { $0 as Bindable })")).all()
            start += group.count
        }
        return rows
    }

    /// Whether the SQLite database has the table `name` (for tables a later migration adds).
    func sqliteTableExists(_ name: String) async throws -> Bool {
        try await raw("SELECT 1 AS one FROM sqlite_master WHERE type = 'table' AND name = \(bind: name)").first() != nil
    }

    /// Gives the new index `name` SQLite planner statistics where the database has them for the
    /// others (a bulk load's `ANALYZE`); nothing on PostgreSQL or on a SQLite database without
    /// statistics. Next to indexes with statistics SQLite prices one without as if each key
    /// matched a handful of rows, and may prefer it to a far better one (migrations 39 and 40).
    func analyzeNewIndex(_ name: String, kind: DatabaseKind) async throws {
        guard kind == .sqlite, try await sqliteTableExists("sqlite_stat1") else { return }
        try await raw("ANALYZE \(ident: name)").run()
    }
}

/// Any SQL expression as a query SQLKit can run and fetch (see `SQLDatabase.query(_:)`).
final class ExpressionQuery: SQLQueryBuilder, SQLQueryFetcher {
    let query: any SQLExpression
    var database: any SQLDatabase

    init(query: any SQLExpression, database: any SQLDatabase) {
        self.query = query
        self.database = database
    }
}

extension Array where Element == SQLQueryString {
    /// The conditions ORed in parentheses, nested in groups of at most 64: SQLite refuses an
    /// expression tree deeper than 1,000, which a chain of a thousand ORs is, and a search may
    /// list that many values (`DynamicField_X: {Equals: […]}`, titles, ticket numbers).
    func ored() -> SQLQueryString {
        let group = 64
        guard count > group else { return "(" + joined(separator: " OR ") + ")" }
        return stride(from: 0, to: count, by: group).map { Array(self[$0..<Swift.min($0 + group, count)]).ored() }.ored()
    }
}

/// SQLite's longest LIKE pattern (`SQLITE_MAX_LIKE_PATTERN_LENGTH`, in bytes): a longer one is an
/// error there, so a search condition with one finds nothing on either database.
let longestLikePattern = 50_000
