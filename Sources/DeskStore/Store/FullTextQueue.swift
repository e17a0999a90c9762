import SQLKit
import Synchronization

/// SQLite's queue of rows waiting to enter the full-text indexes (`fts_pending`, migration 12):
/// filled by the insert triggers of `articles` and `tickets`, indexed by `index` just before
/// every COMMIT of a write transaction (`GroupCommit`), so each batch writes the FTS5 tables
/// once instead of at every statement savepoint (see `Schema012`).
final class FullTextQueue: Sendable {
    static let article = 1
    static let ticketTitle = 2

    /// Index the queued rows of each table, in id order.
    static let indexStatements = [(article, FullTextTable.articles), (ticketTitle, FullTextTable.ticketTitles)].map { kind, table in
        """
        \(table.insertHead) SELECT \(table.contentColumns(prefix: "c.")) FROM fts_pending p JOIN \(table.content) c ON c.id = p.row_id
        WHERE p.kind = \(kind) ORDER BY p.row_id
        """
    }

    /// Set once `fts_pending` is seen; before migration 12 has run there is nothing to index.
    private let exists = Atomic<Bool>(false)

    /// Indexes the queued rows as they are now and empties the queue (inside the transaction).
    func index(_ db: any SQLDatabase) async throws {
        if !exists.load(ordering: .relaxed) {
            guard try await db.sqliteTableExists("fts_pending") else { return }
            exists.store(true, ordering: .relaxed)
        }
        guard try await db.raw("SELECT 1 AS one FROM fts_pending LIMIT 1").first() != nil else { return }
        for statement in Self.indexStatements {
            try await db.raw(SQLQueryString(statement)).run()
        }
        try await db.raw("DELETE FROM fts_pending").run()
    }
}
