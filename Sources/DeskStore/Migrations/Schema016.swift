import SQLKit

/// PostgreSQL: a GiST index of articles by id together with their words (`articles_text_order`,
/// btree_gist and the tsvector operator class). It gives a common word's newest matching
/// articles highest id first, and the matching articles from a given id on, both without
/// visiting the articles that do not match (the GIN index gives matches in no order). With
/// them a search for common words splits the articles at the newest matches as on SQLite
/// (docs/search.md, "Indexes"): a flood of new tickets without the words then costs a few
/// steps each instead of a test of every article's words.
enum Schema016 {
    static let indexName = "articles_text_order"

    /// Needs btree_gist (migration 15); without it common words keep the test of every
    /// passed ticket's articles, and the migration says so.
    static func migrate(_ db: any SQLDatabase, kind: DatabaseKind) async throws {
        guard kind == .postgres else { return }
        try await OptionalStep.run(
            db, savepoint: "text_order",
            warning: "btree_gist is not available: searches for common words will test the articles of every ticket they pass"
        ) {
            try await db.raw(
                SQLQueryString("CREATE INDEX \(indexName) ON articles USING GIST (\(Schema015.idKey()), search_tsv)")
            ).run()
            // The planner weighs `(id + 0) >= …` by the statistics of the index's expression,
            // which only ANALYZE takes; without them it guesses a third of the table.
            try await db.raw("ANALYZE articles").run()
        }
    }
}
