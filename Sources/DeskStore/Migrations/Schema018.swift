import SQLKit

/// PostgreSQL: rebuilds `tickets_title_order` in migration 15's present form (the id first,
/// 64-byte trigram signatures) where the first form (trigrams first) is in place. Where
/// migration 15 found no btree_gist or pg_trgm there is no index, and nothing to do.
enum Schema018 {
    static func migrate(_ db: any SQLDatabase, kind: DatabaseKind) async throws {
        guard kind == .postgres, try await db.hasIndex(Schema015.indexName) else { return }
        let definition = try await db.raw("SELECT pg_get_indexdef(to_regclass(\(bind: Schema015.indexName))) AS definition").first()?
            .decode(column: "definition", as: String.self)
        guard definition?.contains("siglen") == false else { return }
        try await db.raw("DROP INDEX \(ident: Schema015.indexName)").run()
        try await db.raw(Schema015.createIndex).run()
    }
}
