import SQLKit

/// A PostgreSQL write transaction's connection that holds back inserts whose outcome no one
/// waits for (rows with ids reserved beforehand, events, field values) and sends them together,
/// as one statement, before the next statement of the transaction or when the write's body ends
/// (`flush`).
///
/// Grouped writes run one after another on one connection (`GroupCommit`), so on PostgreSQL the
/// round trips of a write, more than the server's work, bound the rate of writes: a ticket
/// create was four statements (counter, ticket, article, events) and is two (counter with the
/// reserved ids, then everything else).
///
/// The held inserts become data-modifying CTEs of one statement
/// (`WITH held0 AS (INSERT …), held1 AS (INSERT …) INSERT …`). They all run to completion, and
/// constraint checks and triggers fire at the end of the statement, so an article may reference
/// the ticket held with it. The order in which they run is not defined, so at most one insert
/// per table is held (a second one flushes the first): the rows of a table are numbered in the
/// order the store gave them. A held insert that fails, fails at the flush — still inside the
/// body of the write that held it, as every flush happens before that body returns.
///
/// Used by one task at a time: the body of one write.
final class HoldingDatabase: SQLDatabaseWrapper, @unchecked Sendable {
    let base: any SQLDatabase
    private var held: [(table: String, insert: SQLQueryString)] = []
    private var heldBinds = 0

    /// Most values bound by the held inserts together (PostgreSQL allows 65,535 per statement).
    static let maxBinds = 30_000

    init(base: any SQLDatabase) {
        self.base = base
    }

    /// Holds `insert` (into `table`, binding `binds` values) until the next statement or `flush`.
    func hold(_ insert: SQLQueryString, into table: String, binds: Int) async throws {
        if heldBinds + binds > Self.maxBinds || held.contains(where: { $0.table == table }) {
            try await flush()
        }
        held.append((table, insert))
        heldBinds += binds
    }

    /// Sends the held inserts, as one statement.
    func flush() async throws {
        guard let last = held.last else { return }
        var statement = SQLQueryString("")
        if held.count > 1 {
            statement = "WITH "
            for (index, entry) in held.dropLast().enumerated() {
                statement += (index == 0 ? "" : ", ") + "held\(unsafeRaw: String(index)) AS (" + entry.insert + ")"
            }
            statement += " "
        }
        statement += last.insert
        held = []
        heldBinds = 0
        try await base.execute(sql: statement) { _ in }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try await flush()
        try await base.execute(sql: query, onRow)
    }

}
