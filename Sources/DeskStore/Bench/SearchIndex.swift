import Foundation
import SQLKit

/// Rebuilding the full-text indexes (after a restore, an import, or a change of tokenizer).
public enum SearchIndex {
    /// Rebuilds article and title full text in batches, reporting (done, total) articles.
    /// On PostgreSQL the tsvector is a generated column and stays in sync; its index is rebuilt.
    public static func rebuild(_ database: Database, batch: Int = 20_000, progress: @Sendable (Int, Int) -> Void) async throws {
        let total = try await database.read {
            try await $0.raw("SELECT COUNT(*) AS n FROM articles").first()!.decode(column: "n", as: Int.self)
        }
        switch database.kind {
        case .postgres:
            progress(0, total)
            try await database.execute("REINDEX INDEX articles_search_tsv")
            progress(total, total)
        case .sqlite:
            try await database.transaction { db in
                try await db.raw("INSERT INTO article_fts (article_fts) VALUES ('delete-all')").run()
                try await db.raw("INSERT INTO ticket_title_fts (ticket_title_fts) VALUES ('rebuild')").run()
            }
            var lastID = 0
            var done = 0
            while true {
                let from = lastID
                let next = try await database.transaction { db -> Int? in
                    let upper = try await db.raw(
                        """
                        SELECT MAX(id) AS m FROM (SELECT id FROM articles WHERE id > \(bind: from) ORDER BY id LIMIT \(literal: batch)) AS page
                        """
                    ).first()?.decode(column: "m", as: Int?.self)
                    guard let upper else { return nil }
                    try await db.raw(
                        """
                        \(unsafeRaw: FullTextTable.articles.insertHead)
                        SELECT \(unsafeRaw: FullTextTable.articles.contentColumns()) FROM articles
                        WHERE id > \(bind: from) AND id <= \(bind: upper)
                        """
                    ).run()
                    return upper
                }
                guard let upper = next else { break }
                done = min(total, done + batch)
                lastID = upper
                progress(done, total)
            }
            try await database.execute("INSERT INTO article_fts (article_fts) VALUES ('optimize')")
            // As after a bulk load: the merged index on the level FTS5's merges would give it.
            if let path = database.sqlitePath { try FullTextStructure.settleAll(inFileAt: path) }
            progress(total, total)
        }
    }
}
